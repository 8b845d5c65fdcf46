"""Records which profiles and vacancies changed, from any service, at flush time.

A session event sees every insert, update and delete, so no service can forget to tell the
index. The rows are written just before commit, in the same transaction as the change.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancySkill
from marketplace.matches.models import MatchChange
from marketplace.restrictions.models import CandidateRestriction

_PENDING = "match_changes"
_NEW = "match_new_objects"


def _entity_of(obj) -> tuple[str, int] | None:
    if isinstance(obj, CandidateProfile):
        return "candidate", obj.id
    if isinstance(obj, CandidateSkill):
        return "candidate", obj.profile_id or (obj.profile.id if obj.profile else None)
    if isinstance(obj, Vacancy):
        return "vacancy", obj.id
    if isinstance(obj, VacancySkill):
        return "vacancy", obj.vacancy_id or (obj.vacancy.id if obj.vacancy else None)
    if isinstance(obj, CandidateRestriction):
        return "candidate", obj.profile_id
    if isinstance(obj, EmployerOrganisation):
        return "organisation", obj.id
    return None


@event.listens_for(Session, "before_flush")
def _collect(session, flush_context, instances):
    pending = session.info.setdefault(_PENDING, set())
    changed = [o for o in session.dirty if session.is_modified(o)]
    session.info.setdefault(_NEW, []).extend(session.new)  # ids exist only after the flush
    for obj in (*changed, *session.deleted):
        entity = _entity_of(obj)
        if entity and entity[1] is not None:
            pending.add(entity)


@event.listens_for(Session, "after_flush")
def _collect_new(session, flush_context):
    pending = session.info.setdefault(_PENDING, set())
    for obj in session.info.pop(_NEW, ()):
        entity = _entity_of(obj)
        if entity and entity[1] is not None:
            pending.add(entity)


@event.listens_for(Session, "before_commit")
def _write(session):
    # before_commit runs before the commit's own flush: flush first so nothing is missed.
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.add_all(MatchChange(entity=e, entity_id=i) for e, i in sorted(pending))
        session.flush()
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_PENDING, None)
    session.info.pop(_NEW, None)


def record_change(entity: str, entity_id: int) -> None:
    """For changes the ORM cannot see (e.g. new matching weights)."""
    from marketplace.extensions import db

    db.session.add(MatchChange(entity=entity, entity_id=entity_id))

