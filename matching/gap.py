"""Skill-gap advice: which missing skill would open the most vacancies.

A vacancy is "opened" by a skill when that skill is the candidate's only
missing required skill there (among vacancies not closed to them by a
court or supervision condition). "Learn X: N more vacancies" means that
after learning X the candidate has every required skill of N more of them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.features import REQUIRED_WEIGHT, Batch, Context
from matching.query import sparse_row, vacancy_string_strengths
from matching.rowstore import RowStore


def _missing_required(matrix: sp.csr_matrix, held: np.ndarray) -> sp.csr_matrix:
    """Entries (vacancy, skill) for required skills with no strength held."""
    required = matrix.copy()
    required.data = ((required.data == REQUIRED_WEIGHT) & (held[required.indices] <= 0)).astype(
        np.float32
    )
    required.eliminate_zeros()
    return required


def skill_gap(
    ctx: Context, vacs: RowStore, candidate: Batch, open_rows: np.ndarray, top_n: int
) -> list[dict]:
    held_concepts = np.zeros(ctx.n_concepts, dtype=np.float32)
    concept_ids, strengths = sparse_row(candidate, "concepts")
    held_concepts[concept_ids] = strengths
    missing_concepts = _missing_required(
        vacs.sparse["concepts"].csr(ctx.n_concepts), held_concepts
    )
    missing_free = _missing_required(
        vacs.sparse["free"].csr(len(ctx.vac_free)), vacancy_string_strengths(ctx, candidate)
    )
    n_missing = np.diff(missing_concepts.indptr) + np.diff(missing_free.indptr)
    one_short = open_rows & (n_missing == 1)
    counts: dict[tuple[str | None, str], int] = {}
    for matrix, name_of in (
        (missing_concepts, lambda col: (ctx.taxonomy.concepts[col].id, _concept_name(ctx, col))),
        (missing_free, lambda col: (None, ctx.vac_free.keys[col])),
    ):
        cols = matrix[np.flatnonzero(one_short)].indices
        for col, count in zip(*np.unique(cols, return_counts=True), strict=True):
            counts[name_of(int(col))] = int(count)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
    return [
        {"skill": name, "skill_id": skill_id, "vacancies": count}
        for (skill_id, name), count in ranked[: max(top_n, 0)]
    ]


def _concept_name(ctx: Context, col: int) -> str:
    return ctx.taxonomy.display_name(ctx.taxonomy.concepts[col].id)
