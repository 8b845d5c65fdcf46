"""Fair-chance disclosure after a conditional offer, and withdrawing an offer.

The employer sees nothing about a conviction before a conditional offer. After it, the candidate
may write a disclosure and their story and choose to share them; the employer reads them only
while shared, and every read is audited. An employer who then wants to withdraw the offer must
give a reason, and the candidate has OFFER_RESPONSE_BUSINESS_DAYS to respond before the
rejection becomes final.
"""

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record
from marketplace.auth.models import User
from marketplace.db_types import utcnow
from marketplace.extensions import db
from marketplace.hiring.models import (
    Application,
    ApplicationStatus,
    Disclosure,
    OfferWithdrawal,
    RejectionReason,
)
from marketplace.hiring.services import (
    HiringRuleBroken,
    application_links,
    move,
    organisation_users,
)
from marketplace.notifications.services import notify, notify_all

MIN_REASON_LENGTH = 20


# Kazakhstan's public holidays on fixed dates (Law "On holidays in the Republic of Kazakhstan",
# Labour Code art. 84). A national holiday that falls on a weekend moves the day off to the next
# working day (art. 85); the religious ones (7 January) do not move. Kurban Ait follows the lunar
# calendar and the government's yearly transfers of days are decided each year: neither is here.
NATIONAL_HOLIDAYS = ((1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9),
                     (7, 6), (8, 30), (10, 25), (12, 16))
RELIGIOUS_HOLIDAYS = ((1, 7),)


def days_off(year: int) -> set[date]:
    """The public holidays of a year, with national holidays on a weekend carried over."""
    national = [date(year, month, day) for month, day in NATIONAL_HOLIDAYS]
    off = {date(year, month, day) for month, day in RELIGIOUS_HOLIDAYS} | set(national)
    for holiday in national:
        if holiday.weekday() >= 5:
            carried = holiday
            while carried.weekday() >= 5 or carried in off:
                carried += timedelta(days=1)
            off.add(carried)
    return off


def add_business_days(start: date, days: int) -> date:
    """Working days: Monday to Friday, not a public holiday."""
    current, holidays = start, days_off(start.year) | days_off(start.year + 1)
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            days -= 1
    return current


def _require_offer(application: Application) -> None:
    if application.status is not ApplicationStatus.OFFER:
        raise HiringRuleBroken(_l("This is only possible after a conditional offer."))


def save_disclosure(application: Application, *, disclosure: str, story: str, share: bool,
                    actor: User) -> Disclosure:
    """Writing or sharing needs a conditional offer; withdrawing consent is always possible."""
    row = db.session.query(Disclosure).filter_by(application_id=application.id).one_or_none()
    if not share and row is not None and application.status is not ApplicationStatus.OFFER:
        row.shared_at = None
        record("disclosure:unshare", application, actor=actor)
        db.session.flush()
        return row
    _require_offer(application)
    if row is None:
        row = Disclosure(application=application, content={})
        db.session.add(row)
    row.content = {"disclosure": disclosure or "", "story": story or ""}
    was_shared = row.shared_at is not None
    row.shared_at = utcnow() if share else None
    record("disclosure:share" if share else "disclosure:save", application, actor=actor)
    if share and not was_shared:
        notify_all(organisation_users(application.vacancy), "disclosure_shared",
                   link=application_links(application)[1], vacancy=application.vacancy.title)
    db.session.flush()
    return row


def disclosure_of(application: Application) -> Disclosure | None:
    return db.session.query(Disclosure).filter_by(application_id=application.id).one_or_none()


def read_shared_disclosure(application: Application, *, viewer: User) -> dict | None:
    """The shared disclosure for the employer, audited on every read; None when not shared."""
    row = disclosure_of(application)
    visible = application.status in (ApplicationStatus.OFFER, ApplicationStatus.HIRED)
    if row is None or row.shared_at is None or not visible:
        return None
    record("disclosure:view", application, actor=viewer)
    return row.content


def withdrawal_of(application: Application) -> OfferWithdrawal | None:
    return db.session.query(OfferWithdrawal).filter_by(
        application_id=application.id).one_or_none()


def request_withdrawal(application: Application, *, reason: str, actor: User,
                       today: date | None = None) -> OfferWithdrawal:
    """Starts the candidate's response window; raises HiringRuleBroken."""
    _require_offer(application)
    if len((reason or "").strip()) < MIN_REASON_LENGTH:
        raise HiringRuleBroken(_l("Explain the reason in at least %(count)d characters.",
                                  count=MIN_REASON_LENGTH), field="reason")
    if withdrawal_of(application) is not None:
        raise HiringRuleBroken(_l("A withdrawal of this offer has already been requested."))
    days = current_app.config["OFFER_RESPONSE_BUSINESS_DAYS"]
    respond_by = add_business_days(today or date.today(), days)
    withdrawal = OfferWithdrawal(application=application, reason=reason.strip(),
                                 requested_by_id=actor.id, respond_by=respond_by)
    db.session.add(withdrawal)
    move(application, "request_withdrawal", actor=actor, reason=reason.strip())
    notify(application.profile.user, "withdrawal_requested", link=application_links(application)[0],
           vacancy=application.vacancy.title, date=respond_by.isoformat())
    db.session.flush()
    return withdrawal


def _open_withdrawal(application: Application) -> OfferWithdrawal:
    withdrawal = withdrawal_of(application)
    if withdrawal is None or withdrawal.outcome is not None:
        raise HiringRuleBroken(_l("There is no open request to withdraw this offer."))
    return withdrawal


def respond_to_withdrawal(application: Application, *, response: str, actor: User,
                          today: date | None = None) -> None:
    withdrawal = _open_withdrawal(application)
    if (today or date.today()) > withdrawal.respond_by:
        raise HiringRuleBroken(_l("The time to respond has passed."))
    if not (response or "").strip():
        raise HiringRuleBroken(_l("Write your response."), field="response")
    withdrawal.candidate_response = response.strip()
    withdrawal.responded_at = utcnow()
    record("offer:withdrawal_response", application, actor=actor)
    notify_all(organisation_users(application.vacancy), "withdrawal_response",
               link=application_links(application)[1], vacancy=application.vacancy.title)
    db.session.flush()


def finalise_withdrawal(application: Application, *, actor: User,
                        today: date | None = None) -> None:
    """Only after the candidate responded or the window closed."""
    withdrawal = _open_withdrawal(application)
    if withdrawal.responded_at is None and (today or date.today()) <= withdrawal.respond_by:
        raise HiringRuleBroken(_l("The candidate can still respond until %(date)s.",
                                  date=withdrawal.respond_by.isoformat()))
    move(application, "finalise_withdrawal", actor=actor, reason=withdrawal.reason)
    application.rejection_reason = RejectionReason.OFFER_WITHDRAWN
    withdrawal.outcome, withdrawal.decided_at = "final", utcnow()
    notify(application.profile.user, "withdrawal_final", link=application_links(application)[0],
           vacancy=application.vacancy.title)
    db.session.flush()


def keep_offer(application: Application, *, actor: User) -> None:
    withdrawal = _open_withdrawal(application)
    move(application, "keep_offer", actor=actor)
    withdrawal.outcome, withdrawal.decided_at = "reconsidered", utcnow()
    notify(application.profile.user, "offer_kept", link=application_links(application)[0],
           vacancy=application.vacancy.title)
    db.session.flush()
