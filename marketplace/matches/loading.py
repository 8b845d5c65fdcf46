"""Candidates and vacancies for the matching engine, read with set-based SQL.

No ORM object per row: plain column selects, one statement per related table for a whole
chunk of profiles. A build streams the table by keyset pagination (`id > last … LIMIT n`) and
reads each chunk's related rows by its id range (two parameters, whatever the chunk size);
lookups of given ids use IN lists of at most `CHUNK` ids. Either way no statement carries an
unbounded list, and one row and the whole table go through the same conversion, so an update
replayed from the change log and a full build agree.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import aliased

import matching
from marketplace.candidates.models import (
    SCHEDULES,
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    DesiredOccupation,
    WorkHistoryEntry,
)
from marketplace.certificates import services as certificates
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancySkill
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.reference.models import City, Occupation, Region, Sector, Skill
from marketplace.restrictions import services as restrictions

# Rows per chunk of a build. Its related rows are read by id range (two parameters), so a
# chunk can be large: fewer, bigger statements take a third off the time of a national build.
STREAM_CHUNK = 10_000
# Ids of a lookup per statement: an IN list never holds more.
CHUNK = 2_000


@dataclass(frozen=True)
class _Scope:
    """Which rows of the related tables one chunk needs: an id range or a list of ids."""

    first: int
    last: int
    ids: tuple[int, ...] | None = None  # None: every id of the range

    def of(self, column) -> ColumnElement[bool]:
        return column.between(self.first, self.last) if self.ids is None else column.in_(self.ids)

    def restrictions(self, today: date | None) -> dict[int, matching.Restrictions]:
        if self.ids is None:
            return restrictions.matching_restrictions_in_range(self.first, self.last, today)
        return restrictions.matching_restrictions(self.ids, today)

    def certified(self, today: date | None) -> dict[int, set[str]]:
        if self.ids is None:
            return certificates.certified_skill_codes_in_range(self.first, self.last, today)
        return certificates.certified_skill_codes(self.ids, today)


def _rows(statement) -> list:
    """Plain Core rows (no ORM processing per row); pending changes are flushed first, as an
    ORM query would."""
    db.session.flush()
    return db.session.connection().execute(statement).all()


def _raw(statement) -> list[tuple]:
    """The driver's own tuples. The related tables hold plain ints and strings, so skipping
    SQLAlchemy's per-row objects is safe, and it halves the time of a national build."""
    db.session.flush()
    result = db.session.connection().execute(statement)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _grouped(statement, combine: Callable[[Iterator[tuple]], object]) -> dict[int, object]:
    """Rows ordered by their first column, the owner's id: {id: combine(the owner's rows)}."""
    return {owner_id: combine(owned)
            for owner_id, owned in groupby(_raw(statement), key=itemgetter(0))}


def _names(kk: str | None, ru: str | None, en: str | None) -> tuple[str, ...]:
    """An occupation's name in kk, ru, en, each falling back to Russian (as `name_in`)."""
    return (kk or ru, ru, en or ru)


def _money(value) -> float | None:
    return float(value) if value is not None else None


# -- candidates ---------------------------------------------------------------------------------

_DESIRED = aliased(Occupation)
_CANDIDATE_COLUMNS = (
    CandidateProfile.id, CandidateProfile.desired_title, CandidateProfile.summary,
    Region.code, City.code, CandidateProfile.willing_to_relocate,
    CandidateProfile.experience_years, CandidateProfile.salary_expectation,
    _DESIRED.name_kk, _DESIRED.name_ru, _DESIRED.name_en,
    *(getattr(CandidateProfile, f"schedule_{name}") for name in SCHEDULES),
)


def _candidates_select(*conditions):
    return (select(*_CANDIDATE_COLUMNS)
            .outerjoin(Region, Region.id == CandidateProfile.region_id)
            .outerjoin(City, City.id == CandidateProfile.city_id)
            .outerjoin(_DESIRED, _DESIRED.id == CandidateProfile.desired_occupation_id)
            .where(*conditions).order_by(CandidateProfile.id))


