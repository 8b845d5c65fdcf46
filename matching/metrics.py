"""Ranking metrics used by fit_weights and the evaluate command."""

from __future__ import annotations

import numpy as np


def _ranked_labels(scores, labels, k: int) -> np.ndarray:
    """Labels in score order (stable, so ties keep input order), first k."""
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    return np.asarray(labels, dtype=np.float64)[order][:k]


def _dcg(gains: np.ndarray) -> float:
    discounts = 1.0 / np.log2(np.arange(2, len(gains) + 2))
    return float(((2.0**gains - 1.0) * discounts).sum())


def ndcg_at_k(scores, labels, k: int = 10) -> float:
    """NDCG@k with graded relevance (gain 2^rel - 1); 0 if nothing is relevant."""
    ideal = _dcg(np.sort(np.asarray(labels, dtype=np.float64))[::-1][:k])
    return _dcg(_ranked_labels(scores, labels, k)) / ideal if ideal > 0 else 0.0


def precision_at_k(scores, labels, k: int = 10, relevant_from: float = 1.0) -> float:
    """Share of the top k that is relevant (label >= relevant_from), over k."""
    return float((_ranked_labels(scores, labels, k) >= relevant_from).sum()) / k


def reciprocal_rank(scores, labels, relevant_from: float = 1.0) -> float:
    ranked = _ranked_labels(scores, labels, len(labels))
    hits = np.flatnonzero(ranked >= relevant_from)
    return 1.0 / (hits[0] + 1) if len(hits) else 0.0


def mean_ndcg_by_group(scores, labels, groups, k: int = 10) -> float:
    """Mean NDCG@k over groups (e.g. vacancies) that have a relevant item."""
    scores, labels, groups = np.asarray(scores), np.asarray(labels), np.asarray(groups)
    values = [
        ndcg_at_k(scores[groups == g], labels[groups == g], k)
        for g in np.unique(groups)
        if labels[groups == g].max() > 0
    ]
    return float(np.mean(values)) if values else 0.0
