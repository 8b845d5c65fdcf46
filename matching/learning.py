"""Learning factor weights from hiring outcomes.

Weights stay a plain, readable dict (points per factor). New weights are
adopted only when they rank held-out vacancies' outcomes better (NDCG@10)
than the current ones, so a small or noisy batch of outcomes cannot make
the ranking worse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit

from matching.index import MatchIndex
from matching.metrics import mean_ndcg_by_group
from matching.scoring import FACTORS, weight_vector, weights_dict
from matching.types import Candidate, Taxonomy, Vacancy

Example = tuple[Vacancy, Candidate, int]  # outcome: 1 hired, 0 rejected after interview


@dataclass(frozen=True)
class FitResult:
    adopted: bool
    weights: dict[str, float]  # what to use from now on (new if adopted, else current)
    new_weights: dict[str, float] | None
    current_ndcg: float | None
    new_ndcg: float | None
    n_examples: int
    reason: str  # "better", "not_better", "too_few_examples", "one_outcome_only"


def example_features(examples: Sequence[Example], taxonomy: Taxonomy | None = None):
    """Factor matrix X, outcomes y and vacancy groups for the examples."""
    index = MatchIndex(
        candidates=[c for _, c, _ in examples],
        vacancies=[v for v, _, _ in examples],
        taxonomy=taxonomy,
    )
    features = np.zeros((len(examples), len(FACTORS)), dtype=np.float64)
    by_vacancy: dict = {}
    for position, (vacancy, candidate, _) in enumerate(examples):
        by_vacancy.setdefault(vacancy.id, []).append((position, candidate.id))
    for vacancy_id, members in by_vacancy.items():
        positions = [p for p, _ in members]
        features[positions] = index.factor_features(vacancy_id, [c for _, c in members])
    outcomes = np.array([int(bool(o)) for _, _, o in examples])
    groups = np.array([str(v.id) for v, _, _ in examples])
    return features, outcomes, groups


def fit_weights(
    examples: Sequence[Example],
    current_weights: Mapping[str, float] | None = None,
    min_examples: int = 50,
    taxonomy: Taxonomy | None = None,
    test_size: float = 0.3,
    random_state: int = 0,
) -> FitResult:
    current = weight_vector(current_weights)

    def keep(reason: str, current_ndcg=None, new=None, new_ndcg=None) -> FitResult:
        return FitResult(False, weights_dict(current), new, current_ndcg, new_ndcg,
                         len(examples), reason)

    if len(examples) < min_examples:
        return keep("too_few_examples")
    features, outcomes, groups = example_features(examples, taxonomy)
    split = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    train, test = next(split.split(features, outcomes, groups))
    if len(np.unique(outcomes[train])) < 2:
        return keep("one_outcome_only")
    model = LogisticRegression(C=1.0, max_iter=2000).fit(features[train], outcomes[train])
    # Negative weights would reward lacking a skill; clip and rescale to 100.
    new = weight_vector(dict(zip(FACTORS, np.clip(model.coef_[0], 0.0, None), strict=True)))
    current_ndcg = mean_ndcg_by_group(features[test] @ current, outcomes[test], groups[test])
    new_ndcg = mean_ndcg_by_group(features[test] @ new, outcomes[test], groups[test])
    if new_ndcg > current_ndcg + 1e-9:
        return FitResult(True, weights_dict(new), weights_dict(new), current_ndcg, new_ndcg,
                         len(examples), "better")
    return keep("not_better", current_ndcg, weights_dict(new), new_ndcg)
