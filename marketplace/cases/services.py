"""Case management by job-centre staff: the release record that verifies a candidate as a member
of the target group, a case manager, notes, follow-up tasks, re-offences, the caseload and the
queues of the staff home page.

Release and re-offence details are encrypted at rest and every human view is audited; the audit
events name what happened, never the content.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased, contains_eager, joinedload

from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import (
    Case,
    CaseNote,
    CaseTask,
    CheckIn,
    ReleaseRecord,
    Reoffence,
    ReoffenceKind,
    TaskKind,
)
from marketplace.db_types import utcnow
from marketplace.employers.models import Vacancy
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hiring.models import Application, Employment
from marketplace.pagination import RowPage, paginate_rows

# Nobody still looking for work through this programme was released before this date; earlier
# dates are typing mistakes.
EARLIEST_DATE = date(1950, 1, 1)
TEXT_MAX = 200
NOTE_MAX = 5000
NEXT_STEP_MAX = 500
# A follow-up further ahead than this is a typing mistake, not a plan.
TASK_MAX_DAYS_AHEAD = 366
# Check-ins are shown (and may be recorded) from a week before their due date.
DUE_SOON_DAYS = 7


class InvalidCaseEntry(DomainError):
    """A release record, note, task, manager or re-offence that cannot be saved as given."""


class TaskAlreadyDone(DomainError):
    pass


def _today(today: date | None) -> date:
    return today or date.today()


def _required_text(value, *, field: str, missing, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidCaseEntry(missing, field=field)
    if len(text) > limit:
        raise InvalidCaseEntry(_l("Use at most %(limit)s characters.", limit=limit), field=field)
    return text


def _past_date(value: date | None, *, field: str, today: date) -> date:
    """A date that has happened: not empty, not in the future, not before 1950."""
    if value is None:
        raise InvalidCaseEntry(_l("Enter a date, e.g. 2025-06-30."), field=field)
    if value > today:
        raise InvalidCaseEntry(_l("The date cannot be in the future."), field=field)
    if value < EARLIEST_DATE:
        raise InvalidCaseEntry(_l("The date cannot be before 1950."), field=field)
    return value


# --- release record (target-group verification) -----------------------------------------------

def release_record_of(profile_id: int) -> ReleaseRecord | None:
    return db.session.scalar(select(ReleaseRecord).where(ReleaseRecord.profile_id == profile_id))


def is_verified(profile_id: int) -> bool:
    """A candidate is verified as a member of the target group once staff have recorded their
    release from the document they saw."""
    return db.session.scalar(select(exists().where(ReleaseRecord.profile_id == profile_id)))


def record_release(profile: CandidateProfile, *, release_date: date | None, institution: str,
                   document: str, actor: User, today: date | None = None) -> ReleaseRecord:
    """Record (or replace) the release; raises InvalidCaseEntry. Recording it verifies the
    candidate as a member of the target group."""
    release_date = _past_date(release_date, field="release_date", today=_today(today))
    details = {
        "institution": _required_text(institution, field="institution",
                                      missing=_l("Enter the institution the person left.")),
        "document": _required_text(document, field="document",
                                   missing=_l("Enter the document you have seen.")),
    }
    release = release_record_of(profile.id)
    replaced = release is not None
    if release is None:
        release = ReleaseRecord(profile_id=profile.id)
        db.session.add(release)
    release.release_date, release.details = release_date, details
    release.verified_by_id, release.verified_at = actor.id, utcnow()
    db.session.flush()
    record("release:record", release, actor=actor, profile_id=profile.id, replaced=replaced)
    return release


@dataclass(frozen=True)
class ReleaseView:
    release_date: date
    institution: str
    document: str
    verified_by: str
    verified_at: datetime


def view_release(profile: CandidateProfile, *, viewer: User) -> ReleaseView | None:
    """For a staff page: the decrypted release record, with an audit event for the view (none
    when there is nothing to see)."""
    release = release_record_of(profile.id)
    if release is None:
        return None
    record("release:view", release, actor=viewer, profile_id=profile.id)
    return ReleaseView(release_date=release.release_date,
                       institution=release.details.get("institution", ""),
                       document=release.details.get("document", ""),
                       verified_by=release.verified_by.full_name,
                       verified_at=release.verified_at)


# --- the case --------------------------------------------------------------------------------

def case_of(profile_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.profile_id == profile_id))


def ensure_case(profile: CandidateProfile) -> Case:
    case = case_of(profile.id)
    if case is None:
        case = Case(profile_id=profile.id, next_step="")
        db.session.add(case)
        db.session.flush()
    return case


def region_staff(region_id: int) -> list[User]:
    """Active staff of a region: who may manage its cases."""
    return list(db.session.scalars(select(User).where(
        User.role == Role.STAFF, User.region_id == region_id, User.active.is_(True))
        .order_by(User.full_name, User.id)))


def assign_manager(case: Case, staff: User | None, *, actor: User) -> None:
    """Make `staff` the case manager; they must be active staff of the candidate's region."""
    region_id = case.profile.region_id
    if (staff is None or staff.role is not Role.STAFF or not staff.active
            or region_id is None or staff.region_id != region_id):
        raise InvalidCaseEntry(_l("Choose a staff member of the candidate's region."),
                               field="manager")
    case.manager_id = staff.id
    db.session.flush()
    record("case:assign", case, actor=actor, profile_id=case.profile_id, manager_id=staff.id)


