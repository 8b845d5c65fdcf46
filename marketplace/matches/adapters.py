"""Database rows → the matching engine's own types (matching imports nothing from here)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import matching
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.employers.models import EmployerOrganisation, Vacancy, VacancySkill
from marketplace.employers.vacancies import public_conditions
from marketplace.extensions import db
from marketplace.reference.models import Skill

LANGS = ("kk", "ru", "en")


def taxonomy() -> matching.Taxonomy:
    """Each skill is one concept named in all three languages plus its synonyms."""
    skills = db.session.scalars(select(Skill).options(selectinload(Skill.synonyms)))
    return matching.Taxonomy(tuple(
        matching.SkillConcept(skill.code, tuple(dict.fromkeys(
            [skill.name_kk, skill.name_ru, skill.name_en, *(s.name for s in skill.synonyms)])))
        for skill in skills))


def _occupation_names(occupation) -> tuple[str, ...]:
    return tuple(occupation.name_in(lang) for lang in LANGS) if occupation else ()


def _previous_titles(profile: CandidateProfile) -> tuple[str, ...]:
    titles = []
    for entry in profile.work_history:
        titles.append(entry.job_title)
        titles.extend(_occupation_names(entry.occupation))
    return tuple(dict.fromkeys(t for t in titles if t))


def _languages(profile: CandidateProfile) -> frozenset[str]:
    """kk/ru/en codes, and other languages by their lower-cased name."""
    return frozenset(entry.language.value if entry.language.value != "other"
                     else entry.name.strip().casefold() for entry in profile.languages)


def to_candidate(profile: CandidateProfile,
                 restrictions: matching.Restrictions | None = None,
                 certified: set[str] = frozenset()) -> matching.Candidate:
    """Only job-relevant fields: no name, IIN, age or any protected attribute reaches the engine.
    `restrictions` (court bans, supervision) become hard filters inside the engine; skills whose
    codes are in `certified` are backed by a staff-verified certificate and count more."""
    salary = profile.salary_expectation
    return matching.Candidate(
        id=profile.id,
        title=profile.desired_title or "",
        desired_titles=tuple(name for occupation in profile.desired_occupations
                             for name in _occupation_names(occupation)),
        previous_titles=_previous_titles(profile),
        summary=profile.summary or "",
        skills=tuple(_candidate_skill(entry, certified) for entry in profile.skills),
        region=profile.region.code if profile.region else None,
        city=profile.city.code if profile.city else None,
        relocate=bool(profile.willing_to_relocate),
        experience_years=profile.experience_years,
        schedules=profile.schedules,
        salary_expectation=float(salary) if salary is not None else None,
        languages=_languages(profile),
        restrictions=restrictions or matching.Restrictions(),
    )


def to_candidates(profiles) -> list[matching.Candidate]:
    """Profiles with their restrictions and certified skills, loaded in two queries."""
    from marketplace.certificates.services import certified_skill_codes
    from marketplace.restrictions.services import matching_restrictions

    ids = [p.id for p in profiles]
    restrictions, certified = matching_restrictions(ids), certified_skill_codes(ids)
    return [to_candidate(p, restrictions.get(p.id), certified.get(p.id, set()))
            for p in profiles]


def _candidate_skill(entry: CandidateSkill, certified) -> matching.CandidateSkill:
    if entry.skill is not None:
        # The code doubles as the display key: the page shows it in the reader's language.
        return matching.CandidateSkill(name=entry.skill.code, skill_id=entry.skill.code,
                                       years=entry.years,
                                       certified=entry.skill.code in certified)
    return matching.CandidateSkill(name=entry.free_text or "", years=entry.years)


def to_vacancy(vacancy: Vacancy) -> matching.Vacancy:
    occupation = vacancy.occupation
    return matching.Vacancy(
        id=vacancy.id,
        title=vacancy.title,
        occupation=occupation.code if occupation else None,
        sector=occupation.sector.code if occupation and occupation.sector else None,
        description=vacancy.description or "",
        required_skills=tuple(vs.skill.code for vs in vacancy.skills if vs.required),
        optional_skills=tuple(vs.skill.code for vs in vacancy.skills if not vs.required),
        region=vacancy.region.code if vacancy.region else None,
        city=vacancy.city.code if vacancy.city else None,
        schedule=vacancy.schedule.value if vacancy.schedule else None,
        salary_min=float(vacancy.salary_min) if vacancy.salary_min is not None else None,
        salary_max=float(vacancy.salary_max) if vacancy.salary_max is not None else None,
    )


def public_vacancies_query():
    """Open, not hidden vacancies of verified organisations: the ones candidates may see."""
    return (select(Vacancy).join(EmployerOrganisation).where(*public_conditions())
            .options(selectinload(Vacancy.skills).selectinload(VacancySkill.skill)))


def discoverable_candidates_query():
    return (select(CandidateProfile).where(CandidateProfile.discoverable.is_(True))
            .options(selectinload(CandidateProfile.skills).selectinload(CandidateSkill.skill),
                     selectinload(CandidateProfile.work_history),
                     selectinload(CandidateProfile.languages),
                     selectinload(CandidateProfile.desired_occupation_links)))

