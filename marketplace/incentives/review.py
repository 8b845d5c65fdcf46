"""Filing a claim and the job centre's decision on it, with four eyes.

Above CLAIM_SECOND_APPROVAL_ABOVE (tenge) an approval needs two different staff members of the
claim's region. Nobody decides a claim they created or filed on the employer's behalf, and nobody
gives both approvals of one review round. Money is set aside only by the final approval, and only
if the region's budget for the programme covers it.
"""

import secrets
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.db_types import utcnow
from marketplace.employers.models import OrganisationMember
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.services import organisation_users
from marketplace.incentives import budget
from marketplace.incentives.claims import (
    ClaimRefused,
    compute_amounts,
    move_claim,
    next_claim_status,
    open_claim,
)
from marketplace.incentives.eligibility import Outcome, check_eligibility, verdict
from marketplace.incentives.models import Claim, ClaimApproval, ClaimEvent, ClaimStatus
from marketplace.notifications.services import link_to, notify_all

S = ClaimStatus


class FourEyes(DomainError):
    pass


class ReasonRequired(DomainError):
    pass


def second_approval_threshold() -> Decimal:
    return Decimal(str(current_app.config["CLAIM_SECOND_APPROVAL_ABOVE"]))


def approvals_needed(claim: Claim) -> int:
    return 2 if claim.total_amount > second_approval_threshold() else 1


def current_approvals(claim: Claim) -> list[ClaimApproval]:
    return [a for a in claim.approvals if a.review_round == claim.review_round]


# Loading for the views: None means the view answers 404.

def claim_for_member(user: User, claim_id: int) -> Claim | None:
    return db.session.scalar(
        select(Claim).join(OrganisationMember,
                           OrganisationMember.organisation_id == Claim.organisation_id)
        .where(Claim.id == claim_id, OrganisationMember.user_id == user.id))


def claim_for_staff(user: User, claim_id: int) -> Claim | None:
    claim = db.session.get(Claim, claim_id)
    if claim is None or user.role is not Role.STAFF or user.region_id != claim.region_id:
        return None
    return claim


def region_staff_users(region_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.role == Role.STAFF, User.region_id == region_id, User.active.is_(True))))


def filing_date(claim: Claim) -> date:
    """The day the claim was first submitted (a resubmission keeps it), or today."""
    for event in claim.events:
        if event.action == "submit":
            return event.created_at.date()
    return date.today()


def checks_for(claim: Claim):
    return check_eligibility(claim.employment, claim.programme, filing_date=filing_date(claim),
                             arrears_declared=claim.no_wage_arrears)


def _refuse_failing_checks(claim: Claim, *, filing: bool) -> None:
    failing = [c for c in checks_for(claim) if c.outcome is Outcome.FAIL]
    if not failing:
        return
    reasons = " ".join(str(c.reason) for c in failing)
    if filing:
        raise ClaimRefused(_l("The claim cannot be filed: %(reasons)s", reasons=reasons))
    raise ClaimRefused(_l("The claim cannot be approved: %(reasons)s", reasons=reasons))


def submit_claim(claim: Claim, *, actor: User, no_wage_arrears: bool) -> None:
    """File a draft, or refile a claim returned for information (a new review round)."""
    action = "resubmit" if claim.status is S.RETURNED else "submit"
    next_claim_status(claim.status, action)
    claim.no_wage_arrears = bool(no_wage_arrears)
    compute_amounts(claim)
    if claim.total_amount <= 0:
        raise ClaimRefused(_l("By the programme's formula there is nothing to pay for this "
                              "employment."))
    _refuse_failing_checks(claim, filing=True)
    claim.submitted_by_id = actor.id
    if action == "resubmit":
        claim.review_round += 1
    move_claim(claim, action, actor=actor)
    notify_all(region_staff_users(claim.region_id), "claim_submitted",
               link=link_to("incentives_staff.review_claim", claim_id=claim.id),
               organisation=claim.organisation.name, programme=programme_names(claim))


def _lock(claim: Claim) -> None:
    """Re-read the claim under a row lock so two decisions on one claim queue up."""
    db.session.refresh(claim, with_for_update=True)


