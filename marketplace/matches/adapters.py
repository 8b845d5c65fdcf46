"""Database rows → the matching engine's own types (matching imports nothing from here).

Profiles and vacancies are converted by loading.py, the same set-based code for one row and
for a whole build; this module adds the taxonomy and the one-object entry points."""

from sqlalchemy import select

import matching
from marketplace.candidates.models import CandidateProfile
from marketplace.employers.models import Vacancy
from marketplace.extensions import db
from marketplace.matches import loading
from marketplace.reference.models import Skill, SkillSynonym


def taxonomy() -> matching.Taxonomy:
    """Each skill is one concept named in all three languages plus its synonyms."""
    synonyms: dict[int, list[str]] = {}
    for skill_id, name in db.session.execute(select(SkillSynonym.skill_id, SkillSynonym.name)
                                             .order_by(SkillSynonym.id)):
        synonyms.setdefault(skill_id, []).append(name)
    skills = db.session.execute(select(Skill.id, Skill.code, Skill.name_kk, Skill.name_ru,
                                       Skill.name_en).order_by(Skill.id))
    return matching.Taxonomy(tuple(
        matching.SkillConcept(code, tuple(dict.fromkeys([kk, ru, en, *synonyms.get(id_, ())])))
        for id_, code, kk, ru, en in skills))


def to_candidate(profile: CandidateProfile) -> matching.Candidate:
    """The engine's view of one profile (flushed changes included)."""
    return loading.candidates_by_id([profile.id])[profile.id]


def to_vacancy(vacancy: Vacancy) -> matching.Vacancy:
    return loading.vacancies_by_id([vacancy.id])[vacancy.id]


def restrictions_only(profile: CandidateProfile) -> matching.Candidate:
    """Just the court and supervision conditions: all that deciding what is blocked needs."""
    from marketplace.restrictions.services import matching_restrictions

    found = matching_restrictions([profile.id]).get(profile.id)
    return matching.Candidate(id=profile.id, restrictions=found or matching.Restrictions())