def _candidate_parts(scope: _Scope, today: date | None) -> dict[str, dict]:
    """Every related row the chunk's candidates need, one statement per table, each already
    combined per profile."""
    certified = scope.certified(today)
    return {
        "desired": _grouped(
            select(DesiredOccupation.profile_id, Occupation.name_kk, Occupation.name_ru,
                   Occupation.name_en)
            .join(Occupation, Occupation.id == DesiredOccupation.occupation_id)
            .where(scope.of(DesiredOccupation.profile_id))
            .order_by(DesiredOccupation.profile_id, DesiredOccupation.position),
            lambda owned: tuple(name for _, *names in owned for name in _names(*names))),
        "previous": _grouped(
            select(WorkHistoryEntry.profile_id, WorkHistoryEntry.job_title, Occupation.name_kk,
                   Occupation.name_ru, Occupation.name_en)
            .outerjoin(Occupation, Occupation.id == WorkHistoryEntry.occupation_id)
            .where(scope.of(WorkHistoryEntry.profile_id))
            .order_by(WorkHistoryEntry.profile_id, WorkHistoryEntry.started_on.desc(),
                      WorkHistoryEntry.id.desc()),
            _previous_titles),
        "languages": _grouped(
            select(CandidateLanguage.profile_id, CandidateLanguage.language,
                   CandidateLanguage.name)
            .where(scope.of(CandidateLanguage.profile_id))
            .order_by(CandidateLanguage.profile_id, CandidateLanguage.id),
            # kk/ru/en by code (the raw column value), other languages by lower-cased name
            lambda owned: frozenset(code if code != "other" else name.strip().casefold()
                                    for _, code, name in owned)),
        "skills": _skills(scope, certified),
        "restrictions": scope.restrictions(today),
    }


def _previous_titles(owned: Iterator[tuple]) -> tuple[str, ...]:
    titles = []
    for _, job_title, *occupation in owned:
        titles.append(job_title)
        if occupation[1] is not None:  # an occupation was recognised in the job title
            titles.extend(_names(*occupation))
    return tuple(dict.fromkeys(t for t in titles if t))


def _skills(scope: _Scope, certified: dict[int, set[str]]) -> dict[int, tuple]:
    """{profile id: its skills}. Equal skills are one shared (immutable) object: a national
    build reads a million skill rows but only a few thousand distinct skills."""
    made: dict[tuple, matching.CandidateSkill] = {}
    skills: dict[int, tuple] = {}
    rows = _raw(select(CandidateSkill.profile_id, Skill.code, CandidateSkill.free_text,
                       CandidateSkill.years)
                .outerjoin(Skill, Skill.id == CandidateSkill.skill_id)
                .where(scope.of(CandidateSkill.profile_id))
                .order_by(CandidateSkill.profile_id, CandidateSkill.id))
    for profile_id, owned in groupby(rows, key=itemgetter(0)):
        backed = certified.get(profile_id, ())
        held = []
        for _, code, free_text, years in owned:
            key = (code, free_text, years, code in backed)
            skill = made.get(key)
            if skill is None:
                skill = made[key] = _skill(*key)
            held.append(skill)
        skills[profile_id] = tuple(held)
    return skills


def _skill(code: str | None, free_text: str | None, years, certified: bool
           ) -> matching.CandidateSkill:
    if code is not None:
        # The code doubles as the display key: the page shows it in the reader's language.
        return matching.CandidateSkill(name=code, skill_id=code, years=years,
                                       certified=certified)
    return matching.CandidateSkill(name=free_text or "", years=years)


def _candidate(row, parts: dict[str, dict]) -> matching.Candidate:
    """Only job-relevant fields: no name, IIN, age or any protected attribute reaches the
    engine. Court bans and supervision become hard filters inside the engine; skills backed
    by a staff-verified certificate count more."""
    (profile_id, title, summary, region, city, relocate, experience, salary,
     *desired_names) = row[:11]
    desired = parts["desired"].get(profile_id)
    if desired is None:  # older profiles may only have the single column
        desired = _names(*desired_names) if desired_names[1] else ()
    return matching.Candidate(
        id=profile_id,
        title=title or "",
        desired_titles=desired,
        previous_titles=parts["previous"].get(profile_id, ()),
        summary=summary or "",
        skills=parts["skills"].get(profile_id, ()),
        region=region,
        city=city,
        relocate=bool(relocate),
        experience_years=experience,
        schedules=frozenset(name for name, wanted in zip(SCHEDULES, row[11:], strict=True)
                            if wanted),
        salary_expectation=_money(salary),
        languages=parts["languages"].get(profile_id, frozenset()),
        restrictions=parts["restrictions"].get(profile_id) or matching.Restrictions(),
    )


def _candidate_chunk(rows: list, scope: _Scope, today: date | None) -> list[matching.Candidate]:
    parts = _candidate_parts(scope, today)
    return [_candidate(row, parts) for row in rows]


def stream_candidates(*conditions, chunk: int | None = None, today: date | None = None
                      ) -> Iterator[list[matching.Candidate]]:
    """Candidates whose profile meets `conditions`, in id order, a list per chunk."""
    return _stream(_candidates_select, CandidateProfile.id, conditions, chunk or STREAM_CHUNK,
                   lambda rows, scope: _candidate_chunk(rows, scope, today))


