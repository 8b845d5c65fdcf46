"""Skill-gap advice and learning weights from outcomes."""

import random

import pytest

from matching import (
    DEFAULT_WEIGHTS,
    Ban,
    Candidate,
    CandidateSkill,
    Restrictions,
    Vacancy,
    fit_weights,
)
from matching.metrics import mean_ndcg_by_group, ndcg_at_k


def test_skill_gap_counts_vacancies_one_skill_away(build, today):
    person = Candidate("p", title="Сварщик", skills=(CandidateSkill("сварка"),))
    vacancies = [
        Vacancy("a", required_skills=("сварка", "газовая резка")),  # opened by gas cutting
        Vacancy("b", required_skills=("welding", "газбен кесу")),  # same concept, kk name
        Vacancy("c", required_skills=("сварка", "чтение чертежей")),  # free-text skill
        Vacancy("d", required_skills=("газовая резка", "эксель")),  # two missing: not opened
        Vacancy("e", required_skills=("сварка",)),  # nothing missing
        Vacancy("f", required_skills=("сварка", "газовая резка"), occupation="7212"),  # banned
    ]
    index = build([person], vacancies)
    banned = Candidate("p", title="Сварщик", skills=(CandidateSkill("сварка"),),
                       restrictions=Restrictions(bans=(Ban(occupations=frozenset({"7212"})),)))
    index.upsert_candidate(banned)
    advice = index.skill_gap("p", today=today)
    assert advice[0] == {"skill": "газовая резка", "skill_id": "gas_cutting", "vacancies": 2}
    assert {"skill": "чтение чертежей", "skill_id": None, "vacancies": 1} in advice
    assert len(advice) == 2
    assert index.skill_gap("p", top_n=1, today=today) == advice[:1]


def _examples(n_vacancies=40, per_vacancy=8, seed=1):
    """Hiring depends only on being in the same city: a learnable pattern."""
    rng = random.Random(seed)
    examples = []
    for v in range(n_vacancies):
        vacancy = Vacancy(f"v{v}", title="Сварщик", required_skills=("сварка",),
                          region="KZ-ALA", city="almaty")
        for c in range(per_vacancy):
            local = rng.random() < 0.5
            candidate = Candidate(
                f"c{v}-{c}", title=rng.choice(["Сварщик", "Повар", "Водитель"]),
                skills=(CandidateSkill(rng.choice(["сварка", "тамақ пісіру", "эксель"])),),
                region="KZ-ALA" if local else "KZ-AST", city="almaty" if local else "astana",
                experience_years=float(rng.randrange(10)),
            )
            examples.append((vacancy, candidate, int(local)))
    return examples


def test_fit_weights_adopts_only_when_better(taxonomy):
    examples = _examples()
    blind = {**DEFAULT_WEIGHTS, "region": 0.0}
    result = fit_weights(examples, blind, min_examples=50, taxonomy=taxonomy)
    assert result.adopted and result.reason == "better"
    assert result.new_ndcg > result.current_ndcg
    assert result.weights == result.new_weights
    assert result.weights["region"] == max(result.weights.values())
    assert sum(result.weights.values()) == pytest.approx(100, abs=0.01)

    # Weights that already rank perfectly cannot be beaten: keep them.
    perfect = {"region": 100.0}
    kept = fit_weights(examples, perfect, min_examples=50, taxonomy=taxonomy)
    assert kept.current_ndcg == pytest.approx(1.0)
    assert not kept.adopted and kept.reason == "not_better"
    assert kept.weights["region"] == pytest.approx(100.0)


def test_fit_weights_needs_enough_examples_and_both_outcomes(taxonomy):
    few = fit_weights(_examples(2, 5), None, min_examples=50, taxonomy=taxonomy)
    assert not few.adopted and few.reason == "too_few_examples"
    assert few.weights == pytest.approx(DEFAULT_WEIGHTS)
    hired_only = [(v, c, 1) for v, c, _ in _examples()]
    result = fit_weights(hired_only, None, min_examples=10, taxonomy=taxonomy)
    assert not result.adopted and result.reason == "one_outcome_only"


def test_ndcg_metric():
    assert ndcg_at_k([3, 2, 1], [2, 1, 0]) == pytest.approx(1.0)
    assert ndcg_at_k([1, 2, 3], [2, 1, 0]) < 0.7
    assert ndcg_at_k([1, 2], [0, 0]) == 0.0
    assert mean_ndcg_by_group([1, 0, 0, 1], [1, 0, 1, 0], ["a", "a", "b", "b"]) == pytest.approx(
        (1.0 + 1 / 1.5849625) / 2
    )
