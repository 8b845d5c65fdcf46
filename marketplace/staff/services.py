"""What a job-centre officer sees of their own region: the work queues, each with how many items
wait and how long the oldest has waited, and the region in figures.

Every figure is counted by the database: one statement counts all the queues and finds their
oldest items, then one statement per non-empty queue loads its first few items with what the
page shows of them. Nothing grows with the size of the region except the database's work (tens
of milliseconds for a national region's counts), which is why the view keeps the rendered
result for a few seconds (marketplace/staff/kept.py).
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, true
from sqlalchemy.orm import contains_eager, joinedload

from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases import services as cases
from marketplace.cases.models import CaseTask, CheckIn, VacancyReport
from marketplace.certificates.models import Certificate
from marketplace.certificates.services import review_queue_query
from marketplace.employers.models import EmployerOrganisation, VerificationStatus
from marketplace.employers.reports import open_reports_query
from marketplace.extensions import db
from marketplace.hiring.models import Application, ApplicationStatus, Employment
from marketplace.incentives.models import Claim, ClaimMonth
from marketplace.incentives.months import months_to_check_query
from marketplace.incentives.review import staff_queue_query

SHOWN = 5
RECENT = 10


@dataclass(frozen=True)
class QueueItem:
    """One waiting item as the home page shows it: plain values (the page may be served from
    memory), the page where it is decided, and per queue one more value (an amount, a month,
    a vacancy, months after a hire)."""

    id: int
    endpoint: str
    args: dict
    label: str
    detail: object = None


@dataclass(frozen=True)
class Queue:
    key: str
    title: object          # lazy translated
    count: int
    oldest_days: int | None
    endpoint: str           # the full list
    first: tuple = ()       # QueueItems: the oldest few, each opening the page to decide it


@dataclass(frozen=True)
class QueueSource:
    """Where a queue's items come from: the query (oldest first), the column that says since
    when an item waits, what is loaded with each item and how the page shows it."""

    key: str
    title: object
    query: Select
    waiting_since: object
    endpoint: str
    describe: object        # item → QueueItem
    load: tuple = ()


@dataclass(frozen=True)
class RecentCandidate:
    id: int
    name: str
    desired_title: str | None
    created_at: datetime


@dataclass(frozen=True)
class RegionOverview:
    candidates: int
    discoverable: int
    recent_candidates: tuple


@dataclass(frozen=True)
class StaffHome:
    queues: list
    overview: RegionOverview


def _days_since(moment, today: date) -> int | None:
    if moment is None:
        return None
    day = moment.date() if isinstance(moment, datetime) else moment
    return max(0, (today - day).days)


def offers_awaiting_response_query(region_id: int) -> Select:
    """Conditional offers to the region's candidates that they have not answered yet."""
    return (select(Application).join(CandidateProfile)
            .where(CandidateProfile.region_id == region_id,
                   Application.status == ApplicationStatus.OFFER,
                   Application.offer_response.is_(None))
            .order_by(Application.updated_at, Application.id))


def pending_organisations_query(region_id: int) -> Select:
    return (select(EmployerOrganisation)
            .where(EmployerOrganisation.region_id == region_id,
                   EmployerOrganisation.status == VerificationStatus.PENDING)
            .order_by(EmployerOrganisation.created_at, EmployerOrganisation.id))


def _item(obj, endpoint: str, label: str, detail=None, **args) -> QueueItem:
    return QueueItem(obj.id, endpoint, args, label, detail)


def _person(profile_id: int, name: str, detail=None, *, obj) -> QueueItem:
    return _item(obj, "cases.candidate", name, detail, profile_id=profile_id)


def _claim_item(claim_id: int, name: str, detail, *, obj) -> QueueItem:
    return _item(obj, "incentives_staff.review_claim", name, detail, claim_id=claim_id)


def _hired_person(check_in: CheckIn) -> QueueItem:
    application = check_in.employment.application
    return _person(application.profile_id, application.profile.user.full_name,
                   check_in.months_after, obj=check_in)