def discoverable_candidates(*, chunk: int | None = None, today: date | None = None
                            ) -> Iterator[list[matching.Candidate]]:
    return stream_candidates(CandidateProfile.discoverable.is_(True), chunk=chunk, today=today)


def candidates_by_id(ids: Iterable[int], *conditions, today: date | None = None
                     ) -> dict[int, matching.Candidate]:
    """{id: candidate} for those of `ids` whose profile exists and meets `conditions`."""
    return _by_id(ids, _candidates_select, CandidateProfile.id, conditions,
                  lambda rows, scope: _candidate_chunk(rows, scope, today))


# -- vacancies ----------------------------------------------------------------------------------

_VACANCY_COLUMNS = (
    Vacancy.id, Vacancy.title, Occupation.code, Sector.code, Vacancy.description, Region.code,
    City.code, Vacancy.schedule, Vacancy.salary_min, Vacancy.salary_max,
)


def _vacancies_select(*conditions):
    return (select(*_VACANCY_COLUMNS)
            .outerjoin(Occupation, Occupation.id == Vacancy.occupation_id)
            .outerjoin(Sector, Sector.id == Occupation.sector_id)
            .outerjoin(Region, Region.id == Vacancy.region_id)
            .outerjoin(City, City.id == Vacancy.city_id)
            .where(*conditions).order_by(Vacancy.id))


def _public_vacancies_select(*conditions):
    """Open, not hidden vacancies of verified organisations: the ones candidates may see."""
    return (_vacancies_select(*public_conditions(), *conditions)
            .join(EmployerOrganisation, EmployerOrganisation.id == Vacancy.organisation_id))


def _vacancy(row, skills: dict[int, list]) -> matching.Vacancy:
    (vacancy_id, title, occupation, sector, description, region, city, schedule, salary_min,
     salary_max) = row
    wanted = skills.get(vacancy_id, ())
    return matching.Vacancy(
        id=vacancy_id,
        title=title,
        occupation=occupation,
        sector=sector,
        description=description or "",
        required_skills=tuple(code for code, required in wanted if required),
        optional_skills=tuple(code for code, required in wanted if not required),
        region=region,
        city=city,
        schedule=schedule.value if schedule else None,
        salary_min=_money(salary_min),
        salary_max=_money(salary_max),
    )


def _vacancy_chunk(rows: list, scope: _Scope) -> list[matching.Vacancy]:
    skills = _grouped(select(VacancySkill.vacancy_id, Skill.code, VacancySkill.required)
                      .join(Skill, Skill.id == VacancySkill.skill_id)
                      .where(scope.of(VacancySkill.vacancy_id))
                      .order_by(VacancySkill.vacancy_id, VacancySkill.id),
                      lambda owned: [(code, required) for _, code, required in owned])
    return [_vacancy(row, skills) for row in rows]


def public_vacancies(*, chunk: int | None = None) -> Iterator[list[matching.Vacancy]]:
    return _stream(_public_vacancies_select, Vacancy.id, (), chunk or STREAM_CHUNK,
                   _vacancy_chunk)


def vacancies_by_id(ids: Iterable[int], *, public_only: bool = False
                    ) -> dict[int, matching.Vacancy]:
    """{id: vacancy} for those of `ids` that exist (and are public, if asked)."""
    make = _public_vacancies_select if public_only else _vacancies_select
    return _by_id(ids, make, Vacancy.id, (), _vacancy_chunk)


def vacancy_ids_of_organisations(organisation_ids: Iterable[int]) -> set[int]:
    wanted, found = sorted(set(organisation_ids)), set()
    for start in range(0, len(wanted), CHUNK):
        found.update(db.session.scalars(select(Vacancy.id).where(
            Vacancy.organisation_id.in_(wanted[start:start + CHUNK]))))
    return found


# -- chunking -----------------------------------------------------------------------------------

def _stream(make_select: Callable, id_column, conditions, chunk: int,
            convert: Callable[[list, _Scope], list]) -> Iterator[list]:
    """Keyset pagination: each chunk starts after the last id of the one before."""
    last = None
    while True:
        after = () if last is None else (id_column > last,)
        rows = _rows(make_select(*conditions, *after).limit(chunk))
        if not rows:
            return
        yield convert(rows, _Scope(rows[0][0], rows[-1][0]))
        last = rows[-1][0]


def _by_id(ids: Iterable[int], make_select: Callable, id_column, conditions,
           convert: Callable[[list, _Scope], list]) -> dict:
    wanted = sorted(set(ids))
    found = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = tuple(wanted[start:start + CHUNK])
        rows = _rows(make_select(id_column.in_(chunk), *conditions))
        if rows:
            scope = _Scope(chunk[0], chunk[-1], tuple(row[0] for row in rows))
            found.update((item.id, item) for item in convert(rows, scope))
    return found
