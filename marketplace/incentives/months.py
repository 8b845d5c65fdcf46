"""Monthly confirmations of an approved wage-subsidy claim, and settling its money.

Each month the employer confirms hours worked, the wage paid and proof of pension contributions;
staff accept it (which fixes the month's amount) or query it (the employer corrects and sends it
again). The months that can be claimed run from the month of the start date, for the programme's
number of months, and stop with the month the employment ended.
"""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.dates import add_months
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.signals import employment_ended
from marketplace.incentives import budget
from marketplace.incentives.claims import compute_amounts, move_claim
from marketplace.incentives.models import (
    Claim,
    ClaimMonth,
    ClaimStatus,
    MonthStatus,
    Payment,
    ProgrammeKind,
)
from marketplace.incentives.rules import parse_rules
from marketplace.incentives.services import monthly_subsidy
from marketplace.notifications.services import link_to, notify_all
from marketplace.uploads.services import save_upload

M = MonthStatus
MONTH_TRANSITIONS = {
    (M.SUBMITTED, "accept"): M.ACCEPTED,
    (M.SUBMITTED, "query"): M.QUERIED,
    (M.QUERIED, "resubmit"): M.SUBMITTED,
}
MONTH_ACTIONS = ("accept", "query", "resubmit")
# Claims whose months can still be confirmed and paid (a terminated claim: the months worked).
PAYABLE = (ClaimStatus.APPROVED, ClaimStatus.ACTIVE, ClaimStatus.TERMINATED)
MAX_HOURS_IN_MONTH = 400
UNDECIDED = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.IN_REVIEW,
             ClaimStatus.RETURNED)


class MonthRefused(DomainError):
    pass


class IllegalMonthTransition(DomainError):
    pass


def next_month_status(status: MonthStatus, action: str) -> MonthStatus:
    try:
        return MONTH_TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalMonthTransition(_l("This step is not possible for this month now."),
                                     state=status.value, action=action) from None


def claim_months(claim: Claim) -> list[date]:
    """The first days of the months this claim can pay: from the start month, for the
    programme's months, up to the month the employment ended."""
    employment = claim.employment
    first = employment.start_date.replace(day=1)
    months = [add_months(first, i) for i in range(claim.months)]
    if employment.end_date is not None:
        months = [m for m in months if m <= employment.end_date]
    return months


def confirmable_months(claim: Claim, today: date | None = None) -> list[date]:
    """Months that have ended and are not confirmed yet."""
    if claim.status not in PAYABLE or claim.programme.kind is not ProgrammeKind.WAGE_SUBSIDY:
        return []
    today = today or date.today()
    taken = {m.month for m in claim.months_confirmed}
    return [m for m in claim_months(claim) if add_months(m, 1) <= today and m not in taken]


def month_of(claim: Claim, month: date) -> ClaimMonth | None:
    return next((m for m in claim.months_confirmed if m.month == month), None)


def _validate(hours_worked, wage_paid) -> None:
    if hours_worked is None or not 1 <= hours_worked <= MAX_HOURS_IN_MONTH:
        raise MonthRefused(_l("Hours worked must be between 1 and %(max)d.",
                              max=MAX_HOURS_IN_MONTH), field="hours_worked")
    if wage_paid is None or wage_paid <= 0:
        raise MonthRefused(_l("The wage paid must be more than zero."), field="wage_paid")


def _ensure_may_confirm(claim: Claim, actor: User) -> None:
    """A member of the employer, or the region's job centre acting on the employer's behalf."""
    from marketplace.employers.services import membership_of

    if actor.role is Role.STAFF and actor.region_id == claim.region_id:
        return
    if membership_of(actor, claim.organisation_id) is None:
        raise MonthRefused(_l("Only the employer confirms the months of its claim."))


def confirm_month(claim: Claim, month: date, *, hours_worked: int, wage_paid: Decimal,
                  pension_proof, actor: User, today: date | None = None) -> ClaimMonth:
    """A new confirmation, or a corrected one after a query. The proof is required each time."""
    _ensure_may_confirm(claim, actor)
    _validate(hours_worked, wage_paid)
    existing = month_of(claim, month)
    if existing is None and month not in confirmable_months(claim, today):
        raise MonthRefused(_l("This month cannot be confirmed for this claim."), field="month")
    if existing is not None:
        existing.status = next_month_status(existing.status, "resubmit")
    if pension_proof is None or not getattr(pension_proof, "filename", ""):
        raise MonthRefused(_l("Attach the proof of pension contributions."),
                           field="pension_proof")
    stored = save_upload(pension_proof, owner=actor)
    entry = existing or ClaimMonth(claim=claim, month=month)
    entry.hours_worked, entry.wage_paid, entry.pension_file = hours_worked, wage_paid, stored
    entry.submitted_by_id, entry.submitted_at = actor.id, utcnow()
    db.session.add(entry)
    db.session.flush()
    record("claim_month:confirm", entry, actor=actor, claim=claim.id,
           month=month.isoformat())
    return entry