def add_note(case: Case, *, body: str, was_contact: bool, actor: User) -> CaseNote:
    """A note on the case; a note about a conversation with the person is their last contact."""
    body = _required_text(body, field="body", missing=_l("Write the note."), limit=NOTE_MAX)
    note = CaseNote(case_id=case.id, author_id=actor.id, body=body, was_contact=bool(was_contact))
    db.session.add(note)
    if was_contact:
        case.last_contact_at = utcnow()
    db.session.flush()
    record("case:note", note, actor=actor, profile_id=case.profile_id,
           was_contact=bool(was_contact))
    return note


def set_next_step(case: Case, next_step: str, *, actor: User) -> None:
    text = (next_step or "").strip()
    if len(text) > NEXT_STEP_MAX:
        raise InvalidCaseEntry(_l("Use at most %(limit)s characters.", limit=NEXT_STEP_MAX),
                               field="next_step")
    case.next_step = text
    db.session.flush()
    record("case:next_step", case, actor=actor, profile_id=case.profile_id)


def add_task(case: Case, *, title: str, due_on: date | None, actor: User | None,
             kind: TaskKind = TaskKind.FOLLOW_UP, today: date | None = None) -> CaseTask:
    """A follow-up with a due date from today to a year ahead; raises InvalidCaseEntry."""
    title = _required_text(title, field="title", missing=_l("Say what has to be done."))
    today = _today(today)
    if due_on is None:
        raise InvalidCaseEntry(_l("Enter a date, e.g. 2025-06-30."), field="due_on")
    if due_on < today:
        raise InvalidCaseEntry(_l("The due date cannot be in the past."), field="due_on")
    if due_on > today + timedelta(days=TASK_MAX_DAYS_AHEAD):
        raise InvalidCaseEntry(_l("The due date is more than a year ahead."), field="due_on")
    task = CaseTask(case_id=case.id, kind=kind, title=title, due_on=due_on,
                    created_by_id=getattr(actor, "id", None))
    db.session.add(task)
    db.session.flush()
    record("case:task_add", task, actor=actor, profile_id=case.profile_id, kind=kind.value,
           due_on=due_on.isoformat())
    return task


def complete_task(task: CaseTask, *, actor: User) -> None:
    if task.done_at is not None:
        raise TaskAlreadyDone(_l("This task has already been done."))
    task.done_at, task.done_by_id = utcnow(), actor.id
    db.session.flush()
    record("case:task_done", task, actor=actor)


# --- re-offences -----------------------------------------------------------------------------

def record_reoffence(profile: CandidateProfile, *, kind, occurred_on: date | None, note: str,
                     actor: User, today: date | None = None) -> Reoffence:
    """A re-incarceration or new conviction staff learned of, for the indicators."""
    try:
        kind = ReoffenceKind(kind)
    except ValueError:
        raise InvalidCaseEntry(_l("Choose what happened."), field="kind") from None
    occurred_on = _past_date(occurred_on, field="occurred_on", today=_today(today))
    release = release_record_of(profile.id)
    if release is not None and occurred_on < release.release_date:
        raise InvalidCaseEntry(_l("The date cannot be before the release date."),
                               field="occurred_on")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidCaseEntry(_l("Use at most %(limit)s characters.", limit=NOTE_MAX),
                               field="note")
    reoffence = Reoffence(profile_id=profile.id, kind=kind, occurred_on=occurred_on,
                          details={"note": note}, recorded_by_id=actor.id)
    db.session.add(reoffence)
    db.session.flush()
    # The kind and the month are what the indicators count; the note stays out of the log.
    record("reoffence:record", reoffence, actor=actor, profile_id=profile.id, kind=kind.value)
    return reoffence


