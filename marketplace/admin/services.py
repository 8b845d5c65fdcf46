"""Account administration: only admins (or the CLI) create staff and admin accounts."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.auth.services import create_user
from marketplace.errors import DomainError
from marketplace.extensions import db


class StaffNeedsRegion(DomainError):
    pass


class CannotDeactivateSelf(DomainError):
    pass


def create_privileged_user(*, role: Role, full_name: str, email: str, password: str,
                           phone: str | None = None, region=None, actor: User | None) -> User:
    """Create a staff or admin account; staff must belong to a region's job centre."""
    if role not in (Role.STAFF, Role.ADMIN):
        raise ValueError(f"not a privileged role: {role}")
    if role is Role.STAFF and region is None:
        raise StaffNeedsRegion(_l("Choose the region of the staff member's job centre."),
                               field="region")
    return create_user(role=role, full_name=full_name, email=email, phone=phone,
                       password=password, region=region if role is Role.STAFF else None,
                       actor=actor)


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id and not active:
        raise CannotDeactivateSelf(_l("You cannot deactivate your own account."))
    user.active = active
    record("user:activate" if active else "user:deactivate", user, actor=actor)
    db.session.flush()


def search_users(*, q: str | None, role: str | None):
    """A select() for the users list, newest first."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role:
        query = query.where(User.role == Role(role))
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(like),
                                func.lower(User.email).like(like), User.phone.like(f"%{q}%")))
    return query


def user_counts() -> dict[str, int]:
    rows = db.session.execute(select(User.role, func.count(User.id)).group_by(User.role))
    return {role.value: count for role, count in rows}
