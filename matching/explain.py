"""Per-pair explanations, computed only for the page being returned.

Language-neutral: skill names as written in the profiles and codes; the
web app translates. The factor points come from the same arrays that
produced the score, so they add up to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.features import Context, skill_strength
from matching.scoring import factor_points
from matching.strings import TEXT_HIGH, TEXT_LOW, Resolution, pair_cosine
from matching.text import ramp
from matching.types import Candidate, Vacancy


@dataclass(frozen=True)
class _Held:
    """A candidate skill as the engine sees it."""

    name: str
    key: str
    concept_id: str | None
    quality: float
    certified: bool

    @property
    def strength(self) -> float:
        return skill_strength(self.certified) * self.quality


def _held_skills(ctx: Context, candidate: Candidate) -> list[_Held]:
    names = [s.name for s in candidate.skills]
    held = []
    for skill, res in zip(candidate.skills, ctx.resolver.resolve_many(names), strict=True):
        concept = skill.skill_id if skill.skill_id in ctx.concept_index else res.concept_id
        quality = 1.0 if concept == skill.skill_id else res.quality
        held.append(_Held(skill.name, res.key, concept, quality, skill.certified))
    return held


def _via(held: _Held, wanted: Resolution) -> str:
    if held.key == wanted.key:
        return "exact"
    if wanted.concept_id is not None and min(held.quality, wanted.quality) >= 1.0:
        return "synonym"
    return "text"


def _best_match(ctx: Context, held: list[_Held], name: str) -> dict | None:
    """Best candidate skill for one vacancy skill, as an explanation entry."""
    (res,) = ctx.resolver.resolve_many([name])
    if res.concept_id is not None:
        options = [(h.strength, h) for h in held if h.concept_id == res.concept_id]
    else:
        free = [h for h in held if h.concept_id is None and h.key]
        options = list(zip(_text_strengths(ctx, free, res.key), free, strict=True))
    options = [(s, h) for s, h in options if s > 0]
    if not options:
        return None
    strength, best = max(options, key=lambda pair: pair[0])
    return {
        "skill": name,
        "via": _via(best, res),
        "matched_as": best.name,
        "certified": bool(best.certified),
        "strength": round(float(strength), 2),
    }


def _text_strengths(ctx: Context, free: list[_Held], key: str) -> list[float]:
    strengths = []
    for held in free:
        cosine = pair_cosine(ctx.cand_free, held.key, ctx.vac_free, key)
        strengths.append(skill_strength(held.certified) * float(ramp(cosine, TEXT_LOW, TEXT_HIGH)))
    return strengths


def skill_details(ctx: Context, candidate: Candidate, vacancy: Vacancy) -> dict:
    held = _held_skills(ctx, candidate)
    details: dict[str, list] = {
        "matched_required": [], "missing_required": [], "matched_optional": [],
    }
    seen: set[str] = set()
    for names, matched_key, missing_key in (
        (vacancy.required_skills, "matched_required", "missing_required"),
        (vacancy.optional_skills, "matched_optional", None),
    ):
        for name in names:
            (res,) = ctx.resolver.resolve_many([name])
            identity = res.concept_id or res.key
            if not identity or identity in seen:  # counted once, like in the score
                continue
            seen.add(identity)
            match = _best_match(ctx, held, name)
            if match is not None:
                details[matched_key].append(match)
            elif missing_key:
                details[missing_key].append(name)
    return details


def explanation(
    ctx: Context,
    candidate: Candidate,
    vacancy: Vacancy,
    components: np.ndarray,
    weights: np.ndarray,
    incomplete: bool,
) -> dict:
    return {
        **skill_details(ctx, candidate, vacancy),
        "factors": factor_points(components, weights, incomplete),
        "incomplete_profile": bool(incomplete),
    }