def month_amount(claim: Claim, entry: ClaimMonth) -> Decimal:
    """The formula on the wage actually paid, never above the approved monthly amount (which is
    what the budget reserved)."""
    rules = parse_rules(claim.rule_version.rules)
    amount = monthly_subsidy(rules, monthly_wage=entry.wage_paid,
                             hours_per_week=claim.employment.hours_per_week)
    return min(amount, claim.monthly_amount or Decimal("0.00"))


def _ensure_staff_of(claim: Claim, staff: User) -> None:
    if staff.role is not Role.STAFF or staff.region_id != claim.region_id:
        raise MonthRefused(_l("Only the job centre of the claim's region checks its months."))


def accept_month(entry: ClaimMonth, *, staff: User) -> None:
    _ensure_staff_of(entry.claim, staff)
    if entry.month not in claim_months(entry.claim):
        raise MonthRefused(_l("The employment ended before this month: it cannot be paid."))
    entry.status = next_month_status(entry.status, "accept")
    entry.amount = month_amount(entry.claim, entry)
    entry.decided_by_id, entry.decided_at = staff.id, utcnow()
    record("claim_month:accept", entry, actor=staff, amount=str(entry.amount))
    db.session.flush()


def query_month(entry: ClaimMonth, *, staff: User, reason: str) -> None:
    _ensure_staff_of(entry.claim, staff)
    reason = (reason or "").strip()
    if not reason:
        raise MonthRefused(_l("Write what the employer should correct or explain."),
                           field="reason")
    entry.status = next_month_status(entry.status, "query")
    entry.query_reason = reason
    entry.decided_by_id, entry.decided_at = staff.id, utcnow()
    record("claim_month:query", entry, actor=staff)
    db.session.flush()
    claim = entry.claim
    from marketplace.hiring.services import organisation_users
    from marketplace.incentives.review import programme_names

    notify_all(organisation_users(claim.employment.application.vacancy), "month_queried",
               link=link_to("incentives.claim", claim_id=claim.id),
               month=entry.month.strftime("%m.%Y"), programme=programme_names(claim),
               reason=reason)


def months_to_check_query(region_id: int) -> Select:
    """The region's monthly confirmations waiting for staff, the longest waiting first."""
    return (select(ClaimMonth).join(Claim).where(Claim.region_id == region_id,
                                                 ClaimMonth.status == M.SUBMITTED)
            .order_by(ClaimMonth.submitted_at, ClaimMonth.id))


def months_to_check(region_id: int) -> list[ClaimMonth]:
    return list(db.session.scalars(months_to_check_query(region_id)))


def paid_months(claim: Claim) -> set[date]:
    return set(db.session.scalars(select(Payment.month).where(Payment.claim_id == claim.id)))


def settle(claim: Claim) -> None:
    """After a payment or an end: once every payable month is paid, give back what is left of
    the reserve, and an active claim whose months are all paid is complete."""
    due = claim_months(claim)
    if not set(due) <= paid_months(claim):
        return
    budget.release_remaining(claim, actor=None, note="settled")
    if claim.status is not ClaimStatus.ACTIVE:
        return
    full_term = parse_rules(claim.rule_version.rules).max_months or 0
    if claim.employment.end_date is not None and len(due) < full_term:
        # Approved after the job had already ended: the worked months are paid, no more.
        move_claim(claim, "terminate", actor=None, reason=claim.employment.end_reason or "")
    else:
        move_claim(claim, "complete", actor=None)


def terminate_for_ended_employment(sender, actor: User | None = None, **_) -> None:
    """Listener for hiring's employment_ended: stop future payments, claw back months paid
    after the end, and keep the reserve only for worked months still to be paid."""
    employment = sender
    claims = list(db.session.scalars(select(Claim).where(
        Claim.employment_id == employment.id).with_for_update()))
    for claim in claims:
        if claim.status in UNDECIDED:
            # Not decided yet: the amount shrinks to the months worked, before anyone approves.
            compute_amounts(claim)
            record("claim:recomputed", claim, actor=actor, total=str(claim.total_amount))
            continue
        if claim.status not in (ClaimStatus.APPROVED, ClaimStatus.ACTIVE):
            continue
        for payment in db.session.scalars(select(Payment).where(
                Payment.claim_id == claim.id, Payment.month > employment.end_date)):
            budget.claw_back(claim, payment.month, payment.amount, actor=actor,
                             note="paid for a month after the employment ended")
        move_claim(claim, "terminate", actor=actor, reason=employment.end_reason or "")
        _release_beyond_worked_months(claim, actor)


def _release_beyond_worked_months(claim: Claim, actor) -> None:
    paid = paid_months(claim)
    unpaid = [m for m in claim_months(claim) if m not in paid]
    keep = (claim.monthly_amount or Decimal("0.00")) * len(unpaid)
    excess = budget.claim_balance(claim.id).committed - keep
    if excess > 0:
        budget.release(claim, excess, actor=actor, note="employment ended early")





def months_to_send(claim: Claim, today: date | None = None) -> list[date]:
    """What the employer can send now: ended months not yet confirmed, and queried months."""
    queried = [m.month for m in claim.months_confirmed if m.status is M.QUERIED]
    return sorted({*confirmable_months(claim, today), *queried})
employment_ended.connect(terminate_for_ended_employment)
