"""Retention check-ins: 1, 3, 6 and 12 months after a confirmed hire staff record whether the
person is still employed and how satisfied they are (0–10). A score of 6 or below raises a
call-back task on their case (a practice of the Center for Employment Opportunities).

Importing this module connects the scheduler to hiring's employment_confirmed signal.
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.cases.models import CHECK_IN_MONTHS, CheckIn, CheckInOutcome, TaskKind
from marketplace.cases.services import DUE_SOON_DAYS, add_task, ensure_case
from marketplace.dates import add_months
from marketplace.db_types import utcnow
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import Employment
from marketplace.hiring.signals import employment_confirmed

CALL_BACK_AT_OR_BELOW = 6
CALL_BACK_WITHIN_DAYS = 3
REASON_MAX = 2000


class InvalidCheckIn(DomainError):
    pass


class CheckInAlreadyCompleted(DomainError):
    pass


def schedule_check_ins(employment: Employment) -> list[CheckIn]:
    """One check-in per CHECK_IN_MONTHS after the start date; safe to call twice."""
    existing = set(db.session.scalars(select(CheckIn.months_after).where(
        CheckIn.employment_id == employment.id)))
    created = [CheckIn(employment_id=employment.id, months_after=months,
                       due_on=add_months(employment.start_date, months))
               for months in CHECK_IN_MONTHS if months not in existing]
    db.session.add_all(created)
    db.session.flush()
    return created


def check_ins_of(employment_id: int) -> list[CheckIn]:
    return check_ins_of_each([employment_id])[employment_id]


def check_ins_of_each(employment_ids) -> dict[int, list[CheckIn]]:
    """{employment id: its check-ins, earliest first} in one statement (for a page of hires)."""
    found: dict[int, list[CheckIn]] = {employment_id: [] for employment_id in employment_ids}
    if found:
        for check_in in db.session.scalars(
                select(CheckIn).where(CheckIn.employment_id.in_(list(found)))
                .order_by(CheckIn.employment_id, CheckIn.months_after)):
            found[check_in.employment_id].append(check_in)
    return found


def is_open(check_in: CheckIn, today: date | None = None) -> bool:
    """Waiting for an outcome and close enough to its due date to be recorded."""
    today = today or date.today()
    return check_in.outcome is None and check_in.due_on <= today + timedelta(days=DUE_SOON_DAYS)


def _outcome(value) -> CheckInOutcome:
    try:
        return CheckInOutcome(value)
    except ValueError:
        raise InvalidCheckIn(_l("Choose the outcome of the check-in."), field="outcome") from None


def _satisfaction(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidCheckIn(_l("Enter a whole number from 0 to 10."), field="satisfaction")
    return value


def complete_check_in(check_in: CheckIn, *, outcome, left_reason: str, satisfaction,
                      actor: User, today: date | None = None) -> CheckIn:
    """Record the outcome once; raises InvalidCheckIn or CheckInAlreadyCompleted."""
    today = today or date.today()
    if check_in.outcome is not None:
        raise CheckInAlreadyCompleted(_l("This check-in has already been recorded."))
    if not is_open(check_in, today):
        raise InvalidCheckIn(_l("This check-in is not due yet."))
    outcome = _outcome(outcome)
    reason = (left_reason or "").strip()
    if outcome is CheckInOutcome.LEFT and not reason:
        raise InvalidCheckIn(_l("Give the reason the person left the job."), field="left_reason")
    if len(reason) > REASON_MAX:
        raise InvalidCheckIn(_l("Use at most %(limit)s characters.", limit=REASON_MAX),
                             field="left_reason")
    check_in.outcome = outcome
    check_in.left_reason = reason if outcome is CheckInOutcome.LEFT else ""
    check_in.satisfaction = _satisfaction(satisfaction)
    check_in.recorded_by_id, check_in.recorded_at = actor.id, utcnow()
    db.session.flush()
    record("check_in:complete", check_in, actor=actor, employment_id=check_in.employment_id,
           months_after=check_in.months_after, outcome=outcome.value,
           satisfaction=check_in.satisfaction)
    if check_in.satisfaction is not None and check_in.satisfaction <= CALL_BACK_AT_OR_BELOW:
        _raise_call_back(check_in, actor, today)
    return check_in


def _raise_call_back(check_in: CheckIn, actor: User, today: date) -> None:
    case = ensure_case(check_in.employment.application.profile)
    # Stored in the recording officer's language: it is a note for the job centre's staff.
    title = _("Call back: satisfaction %(score)s of 10 at the %(months)s-month check-in",
              score=check_in.satisfaction, months=check_in.months_after)
    add_task(case, title=title, due_on=today + timedelta(days=CALL_BACK_WITHIN_DAYS),
             actor=actor, kind=TaskKind.CALL_BACK, today=today)


def _on_employment_confirmed(sender, actor: User | None = None, **_kwargs) -> None:
    schedule_check_ins(sender)


employment_confirmed.connect(_on_employment_confirmed)
