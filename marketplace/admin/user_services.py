"""Changing an existing account: a staff member's or admin's role, a staff member's region, and
whether the account may sign in. Candidates and employers keep their role (it comes with their
profile or organisation); only their account can be deactivated or reactivated here."""

from flask_babel import lazy_gettext as _l

from marketplace.admin.services import StaffNeedsRegion, set_active
from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.reference.models import Region

PRIVILEGED = (Role.STAFF, Role.ADMIN)


class RoleNotChangeable(DomainError):
    pass


class CannotDemoteSelf(DomainError):
    pass


def _code(region: Region | None) -> str | None:
    return region.code if region else None


def _change_role(user: User, role: Role, region: Region | None, *, actor: User) -> None:
    if user.role not in PRIVILEGED or role not in PRIVILEGED:
        raise RoleNotChangeable(_l("Only staff and administrator accounts can change role."),
                                field="role")
    if user.id == actor.id and role is not Role.ADMIN:
        # Otherwise the last administrator could lock everyone out of these pages.
        raise CannotDemoteSelf(_l("You cannot take away your own administrator role."),
                               field="role")
    if role is Role.STAFF and region is None:
        raise StaffNeedsRegion(_l("Choose the region of the staff member's job centre."),
                               field="region")
    region = region if role is Role.STAFF else None  # admins work for every region
    if user.role is not role:
        record("user:role_change", user, actor=actor, from_role=user.role.value,
               to_role=role.value)
        user.role = role
    if user.region_id != (region.id if region else None):
        record("user:region_change", user, actor=actor, from_region=_code(user.region),
               to_region=_code(region))
        user.region = region


def update_account(user: User, *, active: bool, actor: User, role: Role | None = None,
                   region: Region | None = None) -> None:
    """Apply the account page's choices; `role` (and `region`) only for staff and admins.

    Raises CannotDeactivateSelf, CannotDemoteSelf, StaffNeedsRegion or RoleNotChangeable;
    every change is audited.
    """
    if role is not None:
        _change_role(user, role, region, actor=actor)
    if user.active != active:
        set_active(user, active, actor=actor)  # refuses to deactivate oneself; audits
    db.session.flush()
