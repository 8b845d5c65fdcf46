"""Job-centre verification of employer organisations.

Transitions (ORGANISATION_TRANSITIONS, tested over every pair):

    pending  --verify---> verified   staff of the organisation's region, or an admin
    pending  --reject---> rejected   same, with a reason the owner sees
    rejected --resubmit-> pending    the owner edits the details and sends them again
    verified --reverify-> pending    the owner changed the name or region: checked again

Vacancies of an organisation that is not verified cannot be opened, so none are public.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.db_types import utcnow
from marketplace.employers.models import EmployerOrganisation, VerificationStatus
from marketplace.errors import DomainError
from marketplace.extensions import db


class InvalidOrganisationTransition(DomainError):
    pass


ORGANISATION_TRANSITIONS = {
    (VerificationStatus.PENDING, "verify"): VerificationStatus.VERIFIED,
    (VerificationStatus.PENDING, "reject"): VerificationStatus.REJECTED,
    (VerificationStatus.REJECTED, "resubmit"): VerificationStatus.PENDING,
    (VerificationStatus.VERIFIED, "reverify"): VerificationStatus.PENDING,
}
ORGANISATION_ACTIONS = ("verify", "reject", "resubmit", "reverify")

_REFUSALS = {
    "verify": _l("Only an organisation waiting for verification can be verified."),
    "reject": _l("Only an organisation waiting for verification can be rejected."),
    "resubmit": _l("Only a rejected organisation can be sent for verification again."),
}


def next_status(status: VerificationStatus, action: str) -> VerificationStatus:
    """The status after `action`; raises InvalidOrganisationTransition otherwise."""
    try:
        return ORGANISATION_TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidOrganisationTransition(
            _REFUSALS.get(action, _l("This change is not possible."))) from None


def can_review(user: User, organisation: EmployerOrganisation) -> bool:
    if user.role is Role.ADMIN:
        return True
    return (user.role is Role.STAFF and user.region_id is not None
            and user.region_id == organisation.region_id)


def _queue_time(organisation):
    return func.coalesce(organisation.submitted_at, organisation.created_at)


def review_query(user: User, status: VerificationStatus) -> Select:
    """Organisations in `status` the user may review, longest waiting first."""
    query = select(EmployerOrganisation).where(EmployerOrganisation.status == status)
    if user.role is not Role.ADMIN:
        query = query.where(EmployerOrganisation.region_id == user.region_id)
    return query.order_by(_queue_time(EmployerOrganisation), EmployerOrganisation.id)


def review_list(user: User, status: VerificationStatus) -> list[EmployerOrganisation]:
    return list(db.session.scalars(review_query(user, status)))


def waiting_days(organisation: EmployerOrganisation, now: datetime | None = None) -> int:
    since = organisation.submitted_at or organisation.created_at
    return max(0, ((now or utcnow()) - since).days)


def _move(organisation, action, *, actor, changes: dict, **details) -> None:
    old = organisation.status
    organisation.status = next_status(old, action)
    for name, value in changes.items():
        setattr(organisation, name, value)
    db.session.flush()
    record(f"organisation:{action}", organisation, actor=actor, from_status=old.value,
           to_status=organisation.status.value, **details)


def verify_organisation(organisation: EmployerOrganisation, *, actor: User) -> None:
    """Raises InvalidOrganisationTransition unless the organisation is pending."""
    _move(organisation, "verify", actor=actor, changes={
        "verified_by_id": actor.id, "verified_at": utcnow(), "rejection_reason": None})
    _tell_members(organisation, "organisation_verified")


def reject_organisation(organisation: EmployerOrganisation, *, actor: User, reason: str) -> None:
    """Raises InvalidOrganisationTransition unless the organisation is pending."""
    _move(organisation, "reject", actor=actor, reason=reason, changes={
        "rejection_reason": reason, "verified_by_id": None, "verified_at": None})
    _tell_members(organisation, "organisation_rejected", reason=reason)


def _tell_members(organisation: EmployerOrganisation, kind: str, **params) -> None:
    """Every member learns the decision (in-app and by e-mail), with a link to the page."""
    from marketplace.notifications.services import link_to, notify_all

    members = [m.user for m in organisation.memberships]
    notify_all(members, kind, organisation=organisation.name,
               link=link_to("employers.organisation", organisation_id=organisation.id),
               **params)


def resubmit_organisation(organisation: EmployerOrganisation, *, actor: User) -> None:
    """Raises InvalidOrganisationTransition unless the organisation was rejected."""
    _move(organisation, "resubmit", actor=actor, changes={"submitted_at": utcnow()})


def reverify_organisation(organisation: EmployerOrganisation, *, actor: User) -> None:
    """A verified organisation whose identity changed waits for staff again (its vacancies
    stop being public meanwhile)."""
    _move(organisation, "reverify", actor=actor, changes={
        "submitted_at": utcnow(), "verified_by_id": None, "verified_at": None})
