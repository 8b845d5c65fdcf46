"""Searching the audit log, for the staff and admin viewer.

Who sees which events
---------------------
Admins see every event. A job-centre staff member sees the events that are about their own
job centre's work, in two kinds that are both decided in SQL from columns the event already has:

* events whose **actor is a staff member of their region** (what they and their colleagues did,
  including searches of this log), and
* events **about a candidate of their region**: the object is the candidate's profile
  (``candidate_profile``), one of the candidate's restrictions (``candidate_restriction``) or
  their release record (``release_record``), and the profile belongs to the staff member's
  region today.

Everything else stays hidden from staff: other regions' staff, administrators' account work,
employers' organisations and vacancies, and sign-ins. Following every object type back to a
region (applications, claims, certificates…) would need a join per type for little gain; staff
who need more ask an admin. A staff account without a region sees nothing.

Dates
-----
The "from" and "to" dates are whole calendar days in UTC, the same clock the page shows the
times in; "to" includes its whole day.

Viewing the log is itself audited (``audit:search``, with the filters used). The details of an
event never hold decrypted restriction, release or conviction content, so they are shown as they
are, as key: value pairs.
"""

import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String, and_, cast, false, func, or_, select

from marketplace.audit.models import AuditEvent
from marketplace.audit.services import record
from marketplace.auth.models import Role, User
from marketplace.candidates.models import CandidateProfile
from marketplace.cases.models import ReleaseRecord
from marketplace.extensions import db
from marketplace.restrictions.models import CandidateRestriction

PAGE_SIZE = 50
MAX_ID = 2**31 - 1
DETAIL_MAX = 300  # characters of one detail value shown; the rest is cut with an ellipsis


@dataclass(frozen=True)
class AuditFilters:
    """What the viewer asked for; None means "any"."""

    actor: str | None = None        # a name or e-mail fragment, or an account number
    object_type: str | None = None  # e.g. "candidate_profile"
    object_id: str | None = None
    area: str | None = None         # the part of an action before the colon, e.g. "claim"
    action: str | None = None       # a whole action or its beginning, e.g. "claim:approve"
    date_from: date | None = None
    date_to: date | None = None

    def used(self) -> dict:
        """The filters that were set, in a form an audit event's details can hold."""
        return {key: value.isoformat() if isinstance(value, date) else value
                for key, value in asdict(self).items() if value not in (None, "")}


@dataclass
class AuditPage:
    page: object  # flask_sqlalchemy Pagination of AuditEvent
    actors: dict[int, User]


def _as_text(column):
    # object_id is a string column (ids of any type); compare it with ids rendered as text.
    return cast(column, String(64))


def _visible_to(viewer: User):
    """The scope condition described in the module docstring."""
    if viewer.role is Role.ADMIN:
        return None
    if viewer.role is not Role.STAFF or viewer.region_id is None:
        return false()
    region_id = viewer.region_id
    colleagues = select(User.id).where(User.role == Role.STAFF, User.region_id == region_id)
    profiles = select(CandidateProfile.id).where(CandidateProfile.region_id == region_id)
    about_candidate = {
        CandidateProfile.__tablename__: select(_as_text(CandidateProfile.id))
        .where(CandidateProfile.region_id == region_id),
        CandidateRestriction.__tablename__: select(_as_text(CandidateRestriction.id))
        .where(CandidateRestriction.profile_id.in_(profiles)),
        ReleaseRecord.__tablename__: select(_as_text(ReleaseRecord.id))
        .where(ReleaseRecord.profile_id.in_(profiles)),
    }
    return or_(AuditEvent.actor_id.in_(colleagues),
               *(and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(ids))
                 for object_type, ids in about_candidate.items()))


def _actor_condition(text: str):
    if text.isascii() and text.isdigit():  # "²" is a digit to isdigit() but not to int()
        return AuditEvent.actor_id == int(text) if int(text) <= MAX_ID else false()
    # SQLite's lower() folds only ASCII letters: also try the text as typed and capitalised,
    # so "тест" still finds "Тест Пайдаланушы".
    variants = {text, text.lower(), text.capitalize()}
    matches = [column.contains(variant, autoescape=True)
               for variant in variants
               for column in (User.full_name, func.lower(User.email))]
    return AuditEvent.actor_id.in_(select(User.id).where(or_(*matches)))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def search_query(viewer: User, filters: AuditFilters):
    """A select() of the events the viewer may see that match the filters, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    scope = _visible_to(viewer)
    if scope is not None:
        query = query.where(scope)
    if filters.actor:
        query = query.where(_actor_condition(filters.actor))
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.area:
        query = query.where(AuditEvent.action.startswith(f"{filters.area}:", autoescape=True))
    if filters.action:
        query = query.where(or_(AuditEvent.action == filters.action,
                                AuditEvent.action.startswith(filters.action, autoescape=True)))
    if filters.date_from:
        query = query.where(AuditEvent.created_at >= _day_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.created_at < _day_start(filters.date_to + timedelta(1)))
    return query


def search(viewer: User, filters: AuditFilters, *, page: int) -> AuditPage:
    """One page of matching events with their actors; the search is recorded in the log."""
    result = db.paginate(search_query(viewer, filters), page=page, per_page=PAGE_SIZE,
                         error_out=False)
    actor_ids = {event.actor_id for event in result.items if event.actor_id is not None}
    actors = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(actor_ids)))} if actor_ids else {}
    # Recorded after the query, so a search never lists itself.
    record("audit:search", actor=viewer, object_type=AuditEvent.__tablename__,
           filters=filters.used(), page=page, results=result.total)
    db.session.flush()
    return AuditPage(page=result, actors=actors)


def _distinct(column) -> list[str]:
    """The column's distinct values, smallest first, by skipping from one value to the next
    along its index (a loose index scan: a probe per value, where SELECT DISTINCT reads every
    event of a log that only grows)."""
    seen = select(select(func.min(column)).scalar_subquery().label("value")).cte(
        "seen", recursive=True)
    following = select(func.min(column)).where(column > seen.c.value).scalar_subquery()
    seen = seen.union_all(select(following).where(seen.c.value.is_not(None)))
    return list(db.session.scalars(select(seen.c.value).where(seen.c.value.is_not(None))))


def known_areas() -> list[str]:
    """The action prefixes in the log ("claim", "user", …), for the filter's select."""
    return sorted({action.split(":", 1)[0] for action in _distinct(AuditEvent.action) if action})


def known_object_types() -> list[str]:
    return [t for t in _distinct(AuditEvent.object_type) if t]


def _detail_text(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True, default=str)
    return text if len(text) <= DETAIL_MAX else text[:DETAIL_MAX - 1] + "…"


def detail_pairs(event: AuditEvent) -> list[tuple[str, str]]:
    """The event's details as (key, value) text pairs, sorted by key."""
    details = event.details if isinstance(event.details, dict) else {}
    return [(str(key), _detail_text(value)) for key, value in sorted(details.items())]
