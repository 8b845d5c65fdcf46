"""Keeps the search index (vacancy_search) current, and reads the skills taxonomy for queries.

A session event notes, at every flush and from any service, which vacancies changed in a way
search sees: their title, description, occupation or skills, their organisation's name, or the
names and synonyms of the occupations and skills they use. Just before commit those vacancies'
rows are rewritten, set-based, in the same transaction. The database then keeps its own
full-text structure in step (migration 0015): a generated tsvector column on PostgreSQL,
triggers into the FTS5 table on SQLite.

Bulk loaders that write with Core or COPY call `reindex(connection, ids)` or
`rebuild(connection)` themselves (`flask search-reindex`).
"""

import threading
import time
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    column,
    delete,
    event,
    insert,
    inspect,
    literal,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Session

from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancySkill
from marketplace.jobs.query import Synonyms
from marketplace.jobs.text import MIN_HEAD, document, stem, words
from marketplace.reference.models import Occupation, Skill, SkillSynonym

CHUNK = 1000             # vacancies rewritten per statement
TAXONOMY_TTL = 300       # seconds a worker trusts its copy of the taxonomy (see taxonomy())
_PENDING = "search_pending"

# Plain table shapes with only the columns read here, so the migration that first fills the
# index runs this code unchanged even after later revisions add columns to the models.
_vacancy = table("vacancy", column("id", Integer), column("title"), column("description"),
                 column("occupation_id"), column("organisation_id"))
_organisation = table("employer_organisation", column("id"), column("name"))
_link = table("vacancy_skill", column("vacancy_id"), column("skill_id"))
_named = {name: table(name, column("id"), column("name_kk"), column("name_ru"),
                      column("name_en")) for name in ("occupation", "skill")}
_synonym = table("skill_synonym", column("skill_id"), column("language"), column("name"))
_search = table("vacancy_search", column("vacancy_id"), column("title"), column("tags"),
                column("body"))


# --- writing the index ------------------------------------------------------------------------

def reindex(connection, vacancy_ids) -> int:
    """Rewrite the index rows of these vacancies (gone ones lose theirs); returns how many."""
    ids = sorted(set(vacancy_ids))
    return sum(_reindex_chunk(connection, ids[n:n + CHUNK]) for n in range(0, len(ids), CHUNK))


def rebuild(connection) -> int:
    """Index every vacancy, a chunk at a time (keyset order, so memory stays flat)."""
    connection.execute(delete(_search))
    done, last = 0, 0
    while ids := connection.scalars(select(_vacancy.c.id).where(_vacancy.c.id > last)
                                    .order_by(_vacancy.c.id).limit(CHUNK)).all():
        done += _reindex_chunk(connection, ids)
        last = ids[-1]
    return done


def _reindex_chunk(connection, ids: list[int]) -> int:
    rows = connection.execute(
        select(_vacancy.c.id, _vacancy.c.title, _vacancy.c.description,
               _vacancy.c.occupation_id, _organisation.c.name)
        .join(_organisation, _organisation.c.id == _vacancy.c.organisation_id)
        .where(_vacancy.c.id.in_(ids))).all()
    skills: dict[int, list[int]] = {}
    for vacancy_id, skill_id in connection.execute(
            select(_link.c.vacancy_id, _link.c.skill_id).where(_link.c.vacancy_id.in_(ids))
            .order_by(_link.c.vacancy_id, _link.c.skill_id)):
        skills.setdefault(vacancy_id, []).append(skill_id)
    heads = taxonomy(connection).heads
    occupation_terms = _name_terms(connection, "occupation",
                                   {row.occupation_id for row in rows} - {None}, heads)
    skill_terms = _name_terms(connection, "skill", {s for ids_ in skills.values() for s in ids_},
                              heads)
    connection.execute(delete(_search).where(_search.c.vacancy_id.in_(ids)))
    if rows:
        connection.execute(insert(_search), [{
            "vacancy_id": row.id,
            "title": document(row.title, heads=heads),
            "tags": _once_each(occupation_terms.get(row.occupation_id, ""),
                               *(skill_terms[s] for s in skills.get(row.id, ()))),
            "body": document(row.description, row.name, heads=heads),
        } for row in rows])
    return len(rows)


def _once_each(*documents: str) -> str:
    """The terms of several names, each once: a skill's twenty synonyms that all say "сварка"
    describe one skill, and should neither bloat the index nor outweigh the title."""
    return " ".join(dict.fromkeys(term for doc in documents for term in doc.split()))


def _name_terms(connection, kind: str, ids: set[int], heads) -> dict[int, str]:
    """Index terms of each occupation's or skill's names in kk/ru/en (and skill synonyms)."""
    if not ids:
        return {}
    named = _named[kind]
    texts = {row.id: [row.name_kk, row.name_ru, row.name_en] for row in connection.execute(
        select(named).where(named.c.id.in_(sorted(ids))))}
    if kind == "skill":
        for skill_id, name in connection.execute(
                select(_synonym.c.skill_id, _synonym.c.name)
                .where(_synonym.c.skill_id.in_(sorted(ids))).order_by(_synonym.c.name)):
            texts[skill_id].append(name)
    return {row_id: document(*names, heads=heads) for row_id, names in texts.items()}