def reoffences_of(profile_id: int) -> list[Reoffence]:
    return list(db.session.scalars(select(Reoffence).where(Reoffence.profile_id == profile_id)
                                   .order_by(Reoffence.occurred_on.desc(), Reoffence.id.desc())))


# --- the caseload ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseloadRow:
    profile_id: int
    name: str
    manager_id: int | None
    manager_name: str | None
    last_contact_at: datetime | None
    next_step: str
    open_tasks: int
    next_due_on: date | None
    overdue: bool
    verified: bool


CASELOAD_FILTERS = ("all", "mine", "unassigned")


def _caseload_query(region_id: int, manager_id: int | None, unassigned: bool,
                    today: date) -> Select:
    """The rows in the page's order, sorted by the database: overdue first, then the longest
    without contact (never contacted first), then by profile."""
    manager = aliased(User)
    tasks = (select(CaseTask.case_id, func.count(CaseTask.id).label("open"),
                    func.min(CaseTask.due_on).label("next_due"))
             .where(CaseTask.done_at.is_(None)).group_by(CaseTask.case_id).subquery())
    overdue = tasks.c.next_due < today
    query = (
        select(CandidateProfile.id.label("profile_id"), User.full_name.label("name"),
               Case.manager_id, manager.full_name.label("manager_name"), Case.last_contact_at,
               Case.next_step, tasks.c.open, tasks.c.next_due,
               ReleaseRecord.id.label("release_id"))
        .join(User, CandidateProfile.user_id == User.id)
        .outerjoin(Case, Case.profile_id == CandidateProfile.id)
        .outerjoin(manager, Case.manager_id == manager.id)
        .outerjoin(tasks, tasks.c.case_id == Case.id)
        .outerjoin(ReleaseRecord, ReleaseRecord.profile_id == CandidateProfile.id)
        .where(CandidateProfile.region_id == region_id)
        .order_by(sql_case((overdue, 0), else_=1), Case.last_contact_at.is_not(None),
                  Case.last_contact_at, CandidateProfile.id)
    )
    if manager_id is not None:
        query = query.where(Case.manager_id == manager_id)
    if unassigned:
        query = query.where(Case.manager_id.is_(None))
    return query


def _caseload_row(row, today: date) -> CaseloadRow:
    return CaseloadRow(profile_id=row.profile_id, name=row.name, manager_id=row.manager_id,
                       manager_name=row.manager_name, last_contact_at=row.last_contact_at,
                       next_step=row.next_step or "", open_tasks=row.open or 0,
                       next_due_on=row.next_due,
                       overdue=row.next_due is not None and row.next_due < today,
                       verified=row.release_id is not None)


def caseload(region_id: int, manager_id: int | None = None, *, unassigned: bool = False,
             today: date | None = None) -> list[CaseloadRow]:
    """Every candidate of the region with their case: overdue first, then the longest without
    contact. `manager_id` keeps one manager's cases; `unassigned` those without a manager."""
    today = _today(today)
    return [_caseload_row(row, today) for row in db.session.execute(
        _caseload_query(region_id, manager_id, unassigned, today))]


def caseload_page(region_id: int, manager_id: int | None = None, *, unassigned: bool = False,
                  page: int = 1, today: date | None = None) -> tuple[RowPage, dict]:
    """One page of the caseload and the figures of all of it, both counted by the database:
    {"total", "overdue", "unverified", "open_tasks"}."""
    today = _today(today)
    query = _caseload_query(region_id, manager_id, unassigned, today)
    rows = query.order_by(None).subquery()
    total, overdue, unverified, open_tasks = db.session.execute(select(
        func.count(), func.count().filter(rows.c.next_due < today),
        func.count().filter(rows.c.release_id.is_(None)), func.sum(rows.c.open))).one()
    # SUM of counts is a NUMERIC on PostgreSQL: the page wants a whole number.
    counts = {"total": total, "overdue": overdue, "unverified": unverified,
              "open_tasks": int(open_tasks or 0)}
    found = paginate_rows(query, page=page, total=total)
    found.items = [_caseload_row(row, today) for row in found.items]
    return found, counts


# --- queues of the staff home page -----------------------------------------------------------

# Each queue is a query (the staff home counts it and shows its head in SQL) and a list.

def candidates_awaiting_verification_query(region_id: int) -> Select:
    """Candidates of the region without a release record, the longest waiting first."""
    return (select(CandidateProfile).where(
        CandidateProfile.region_id == region_id,
        ~exists().where(ReleaseRecord.profile_id == CandidateProfile.id))
        .order_by(CandidateProfile.created_at, CandidateProfile.id))


