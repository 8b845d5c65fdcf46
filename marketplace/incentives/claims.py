"""The claim lifecycle as one explicit table, and opening a claim for a confirmed employment.

    draft --submit--> submitted --start_review--> in_review --approve--> approved --activate-->
    active --complete--> completed; in_review --return--> returned --resubmit--> in_review;
    in_review --reject--> rejected; approved|active --terminate--> terminated.

Review with four eyes, the budget ledger and payments build on this in the next steps.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import extract, func, select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import Employment, EmploymentStatus
from marketplace.incentives.models import Claim, ClaimEvent, ClaimStatus, IncentiveProgramme
from marketplace.incentives.services import version_in_force

S = ClaimStatus

CLAIM_TRANSITIONS = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "start_review"): S.IN_REVIEW,
    (S.IN_REVIEW, "return"): S.RETURNED,
    (S.RETURNED, "resubmit"): S.IN_REVIEW,
    (S.IN_REVIEW, "approve"): S.APPROVED,
    (S.IN_REVIEW, "reject"): S.REJECTED,
    (S.APPROVED, "activate"): S.ACTIVE,
    (S.ACTIVE, "complete"): S.COMPLETED,
    (S.APPROVED, "terminate"): S.TERMINATED,
    (S.ACTIVE, "terminate"): S.TERMINATED,
}
CLAIM_ACTIONS = ("submit", "start_review", "return", "resubmit", "approve", "reject",
                 "activate", "complete", "terminate")
# Claims that made a subsidised hire (for the retention duty).
SUBSIDISED = (S.APPROVED, S.ACTIVE, S.COMPLETED, S.TERMINATED)


class IllegalClaimTransition(DomainError):
    pass


class ClaimRefused(DomainError):
    pass


def next_claim_status(status: ClaimStatus, action: str) -> ClaimStatus:
    try:
        return CLAIM_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalClaimTransition(_l("This step is not possible for the claim now."),
                                     state=status.value, action=action) from None


def move_claim(claim: Claim, action: str, *, actor: User, reason: str = "") -> None:
    """Moves only through the table; the move is an event and an audit record."""
    new = next_claim_status(claim.status, action)
    claim.events.append(ClaimEvent(action=action, from_status=claim.status.value,
                                   to_status=new.value, actor_id=actor.id, reason=reason))
    claim.status = new
    record(f"claim:{action}", claim, actor=actor, to=new.value)
    db.session.flush()


def open_claim(employment: Employment, programme: IncentiveProgramme, *, actor: User) -> Claim:
    """A draft claim judged by the rule version in force on the hire's start date."""
    if employment.status is not EmploymentStatus.CONFIRMED:
        raise ClaimRefused(_l("A claim needs an employment confirmed by the employee."))
    version = version_in_force(programme, employment.start_date)
    if version is None:
        raise ClaimRefused(_l("No rules of this programme were in force on the start date."))
    if db.session.scalar(select(Claim.id).where(Claim.employment_id == employment.id,
                                                Claim.programme_id == programme.id)):
        raise ClaimRefused(_l("A claim for this employment under this programme exists."))
    claim = Claim(employment_id=employment.id, programme_id=programme.id,
                  rule_version_id=version.id, created_by_id=actor.id,
                  organisation_id=employment.application.vacancy.organisation_id)
    claim.events.append(ClaimEvent(action="open", to_status=S.DRAFT.value, actor_id=actor.id))
    db.session.add(claim)
    db.session.flush()
    record("claim:open", claim, actor=actor, programme=programme.code,
           rules_from=version.effective_from.isoformat())
    return claim


def subsidised_hires(organisation, year: int) -> int:
    return db.session.scalar(
        select(func.count(Claim.id)).where(Claim.organisation_id == organisation.id,
                                           Claim.status.in_(SUBSIDISED),
                                           extract("year", Claim.created_at) == year)) or 0