# --- noticing changes -------------------------------------------------------------------------

_VACANCY_FIELDS = ("title", "description", "occupation_id", "occupation", "organisation_id",
                   "organisation")
_NAME_FIELDS = ("name_kk", "name_ru", "name_en")
_KINDS = ("vacancy", "organisation", "skill", "occupation")  # what pending ids are of


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _note(pending: dict, obj, *, new: bool = False, deleted: bool = False) -> None:
    if isinstance(obj, Vacancy) and not deleted and (new or _changed(obj, _VACANCY_FIELDS)):
        pending["vacancy"].add(obj.id)
    elif isinstance(obj, VacancySkill):
        pending["vacancy"].add(obj.vacancy_id)
    elif isinstance(obj, EmployerOrganisation) and not new and _changed(obj, ("name",)):
        pending["organisation"].add(obj.id)
    elif isinstance(obj, Skill | Occupation) and not new and _changed(obj, _NAME_FIELDS):
        pending["skill" if isinstance(obj, Skill) else "occupation"].add(obj.id)
    elif isinstance(obj, SkillSynonym):
        pending["skill"].add(obj.skill_id)
    if isinstance(obj, Skill | SkillSynonym | Occupation):
        pending["taxonomy"] = True
        forget_taxonomy()


@event.listens_for(Session, "after_flush")
def _collect(session, flush_context):
    # After the flush new rows have ids; new/dirty/deleted and attribute history still show
    # what the flush wrote.
    pending = session.info.setdefault(_PENDING, {kind: set() for kind in _KINDS})
    for obj in session.new:
        _note(pending, obj, new=True)
    for obj in session.dirty:
        _note(pending, obj)
    for obj in session.deleted:
        _note(pending, obj, deleted=True)


@event.listens_for(Session, "before_commit")
def _write(session):
    session.flush()  # before_commit runs before the commit's own flush
    pending = session.info.pop(_PENDING, None)
    if pending and any(pending[kind] for kind in _KINDS):
        connection = session.connection()
        reindex(connection, _affected_vacancies(connection, pending))


@event.listens_for(Session, "after_rollback")
def _forget(session):
    pending = session.info.pop(_PENDING, None)
    if pending and pending.get("taxonomy"):
        forget_taxonomy()  # the copy may hold names that were never committed


def _affected_vacancies(connection, pending: dict) -> set[int]:
    ids = pending["vacancy"] - {None}
    by = ((_vacancy.c.organisation_id, pending["organisation"]),
          (_vacancy.c.occupation_id, pending["occupation"]))
    for key, wanted in by:
        if wanted:
            ids.update(connection.scalars(select(_vacancy.c.id).where(key.in_(sorted(wanted)))))
    if pending["skill"]:
        ids.update(connection.scalars(select(_link.c.vacancy_id).where(
            _link.c.skill_id.in_(sorted(pending["skill"])))))
    return ids


# --- the taxonomy ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Taxonomy:
    synonyms: Synonyms      # skill names and synonyms, for query expansion
    heads: frozenset[str]   # stems of the taxonomy's words, for splitting compounds
    kazakh: frozenset[str]  # its Kazakh words, for Kazakh suffixes on words without kk letters


_taxonomy_lock = threading.Lock()
_taxonomy_cache: dict = {}


def taxonomy(connection) -> Taxonomy:
    """Every skill's and occupation's names and synonyms, read once per worker and kept
    TAXONOMY_TTL seconds: edits are rare, and this worker forgets its copy at once when it
    makes one (the other workers within the TTL)."""
    with _taxonomy_lock:
        cached = _taxonomy_cache.get("taxonomy")
        if cached and time.monotonic() - cached[0] < TAXONOMY_TTL:
            return cached[1]
    skill, occupation = _named["skill"], _named["occupation"]
    kinds = union_all(
        *(select(literal(kind).label("kind"), named.c.id, literal(field[-2:]), named.c[field])
          for kind, named in (("skill", skill), ("occupation", occupation))
          for field in _NAME_FIELDS),
        select(literal("skill"), _synonym.c.skill_id, _synonym.c.language, _synonym.c.name))
    rows = connection.execute(kinds).all()
    found = Taxonomy(
        synonyms=Synonyms.from_rows((row[1], row[3]) for row in rows if row[0] == "skill"),
        heads=frozenset(stem(word) for row in rows for word in words(row[3])
                        if len(word) >= MIN_HEAD),
        kazakh=frozenset(word for row in rows if row[2] == "kk" for word in words(row[3])))
    with _taxonomy_lock:
        _taxonomy_cache["taxonomy"] = (time.monotonic(), found)
    return found


def forget_taxonomy() -> None:
    with _taxonomy_lock:
        _taxonomy_cache.clear()
