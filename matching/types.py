"""Plain, frozen data types exchanged between the web app and the engine.

The engine never reads protected attributes: ``Candidate`` has no field for
sex, age, ethnicity, nationality, religion, disability or family status.
Whatever the app stores in ``Candidate.attributes`` is carried along but
ignored (and excluded from equality and hashing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from matching.text import normalise

Id = int | str

#: Schedules the engine understands; anything else counts as unknown.
SCHEDULES = ("day", "shifts", "night", "rotational")


@dataclass(frozen=True)
class SkillConcept:
    """One skill of the taxonomy with all its names (kk/ru/en, synonyms)."""

    id: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """Skill concepts, looked up by id or by any normalised name."""

    concepts: tuple[SkillConcept, ...] = ()
    _by_name: dict[str, str] = field(init=False, repr=False, compare=False, hash=False)
    _by_id: dict[str, SkillConcept] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_name: dict[str, str] = {}
        for concept in self.concepts:
            for name in (concept.id, *concept.names):
                key = normalise(name)
                # First concept to claim a name wins, so lookups are deterministic.
                if key and key not in by_name:
                    by_name[key] = concept.id
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_id", {c.id: c for c in self.concepts})

    def concept_id(self, name_or_id: str) -> str | None:
        """Concept id for an id or any of its names, else None."""
        if name_or_id in self._by_id:
            return name_or_id
        return self._by_name.get(normalise(name_or_id))

    def concept(self, concept_id: str) -> SkillConcept | None:
        return self._by_id.get(concept_id)

    def display_name(self, concept_id: str) -> str:
        concept = self._by_id.get(concept_id)
        return concept.names[0] if concept and concept.names else concept_id


@dataclass(frozen=True)
class CandidateSkill:
    name: str
    certified: bool = False  # backed by a staff-verified certificate
    skill_id: str | None = None
    years: float | None = None


@dataclass(frozen=True)
class Ban:
    """Court ban on occupations/sectors; ``until`` None means indefinite."""

    occupations: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    until: date | None = None

    def active(self, today: date) -> bool:
        return self.until is None or today <= self.until


@dataclass(frozen=True)
class Restrictions:
    bans: tuple[Ban, ...] = ()
    curfew: tuple[str, str] | None = None  # ("HH:MM", "HH:MM"), may cross midnight
    territory: frozenset[str] | None = None  # allowed region and/or city codes


@dataclass(frozen=True)
class Candidate:
    id: Id
    title: str = ""
    desired_titles: tuple[str, ...] = ()
    previous_titles: tuple[str, ...] = ()
    summary: str = ""
    skills: tuple[CandidateSkill, ...] = ()
    region: str | None = None
    city: str | None = None
    relocate: bool = False
    experience_years: float | None = None
    schedules: frozenset[str] = frozenset()
    salary_expectation: float | None = None
    languages: frozenset[str] = frozenset()
    restrictions: Restrictions = Restrictions()
    # Carried for the app's convenience; never read by the engine.
    attributes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Vacancy:
    id: Id
    title: str = ""
    occupation: str | None = None  # occupation code (or name)
    sector: str | None = None
    description: str = ""
    required_skills: tuple[str, ...] = ()  # taxonomy ids or free-text names
    optional_skills: tuple[str, ...] = ()
    region: str | None = None
    city: str | None = None
    schedule: str | None = None  # one of SCHEDULES, else unknown
    work_start: str | None = None  # "HH:MM"
    work_end: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    min_experience_years: float | None = None
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    """One ranked counterpart: a candidate id (ranking) or a vacancy id (recommending)."""

    id: Id
    score: float  # 0..100, one decimal
    explanation: dict[str, Any]


@dataclass(frozen=True)
class Page:
    items: tuple[Match, ...]
    total: int  # eligible counterparts with a score above 0, over all pages
    offset: int = 0
    top_k: int = 20