def candidates_awaiting_verification(region_id: int) -> list[CandidateProfile]:
    return list(db.session.scalars(candidates_awaiting_verification_query(region_id)))


def check_ins_due_query(region_id: int, today: date | None = None) -> Select:
    """Check-ins of the region's hires without an outcome, due within a week or overdue;
    the most overdue first."""
    horizon = _today(today) + timedelta(days=DUE_SOON_DAYS)
    return (
        select(CheckIn)
        .join(Employment, CheckIn.employment_id == Employment.id)
        .join(Application, Employment.application_id == Application.id)
        .join(CandidateProfile, Application.profile_id == CandidateProfile.id)
        .where(CandidateProfile.region_id == region_id, CheckIn.outcome.is_(None),
               CheckIn.due_on <= horizon)
        .order_by(CheckIn.due_on, CheckIn.id))


def check_ins_due(region_id: int, today: date | None = None) -> list[CheckIn]:
    return list(db.session.scalars(check_ins_due_query(region_id, today)))


def open_tasks_query(region_id: int) -> Select:
    """Open tasks of the region's cases, the earliest due first."""
    return (
        select(CaseTask)
        .join(Case, and_(CaseTask.case_id == Case.id, CaseTask.done_at.is_(None)))
        .join(CandidateProfile, Case.profile_id == CandidateProfile.id)
        .where(CandidateProfile.region_id == region_id)
        .order_by(CaseTask.due_on, CaseTask.id))


def open_tasks(region_id: int) -> list[CaseTask]:
    return list(db.session.scalars(open_tasks_query(region_id)))


# --- loading for the pages -------------------------------------------------------------------

def profile_in_region(profile_id: int, region_id: int | None) -> CandidateProfile | None:
    """The candidate, if a staff member of `region_id` may see them."""
    profile = db.session.get(CandidateProfile, profile_id)
    if profile is None or region_id is None or profile.region_id != region_id:
        return None
    return profile


def task_of(case: Case | None, task_id: int) -> CaseTask | None:
    """The case's task, locked so that two clicks on "done" are served one after the other."""
    task = db.session.scalar(select(CaseTask).where(CaseTask.id == task_id).with_for_update()
                             .execution_options(populate_existing=True))
    return task if case is not None and task is not None and task.case_id == case.id else None


def applications_of(profile_id: int) -> list[Application]:
    """The candidate's applications, the most recently changed first (an offer waiting for
    their answer is what staff most often call about)."""
    return list(db.session.scalars(select(Application).where(Application.profile_id == profile_id)
                                   .options(_vacancy_and_organisation(Application.vacancy))
                                   .order_by(Application.updated_at.desc(), Application.id)))


def _vacancy_and_organisation(vacancy_attribute):
    # What the case page shows of each application and hire, loaded with them.
    return joinedload(vacancy_attribute).joinedload(Vacancy.organisation)


def employments_of(profile_id: int) -> list[Employment]:
    """The candidate's hires (recorded, confirmed or ended), newest first."""
    return list(db.session.scalars(
        select(Employment).join(Application, Employment.application_id == Application.id)
        .where(Application.profile_id == profile_id)
        .options(contains_eager(Employment.application).options(
            _vacancy_and_organisation(Application.vacancy)))
        .order_by(Employment.start_date.desc(), Employment.id.desc())))


def erase_case_words(profile: CandidateProfile, *, actor: User) -> None:
    """At the person's own account deletion: what staff wrote about them, the document details
    and any restriction go; the dates and outcomes that the programme's indicators count stay
    (the profile they hang on is anonymised)."""
    from marketplace.restrictions.models import CandidateRestriction

    case = db.session.scalar(select(Case).where(Case.profile_id == profile.id))
    if case is not None:
        case.notes.clear()
        case.tasks.clear()
        case.next_step = case.consent_note = ""
    record_ = release_record_of(profile.id)
    if record_ is not None:
        record_.details = {}
    for reoffence in db.session.scalars(select(Reoffence).where(
            Reoffence.profile_id == profile.id)):
        reoffence.details = {}
    for check_in in db.session.scalars(select(CheckIn).join(Employment).join(Application).where(
            Application.profile_id == profile.id)):
        check_in.left_reason = ""
    for restriction in db.session.scalars(select(CandidateRestriction).where(
            CandidateRestriction.profile_id == profile.id)):
        restriction.data = {}
        restriction.lifted_at = restriction.lifted_at or utcnow()
    record("case:erase", profile, actor=actor)
    db.session.flush()
