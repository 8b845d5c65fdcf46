"""Full-population factor scores for one query, in both directions.

``rank_components``: one vacancy against every candidate row.
``recommend_components``: one candidate against every vacancy row.
Both compute the same pairwise formula; only the vectorisation differs.
Each returns {factor: float32 array over rows}, values 0..1.
"""

from __future__ import annotations

import numpy as np

from matching.features import Batch, Context
from matching.rowstore import RowStore
from matching.scoring import (
    experience_score,
    language_score,
    region_score,
    salary_score,
    schedule_score,
)
from matching.strings import TEXT_HIGH, TEXT_LOW
from matching.text import ramp

# Title cosines are lower than skill cosines (longer, looser phrases).
TITLE_LOW, TITLE_HIGH = 0.2, 0.6
# A previous job title says less about what someone wants than a desired one.
PREVIOUS_TITLE_FACTOR = 0.8


def scalar(batch: Batch, name: str):
    return batch.dense[name][0]


def sparse_row(batch: Batch, name: str) -> tuple[np.ndarray, np.ndarray]:
    rows = batch.sparse[name]
    return np.asarray(rows.indices, dtype=np.int64), np.asarray(rows.data, dtype=np.float32)


def _dense_vector(size: int, row: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    vector = np.zeros(size, dtype=np.float32)
    vector[row[0]] = row[1]
    return vector


def rank_components(ctx: Context, cands: RowStore, vacancy: Batch) -> dict[str, np.ndarray]:
    return {
        "skills": _rank_skills(ctx, cands, vacancy),
        "title": _rank_title(ctx, cands, vacancy),
        "experience": experience_score(cands.col("experience"), scalar(vacancy, "min_experience")),
        "region": region_score(
            cands.col("region"), cands.col("city"), cands.col("relocate"),
            scalar(vacancy, "region"), scalar(vacancy, "city"),
        ),
        "schedule": schedule_score(cands.col("schedules"), scalar(vacancy, "schedule")),
        "salary": salary_score(cands.col("salary"), scalar(vacancy, "salary_top")),
        "language": language_score(cands.col("languages"), scalar(vacancy, "languages")),
    }


def _rank_skills(ctx: Context, cands: RowStore, vacancy: Batch) -> np.ndarray:
    total_weight = scalar(vacancy, "skill_weight")
    if total_weight <= 0 or cands.n_rows == 0:
        return np.zeros(cands.n_rows, dtype=np.float32)
    concept_weights = _dense_vector(ctx.n_concepts, sparse_row(vacancy, "concepts"))
    points = cands.sparse["concepts"].dot(concept_weights)
    free_ids, free_weights = sparse_row(vacancy, "free")
    for free_id, weight in zip(free_ids, free_weights, strict=True):
        cosines = ctx.cand_free.cosine_to(ctx.vac_free, [free_id])
        points += weight * cands.sparse["free"].row_max(ramp(cosines, TEXT_LOW, TEXT_HIGH))
    return (points / total_weight).astype(np.float32)


def _rank_title(ctx: Context, cands: RowStore, vacancy: Batch) -> np.ndarray:
    title_ids, _ = sparse_row(vacancy, "titles")
    if len(title_ids) == 0 or cands.n_rows == 0:
        return np.zeros(cands.n_rows, dtype=np.float32)
    cosines = ctx.cand_titles.cosine_to(ctx.vac_titles, title_ids)
    per_string = ramp(cosines, TITLE_LOW, TITLE_HIGH)
    desired = cands.sparse["desired"].row_max(per_string)
    previous = cands.sparse["previous"].row_max(per_string) * PREVIOUS_TITLE_FACTOR
    return np.maximum(desired, previous)


def recommend_components(ctx: Context, vacs: RowStore, candidate: Batch) -> dict:
    return {
        "skills": _recommend_skills(ctx, vacs, candidate),
        "title": _recommend_title(ctx, vacs, candidate),
        "experience": experience_score(scalar(candidate, "experience"), vacs.col("min_experience")),
        "region": region_score(
            scalar(candidate, "region"), scalar(candidate, "city"), scalar(candidate, "relocate"),
            vacs.col("region"), vacs.col("city"),
        ),
        "schedule": schedule_score(scalar(candidate, "schedules"), vacs.col("schedule")),
        "salary": salary_score(scalar(candidate, "salary"), vacs.col("salary_top")),
        "language": language_score(scalar(candidate, "languages"), vacs.col("languages")),
    }


def _recommend_skills(ctx: Context, vacs: RowStore, candidate: Batch) -> np.ndarray:
    if vacs.n_rows == 0:
        return np.zeros(0, dtype=np.float32)
    strengths = _dense_vector(ctx.n_concepts, sparse_row(candidate, "concepts"))
    points = vacs.sparse["concepts"].dot(strengths)
    if len(ctx.vac_free):
        per_string = vacancy_string_strengths(ctx, candidate)
        points += vacs.sparse["free"].dot(per_string)
    weights = vacs.col("skill_weight")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, points / weights, 0.0).astype(np.float32)


def vacancy_string_strengths(ctx: Context, candidate: Batch) -> np.ndarray:
    """How well the candidate covers each free-text vacancy skill (0..1)."""
    free_ids, certainties = sparse_row(candidate, "free")
    if len(free_ids) == 0 or len(ctx.vac_free) == 0:
        return np.zeros(len(ctx.vac_free), dtype=np.float32)
    best = np.zeros(len(ctx.vac_free), dtype=np.float32)
    for free_id, certainty in zip(free_ids, certainties, strict=True):
        cosines = ctx.vac_free.cosine_to(ctx.cand_free, [free_id])
        np.maximum(best, certainty * ramp(cosines, TEXT_LOW, TEXT_HIGH), out=best)
    return best


def _recommend_title(ctx: Context, vacs: RowStore, candidate: Batch) -> np.ndarray:
    desired_ids, _ = sparse_row(candidate, "desired")
    previous_ids, _ = sparse_row(candidate, "previous")
    if vacs.n_rows == 0 or len(desired_ids) + len(previous_ids) == 0:
        return np.zeros(vacs.n_rows, dtype=np.float32)
    desired = ramp(ctx.vac_titles.cosine_to(ctx.cand_titles, desired_ids), TITLE_LOW, TITLE_HIGH)
    previous = ramp(ctx.vac_titles.cosine_to(ctx.cand_titles, previous_ids), TITLE_LOW, TITLE_HIGH)
    per_string = np.maximum(desired, previous * PREVIOUS_TITLE_FACTOR)
    return vacs.sparse["titles"].row_max(per_string)