def _ensure_may_decide(claim: Claim, staff: User) -> None:
    if staff.role is not Role.STAFF or staff.region_id != claim.region_id:
        raise FourEyes(_l("Only the job centre of the claim's region decides it."))
    # Every filing counts, not only the latest: a refiling by the employer after a return
    # overwrites submitted_by_id but the staff member who filed before still filed it.
    filers = {claim.created_by_id, claim.submitted_by_id} | {
        e.actor_id for e in claim.events if e.action in ("submit", "resubmit")}
    if staff.id in filers:
        raise FourEyes(_l("You created or filed this claim, so another staff member must "
                          "decide it."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_l("Write the reason for the decision."), field="reason")
    return reason


def start_review(claim: Claim, *, staff: User) -> None:
    _lock(claim)
    _ensure_may_decide(claim, staff)
    move_claim(claim, "start_review", actor=staff)


def approve(claim: Claim, *, staff: User, reason: str) -> bool:
    """One approval; True when it was the final one (the claim is approved and funded)."""
    reason = _reason(reason)
    _lock(claim)
    next_claim_status(claim.status, "approve")
    _ensure_may_decide(claim, staff)
    if any(a.staff_id == staff.id for a in current_approvals(claim)):
        raise FourEyes(_l("You have already approved this claim: a second staff member must "
                          "give the other approval."))
    _refuse_failing_checks(claim, filing=False)
    claim.approvals.append(ClaimApproval(staff_id=staff.id, review_round=claim.review_round,
                                         reason=reason))
    db.session.flush()
    if len(current_approvals(claim)) < approvals_needed(claim):
        claim.events.append(ClaimEvent(action="first_approval", from_status=claim.status.value,
                                       to_status=claim.status.value, actor_id=staff.id,
                                       reason=reason))
        record("claim:first_approval", claim, actor=staff)
        db.session.flush()
        return False
    budget.reserve(claim, claim.total_amount, actor=staff)
    _decide(claim, "approve", staff, reason)
    return True


def reject(claim: Claim, *, staff: User, reason: str) -> None:
    reason = _reason(reason)
    _lock(claim)
    next_claim_status(claim.status, "reject")
    _ensure_may_decide(claim, staff)
    _decide(claim, "reject", staff, reason)


def return_for_information(claim: Claim, *, staff: User, reason: str) -> None:
    reason = _reason(reason)
    _lock(claim)
    next_claim_status(claim.status, "return")
    _ensure_may_decide(claim, staff)
    move_claim(claim, "return", actor=staff, reason=reason)
    _tell_employer(claim, "claim_returned", reason=reason)


def _decide(claim: Claim, action: str, staff: User, reason: str) -> None:
    move_claim(claim, action, actor=staff, reason=reason)
    claim.decided_at = utcnow()
    claim.decision_reason = reason
    claim.document_code = claim.document_code or new_document_code()
    db.session.flush()
    kind = "claim_approved" if action == "approve" else "claim_rejected"
    _tell_employer(claim, kind, reason=reason)


def _tell_employer(claim: Claim, kind: str, **params) -> None:
    vacancy = claim.employment.application.vacancy
    notify_all(organisation_users(vacancy), kind,
               link=link_to("incentives.claim", claim_id=claim.id),
               programme=programme_names(claim), **params)


def programme_names(claim: Claim) -> dict:
    """The programme's name in every language, for notifications read in any of them."""
    return {language: claim.programme.name_in(language) for language in ("kk", "ru", "en")}


def new_document_code() -> str:
    """12 characters from an alphabet without look-alikes (0/O, 1/I): easy to type from paper."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def by_document_code(code: str) -> Claim | None:
    code = (code or "").strip().upper()
    if len(code) > 16:
        return None
    return db.session.scalar(select(Claim).where(Claim.document_code == code))


def staff_queue_query(region_id: int) -> Select:
    """Claims waiting for the region's job centre, oldest first."""
    return (select(Claim).where(Claim.region_id == region_id,
                                Claim.status.in_((S.SUBMITTED, S.IN_REVIEW)))
            .order_by(Claim.updated_at, Claim.id))


def staff_queue(region_id: int) -> list[Claim]:
    return list(db.session.scalars(staff_queue_query(region_id)))


def eligibility_verdict(claim: Claim) -> Outcome:
    return verdict(checks_for(claim))


def file_claim(employment, programme, *, actor: User, no_wage_arrears: bool) -> Claim:
    """Open and file at once (a refused filing leaves no draft behind: the view rolls back)."""
    claim = open_claim(employment, programme, actor=actor)
    submit_claim(claim, actor=actor, no_wage_arrears=no_wage_arrears)
    return claim


def has_tax_certificate(claim: Claim) -> bool:
    """An approved claim under a tax-incentive programme comes with a certificate."""
    from marketplace.incentives.models import ProgrammeKind

    return (claim.programme.kind is ProgrammeKind.TAX_CERTIFICATE and claim.status in (
        S.APPROVED, S.ACTIVE, S.COMPLETED) and claim.document_code is not None)
