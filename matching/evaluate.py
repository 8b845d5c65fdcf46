"""Ranking quality on shipped labelled data: engine vs a plain TF-IDF baseline.

Two sets: seeded synthetic data whose grades come from the hidden ground
truth (real trade, real skills, location; see synth.py), and a small
hand-labelled kk/ru/en set (data/hand_labelled.json). The baseline is
word TF-IDF cosine between the concatenated texts of both sides.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.index import MatchIndex
from matching.io import parse_candidate, parse_vacancy
from matching.metrics import ndcg_at_k, precision_at_k, reciprocal_rank
from matching.scoring import weight_vector
from matching.synth import Generator, Truth, shipped_taxonomy
from matching.types import Candidate, Vacancy

N_CANDIDATES, N_VACANCIES = 3000, 150
RELEVANT = 2  # grades 2-3 count as relevant for P@10 and MRR


def grade(vacancy: Truth, candidate: Truth) -> int:
    """Ground-truth relevance 0..3 from hidden facts only."""
    covered = len(vacancy.skills & candidate.skills) / max(len(vacancy.skills), 1)
    same_trade = vacancy.occupation == candidate.occupation
    if covered == 1.0 and same_trade:
        value = 3
    elif covered >= 2 / 3:
        value = 2
    elif covered >= 1 / 3 or same_trade:
        value = 1
    else:
        value = 0
    reachable = candidate.region == vacancy.region or candidate.relocate
    return value if reachable else max(value - 1, 0)


def _candidate_text(c: Candidate) -> str:
    return " ".join([c.title, *c.desired_titles, *c.previous_titles, c.summary,
                     *(s.name for s in c.skills)])


def _vacancy_text(v: Vacancy) -> str:
    return " ".join([v.title, v.description, *v.required_skills, *v.optional_skills])


def baseline_scores(candidates, vacancies) -> np.ndarray:
    """(n_vacancies, n_candidates) word TF-IDF cosine."""
    vectorizer = TfidfVectorizer().fit(
        [_candidate_text(c) for c in candidates] + [_vacancy_text(v) for v in vacancies]
    )
    cand = vectorizer.transform([_candidate_text(c) for c in candidates])
    vac = vectorizer.transform([_vacancy_text(v) for v in vacancies])
    return (vac @ cand.T).toarray()


def engine_scores(candidates, vacancies, taxonomy) -> np.ndarray:
    index = MatchIndex(candidates, vacancies, taxonomy)
    weights = weight_vector(index.weights)
    ids = [c.id for c in candidates]
    return np.vstack([index.factor_features(v.id, ids) @ weights for v in vacancies])


def summarise(scores: np.ndarray, labels: np.ndarray) -> dict:
    """Mean NDCG@10 / P@10 / MRR over vacancies that have a relevant candidate."""
    rows = [i for i in range(len(labels)) if labels[i].max() >= RELEVANT]
    # Random order first, so ties are broken neither for nor against the method.
    shuffle = np.random.default_rng(0).permutation(labels.shape[1])
    s, y = scores[:, shuffle], labels[:, shuffle]
    return {
        "ndcg@10": round(float(np.mean([ndcg_at_k(s[i], y[i], 10) for i in rows])), 4),
        "p@10": round(float(np.mean([precision_at_k(s[i], y[i], 10, RELEVANT) for i in rows])), 4),
        "mrr": round(float(np.mean([reciprocal_rank(s[i], y[i], RELEVANT) for i in rows])), 4),
        "queries": len(rows),
    }


def synthetic_set(seed: int, n_candidates: int = N_CANDIDATES, n_vacancies: int = N_VACANCIES):
    generator = Generator(seed)
    candidates, c_truth = zip(*(generator.candidate(i) for i in range(n_candidates)), strict=True)
    vacancies, v_truth = zip(*(generator.vacancy(f"v{i}") for i in range(n_vacancies)),
                             strict=True)
    labels = np.array([[grade(v, c) for c in c_truth] for v in v_truth])
    return list(candidates), list(vacancies), labels


def hand_labelled_set():
    source = resources.files("matching.data").joinpath("hand_labelled.json")
    raw = json.loads(source.read_text("utf-8"))
    candidates = [parse_candidate(c) for c in raw["candidates"]]
    vacancies = [parse_vacancy(v) for v in raw["vacancies"]]
    labels = np.array([[raw["labels"].get(v.id, {}).get(c.id, 0) for c in candidates]
                       for v in vacancies])
    return candidates, vacancies, labels


def compare(candidates, vacancies, labels, taxonomy) -> dict:
    return {
        "candidates": len(candidates),
        "vacancies": len(vacancies),
        "engine": summarise(engine_scores(candidates, vacancies, taxonomy), labels),
        "baseline_tfidf": summarise(baseline_scores(candidates, vacancies), labels),
    }


def run_evaluation(seed: int = 20240601, n_candidates: int = N_CANDIDATES,
                   n_vacancies: int = N_VACANCIES) -> dict:
    taxonomy = shipped_taxonomy()
    return {
        "seed": seed,
        "synthetic": compare(*synthetic_set(seed, n_candidates, n_vacancies), taxonomy),
        "hand_labelled": compare(*hand_labelled_set(), taxonomy),
    }
