"""What a job-centre officer sees of their own region: the work queues, each with how many items
wait and how long the oldest has waited, and the region in figures."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases import services as cases
from marketplace.certificates.services import review_queue
from marketplace.employers.models import EmployerOrganisation, VerificationStatus
from marketplace.employers.reports import open_reports
from marketplace.extensions import db
from marketplace.hiring.models import Application, ApplicationStatus
from marketplace.incentives.months import months_to_check
from marketplace.incentives.review import staff_queue

SHOWN = 5


@dataclass(frozen=True)
class Queue:
    key: str
    title: object          # lazy translated
    count: int
    oldest_days: int | None
    endpoint: str           # the full list
    first: tuple = ()       # the oldest few items, each opening the page to decide it


def _days_since(moment, today: date) -> int | None:
    if moment is None:
        return None
    day = moment.date() if isinstance(moment, datetime) else moment
    return max(0, (today - day).days)


def _queue(key, title, items, waiting_since, endpoint, today) -> Queue:
    oldest = min((waiting_since(item) for item in items), default=None)
    first = tuple(sorted(items, key=waiting_since)[:SHOWN])
    return Queue(key, title, len(items), _days_since(oldest, today), endpoint, first)


def offers_awaiting_response(region_id: int) -> list[Application]:
    """Conditional offers to the region's candidates that they have not answered yet."""
    return list(db.session.scalars(
        select(Application).join(CandidateProfile)
        .where(CandidateProfile.region_id == region_id,
               Application.status == ApplicationStatus.OFFER,
               Application.offer_response.is_(None))
        .order_by(Application.updated_at)))


def pending_organisations(region_id: int) -> list[EmployerOrganisation]:
    return list(db.session.scalars(
        select(EmployerOrganisation)
        .where(EmployerOrganisation.region_id == region_id,
               EmployerOrganisation.status == VerificationStatus.PENDING)
        .order_by(EmployerOrganisation.created_at)))


def work_queues(region_id: int, today: date | None = None) -> list[Queue]:
    today = today or date.today()
    return [
        _queue("verify_people", _l("Job seekers awaiting target-group verification"),
               cases.candidates_awaiting_verification(region_id), lambda p: p.created_at,
               "cases.caseload", today),
        _queue("certificates", _l("Certificates to verify"), review_queue(region_id),
               lambda c: c.submitted_at, "certificates.queue", today),
        _queue("organisations", _l("Employer organisations to verify"),
               pending_organisations(region_id), lambda o: o.created_at,
               "moderation.organisations", today),
        _queue("claims", _l("Claims to review"), staff_queue(region_id),
               lambda c: c.updated_at, "incentives_staff.queue", today),
        _queue("months", _l("Monthly confirmations to check"), months_to_check(region_id),
               lambda m: m.submitted_at, "incentives_staff.queue", today),
        _queue("reports", _l("Vacancies reported by users"), open_reports(region_id),
               lambda r: r.created_at, "moderation.vacancy_reports", today),
        _queue("offers", _l("Offers awaiting the candidate's answer"),
               offers_awaiting_response(region_id), lambda a: a.updated_at,
               "cases.caseload", today),
        _queue("check_ins", _l("Retention check-ins due"), cases.check_ins_due(region_id, today),
               lambda c: c.due_on, "cases.check_ins", today),
        _queue("tasks", _l("Open follow-up tasks"), cases.open_tasks(region_id),
               lambda t: t.due_on, "cases.caseload", today),
    ]


def region_overview(region_id: int) -> dict:
    candidates = db.session.scalar(
        select(func.count(CandidateProfile.id)).where(CandidateProfile.region_id == region_id))
    discoverable = db.session.scalar(
        select(func.count(CandidateProfile.id)).where(
            CandidateProfile.region_id == region_id, CandidateProfile.discoverable.is_(True)))
    recent = list(db.session.scalars(
        select(CandidateProfile).join(User, CandidateProfile.user_id == User.id)
        .where(CandidateProfile.region_id == region_id)
        .order_by(CandidateProfile.created_at.desc()).limit(10)))
    return {"candidates": candidates, "discoverable": discoverable,
            "recent_candidates": recent}
