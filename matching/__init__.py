"""Candidate/vacancy matching engine (pure Python: numpy, scipy, scikit-learn).

See matching/README.md for the public API.
"""

from matching.constraints import COURT_BAN, CURFEW, TERRITORY
from matching.index import MatchIndex
from matching.learning import FitResult, fit_weights
from matching.scoring import DEFAULT_WEIGHTS, FACTORS
from matching.types import (
    SCHEDULES,
    Ban,
    Candidate,
    CandidateSkill,
    Match,
    Page,
    Restrictions,
    SkillConcept,
    Taxonomy,
    Vacancy,
)

__all__ = [
    "COURT_BAN",
    "CURFEW",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "SCHEDULES",
    "TERRITORY",
    "Ban",
    "Candidate",
    "CandidateSkill",
    "FitResult",
    "Match",
    "MatchIndex",
    "Page",
    "Restrictions",
    "SkillConcept",
    "Taxonomy",
    "Vacancy",
    "fit_weights",
]
