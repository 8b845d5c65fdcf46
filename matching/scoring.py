"""Factor weights and the cheap vectorised factor scores (each 0..1).

Every function broadcasts: one side may be a scalar (the query) and the
other a column over the whole population. Missing data scores 0, never as
agreement; "no requirement" on the vacancy side is met by any known value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

FACTORS = ("skills", "title", "experience", "region", "schedule", "salary", "language")
#: Points per factor; a perfect match on every factor scores 100.
DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 45.0,
    "title": 20.0,
    "experience": 10.0,
    "region": 10.0,
    "schedule": 5.0,
    "salary": 5.0,
    "language": 5.0,
}
# A near-empty profile keeps only this share of its points, so it cannot
# outrank real profiles on region or language alone.
INCOMPLETE_DAMPING = 0.25
SAME_CITY, SAME_REGION, WILL_RELOCATE = 1.0, 0.7, 0.4
# Expecting this share more than the top of the range scores 0 for salary.
SALARY_TOLERANCE = 0.5


def weight_vector(weights: Mapping[str, float] | None) -> np.ndarray:
    """Weights in FACTORS order, non-negative and scaled to sum to 100."""
    weights = DEFAULT_WEIGHTS if weights is None else weights
    raw = np.array([max(float(weights.get(f, 0.0)), 0.0) for f in FACTORS], dtype=np.float64)
    raw = np.where(np.isfinite(raw), raw, 0.0)
    if raw.sum() <= 0:
        raw = np.array([DEFAULT_WEIGHTS[f] for f in FACTORS])
    return (100.0 * raw / raw.sum()).astype(np.float32)


def weights_dict(vector: np.ndarray) -> dict[str, float]:
    """JSON-friendly weights from a vector in FACTORS order."""
    return {f: round(float(w), 4) for f, w in zip(FACTORS, vector, strict=True)}


_F32 = np.float32


def experience_score(years, min_years):
    years = np.asarray(years, dtype=_F32)
    min_years = np.asarray(min_years, dtype=_F32)
    no_requirement = ~(min_years > 0)  # NaN (unknown) or 0: nothing required
    ratio = np.minimum(years / np.where(no_requirement, _F32(1), min_years), _F32(1))
    met = np.where(no_requirement, _F32(1), ratio)
    return np.where(np.isnan(years), _F32(0), met)


def region_score(c_region, c_city, relocate, v_region, v_city):
    located = (np.asarray(v_region) >= 0) | (np.asarray(v_city) >= 0)
    score = (np.asarray(relocate) & located) * _F32(WILL_RELOCATE)
    same_region = (c_region == v_region) & (np.asarray(c_region) >= 0) & (np.asarray(v_region) >= 0)
    score = np.where(same_region, _F32(SAME_REGION), score)
    same_city = (c_city == v_city) & (np.asarray(c_city) >= 0) & (np.asarray(v_city) >= 0)
    return np.where(same_city, _F32(SAME_CITY), score).astype(_F32, copy=False)


def schedule_score(c_schedules, v_schedule):
    v_schedule = np.asarray(v_schedule, dtype=np.uint8)
    bit = np.left_shift(np.uint8(1), np.maximum(v_schedule, 1) - np.uint8(1))
    fits = (np.asarray(c_schedules, dtype=np.uint8) & bit) != 0
    return (fits & (v_schedule > 0)).astype(_F32)


def salary_score(expectation, top):
    expectation = np.asarray(expectation, dtype=_F32)
    top = np.asarray(top, dtype=_F32)
    valid = ~np.isnan(expectation) & (top > 0)  # NaN top compares False
    safe_top = np.where(top > 0, top, _F32(1))
    over = (expectation - safe_top) / (_F32(SALARY_TOLERANCE) * safe_top)
    return np.where(valid, np.clip(_F32(1) - over, _F32(0), _F32(1)), _F32(0))


def language_score(c_languages, v_languages):
    c_languages = np.asarray(c_languages, dtype=np.uint64)
    v_languages = np.asarray(v_languages, dtype=np.uint64)
    required = np.bitwise_count(v_languages)
    spoken = np.bitwise_count(c_languages & v_languages)
    share = spoken.astype(_F32) / np.maximum(required, 1).astype(_F32)
    share = np.where(required > 0, share, _F32(1))
    return np.where(c_languages == 0, _F32(0), share)


def damping(incomplete) -> np.ndarray:
    """Score multiplier: 1 for a usable profile, INCOMPLETE_DAMPING otherwise."""
    return np.where(incomplete, INCOMPLETE_DAMPING, 1.0).astype(np.float32)


def total_score(components: Mapping[str, np.ndarray], weights: np.ndarray, incomplete):
    """Score 0..100 from {factor: values 0..1} arrays."""
    score = sum(w * components[f] for f, w in zip(FACTORS, weights, strict=True))
    return np.asarray(score, dtype=np.float32) * damping(incomplete)


def factor_points(components: np.ndarray, weights: np.ndarray, incomplete: bool) -> dict:
    """Per-factor points for one pair, rounded for display."""
    damping = INCOMPLETE_DAMPING if incomplete else 1.0
    points = components.astype(np.float64) * weights * damping
    return {f: round(float(p), 1) for f, p in zip(FACTORS, points, strict=True)}


def display_score(value: float) -> float:
    return round(min(max(float(value), 0.0), 100.0), 1) if math.isfinite(value) else 0.0