def queue_sources(region_id: int, today: date) -> list[QueueSource]:
    return [
        QueueSource("verify_people", _l("Job seekers awaiting target-group verification"),
                    cases.candidates_awaiting_verification_query(region_id),
                    CandidateProfile.created_at, "cases.caseload",
                    lambda p: _person(p.id, p.user.full_name, obj=p),
                    (joinedload(CandidateProfile.user),)),
        QueueSource("certificates", _l("Certificates to verify"), review_queue_query(region_id),
                    Certificate.submitted_at, "certificates.queue",
                    lambda c: _item(c, "certificates.review", c.title, c.profile.user.full_name,
                                    certificate_id=c.id),
                    (joinedload(Certificate.profile).joinedload(CandidateProfile.user),)),
        QueueSource("organisations", _l("Employer organisations to verify"),
                    pending_organisations_query(region_id), EmployerOrganisation.created_at,
                    "moderation.organisations",
                    lambda o: _item(o, "moderation.organisation", o.name, organisation_id=o.id)),
        QueueSource("claims", _l("Claims to review"), staff_queue_query(region_id),
                    Claim.updated_at, "incentives_staff.queue",
                    lambda c: _claim_item(c.id, c.organisation.name, c.total_amount, obj=c),
                    (joinedload(Claim.organisation),)),
        QueueSource("months", _l("Monthly confirmations to check"),
                    months_to_check_query(region_id), ClaimMonth.submitted_at,
                    "incentives_staff.queue",
                    lambda m: _claim_item(m.claim_id, m.claim.organisation.name, m.month, obj=m),
                    (joinedload(ClaimMonth.claim).joinedload(Claim.organisation),)),
        QueueSource("reports", _l("Vacancies reported by users"), open_reports_query(region_id),
                    VacancyReport.created_at, "moderation.vacancy_reports",
                    lambda r: _item(r, "moderation.vacancy", r.vacancy.title,
                                    vacancy_id=r.vacancy_id),
                    (joinedload(VacancyReport.vacancy),)),
        QueueSource("offers", _l("Offers awaiting the candidate's answer"),
                    offers_awaiting_response_query(region_id), Application.updated_at,
                    "cases.caseload",
                    lambda a: _person(a.profile_id, a.profile.user.full_name, a.vacancy.title,
                                      obj=a),
                    (joinedload(Application.profile).joinedload(CandidateProfile.user),
                     joinedload(Application.vacancy))),
        QueueSource("check_ins", _l("Retention check-ins due"),
                    cases.check_ins_due_query(region_id, today), CheckIn.due_on,
                    "cases.check_ins", _hired_person,
                    (joinedload(CheckIn.employment).joinedload(Employment.application)
                     .joinedload(Application.profile).joinedload(CandidateProfile.user),)),
        QueueSource("tasks", _l("Open follow-up tasks"), cases.open_tasks_query(region_id),
                    CaseTask.due_on, "cases.caseload",
                    lambda t: _person(t.case.profile_id, t.title, obj=t),
                    (joinedload(CaseTask.case),)),
    ]


def _summaries(sources: list[QueueSource]) -> list[tuple[int, object]]:
    """(count, oldest waiting-since) of every queue, in one statement: each queue is a one-row
    aggregate subquery and the rows are joined side by side."""
    subqueries = [
        source.query.order_by(None)
        .with_only_columns(func.count().label("n"),
                           func.min(source.waiting_since).label("oldest"),
                           maintain_column_froms=True)
        .subquery(source.key)
        for source in sources]
    joined = subqueries[0]
    for subquery in subqueries[1:]:
        joined = joined.join(subquery, true())
    row = db.session.execute(select(*(column for subquery in subqueries
                                      for column in (subquery.c.n, subquery.c.oldest)))
                             .select_from(joined)).one()
    return [(row[2 * n], row[2 * n + 1]) for n in range(len(sources))]


def _first(source: QueueSource) -> tuple:
    items = db.session.scalars(source.query.options(*source.load).limit(SHOWN)).unique()
    return tuple(source.describe(item) for item in items)


def work_queues(region_id: int, today: date | None = None) -> list[Queue]:
    today = today or date.today()
    sources = queue_sources(region_id, today)
    return [Queue(source.key, source.title, count, _days_since(oldest, today), source.endpoint,
                  _first(source) if count else ())
            for source, (count, oldest) in zip(sources, _summaries(sources), strict=True)]


def region_overview(region_id: int) -> RegionOverview:
    # Two counts that indexes answer without reading the profiles (region; discoverable ones).
    in_region = CandidateProfile.region_id == region_id
    candidates, discoverable = db.session.execute(select(
        select(func.count()).where(in_region).scalar_subquery(),
        select(func.count()).where(in_region, CandidateProfile.discoverable)
        .scalar_subquery())).one()
    recent = db.session.scalars(
        select(CandidateProfile).join(User, CandidateProfile.user_id == User.id)
        .where(in_region).options(contains_eager(CandidateProfile.user))
        .order_by(CandidateProfile.created_at.desc(), CandidateProfile.id.desc())
        .limit(RECENT))
    return RegionOverview(candidates, discoverable, tuple(
        RecentCandidate(p.id, p.user.full_name, p.desired_title, p.created_at) for p in recent))


def staff_home(region_id: int, today: date | None = None) -> StaffHome:
    return StaffHome(work_queues(region_id, today), region_overview(region_id))
