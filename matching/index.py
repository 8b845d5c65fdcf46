"""MatchIndex: one per process, updated incrementally as profiles change."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date

import numpy as np

from matching import filters, gap
from matching.explain import explanation
from matching.features import Context, candidate_batch, fit_texts, vacancy_batch
from matching.query import rank_components, recommend_components
from matching.rowstore import (
    CANDIDATE_DENSE,
    CANDIDATE_SPARSE,
    VACANCY_DENSE,
    VACANCY_SPARSE,
    RowStore,
)
from matching.scoring import (
    FACTORS,
    damping,
    display_score,
    total_score,
    weight_vector,
    weights_dict,
)
from matching.types import Candidate, Id, Match, Page, Taxonomy, Vacancy

_BUILD_CHUNK = 20_000  # rows featurised per batch: bounds temporary lists


def _locked(method: Callable) -> Callable:
    """Serialise calls: queries also touch shared caches, so a web server's
    threads must not interleave with updates."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


def _last_by_id(items: Iterable) -> list:
    return list({item.id: item for item in items}.values())


def select_page(scores: np.ndarray, eligible: np.ndarray, offset: int, top_k: int):
    """Rows of one page, best first (ties by row order), and the eligible total."""
    rows = np.flatnonzero(eligible & (scores > 0))
    total = len(rows)
    wanted = max(offset, 0) + max(top_k, 0)
    if wanted == 0 or total == 0:
        return rows[:0], total
    if wanted < total:
        rows = rows[np.argpartition(-scores[rows], wanted - 1)[:wanted]]
    rows = rows[np.lexsort((rows, -scores[rows]))]
    return rows[max(offset, 0) : wanted], total


class MatchIndex:
    """Candidates and vacancies, ready to be ranked against each other."""

    def __init__(
        self,
        candidates: Iterable[Candidate] = (),
        vacancies: Iterable[Vacancy] = (),
        taxonomy: Taxonomy | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        candidates, vacancies = _last_by_id(candidates), _last_by_id(vacancies)
        self.taxonomy = taxonomy or Taxonomy()
        # The n-gram vocabulary is fitted once here and reused by every update.
        self.ctx = Context(self.taxonomy, fit_texts(candidates, vacancies))
        self._cands = RowStore(CANDIDATE_DENSE, CANDIDATE_SPARSE)
        self._vacs = RowStore(VACANCY_DENSE, VACANCY_SPARSE)
        self._weights = weight_vector(weights)
        for start in range(0, len(candidates), _BUILD_CHUNK):
            chunk = candidates[start : start + _BUILD_CHUNK]
            self._cands.append(chunk, candidate_batch(self.ctx, chunk))
        for start in range(0, len(vacancies), _BUILD_CHUNK):
            chunk = vacancies[start : start + _BUILD_CHUNK]
            self._vacs.append(chunk, vacancy_batch(self.ctx, chunk))
        self._warm()

    def _warm(self) -> None:
        """Prepare column-major copies so the first query is as fast as the rest."""
        for store in (self._cands, self._vacs):
            store.warm()
        for table in (self.ctx.cand_free, self.ctx.vac_free, self.ctx.cand_titles,
                      self.ctx.vac_titles):
            table.warm()

    # -- weights and contents ------------------------------------------------
    @property
    def weights(self) -> dict[str, float]:
        return weights_dict(self._weights)

    @weights.setter
    def weights(self, weights: Mapping[str, float] | None) -> None:
        self._weights = weight_vector(weights)

    @property
    def n_candidates(self) -> int:
        return self._cands.n_alive

    @property
    def n_vacancies(self) -> int:
        return self._vacs.n_alive

    def candidate(self, candidate_id: Id) -> Candidate | None:
        return self._cands.get(candidate_id)

    def vacancy(self, vacancy_id: Id) -> Vacancy | None:
        return self._vacs.get(vacancy_id)

    # -- snapshots (matching/snapshot.py) -------------------------------------
    def parts(self) -> tuple[Taxonomy, Context, RowStore, RowStore, np.ndarray]:
        return self.taxonomy, self.ctx, self._cands, self._vacs, self._weights

    @classmethod
    def from_parts(cls, taxonomy: Taxonomy, ctx: Context, cands: RowStore, vacs: RowStore,
                   weights: np.ndarray) -> MatchIndex:
        index = cls.__new__(cls)
        index._lock = threading.RLock()
        index.taxonomy, index.ctx, index._cands, index._vacs = taxonomy, ctx, cands, vacs
        index._weights = weights
        return index

    # -- incremental updates -------------------------------------------------
    @_locked
    def upsert_candidate(self, candidate: Candidate) -> None:
        self.upsert_candidates([candidate])

    @_locked
    def upsert_candidates(self, candidates: Iterable[Candidate]) -> None:
        """Several at once: one featurising pass per chunk instead of one per candidate."""
        candidates = _last_by_id(candidates)
        for start in range(0, len(candidates), _BUILD_CHUNK):
            chunk = candidates[start : start + _BUILD_CHUNK]
            self._cands.append(chunk, candidate_batch(self.ctx, chunk))
        self._compact_if_needed(self._cands)

    @_locked
    def remove_candidate(self, candidate_id: Id) -> bool:
        return self._cands.remove(candidate_id)

    @_locked
    def upsert_vacancy(self, vacancy: Vacancy) -> None:
        self.upsert_vacancies([vacancy])

    @_locked
    def upsert_vacancies(self, vacancies: Iterable[Vacancy]) -> None:
        vacancies = _last_by_id(vacancies)
        for start in range(0, len(vacancies), _BUILD_CHUNK):
            chunk = vacancies[start : start + _BUILD_CHUNK]
            self._vacs.append(chunk, vacancy_batch(self.ctx, chunk))
        self._compact_if_needed(self._vacs)

    @_locked
    def remove_vacancy(self, vacancy_id: Id) -> bool:
        return self._vacs.remove(vacancy_id)

    @staticmethod
    def _compact_if_needed(store: RowStore) -> None:
        if store.needs_compaction():
            store.compact()
            store.warm()

    # -- queries ---------------------------------------------------------------
    def _as_vacancy(self, vacancy: Id | Vacancy) -> Vacancy:
        found = vacancy if isinstance(vacancy, Vacancy) else self._vacs.get(vacancy)
        if found is None:
            raise KeyError(f"unknown vacancy {vacancy!r}")
        return found

    def _as_candidate(self, candidate: Id | Candidate) -> Candidate:
        found = candidate if isinstance(candidate, Candidate) else self._cands.get(candidate)
        if found is None:
            raise KeyError(f"unknown candidate {candidate!r}")
        return found

    def _filter_mask(self, store: RowStore, allowed: Collection | None) -> np.ndarray:
        if allowed is None:
            return store.alive.values.copy()
        mask = np.zeros(store.n_rows, dtype=bool)
        mask[store.rows_for(allowed)] = True
        return mask & store.alive.values

    @_locked
    def rank_candidates(
        self,
        vacancy: Id | Vacancy,
        top_k: int = 20,
        offset: int = 0,
        today: date | None = None,
        candidate_filter: Collection[Id] | None = None,
    ) -> Page:
        """Best candidates for a vacancy; restricted candidates silently left out."""
        vacancy = self._as_vacancy(vacancy)
        batch = vacancy_batch(self.ctx, [vacancy])
        components = rank_components(self.ctx, self._cands, batch)
        incomplete = self._cands.col("incomplete")
        scores = total_score(components, self._weights, incomplete)
        blocked = filters.blocked_candidates(self.ctx, self._cands, batch, today or date.today())
        eligible = self._filter_mask(self._cands, candidate_filter) & ~blocked
        rows, total = select_page(scores, eligible, offset, top_k)
        items = []
        for row in rows:
            candidate = self._cands.objects[row]
            detail = explanation(
                self.ctx, candidate, vacancy, _component_row(components, row),
                self._weights, bool(incomplete[row]),
            )
            items.append(Match(candidate.id, display_score(scores[row]), detail))
        return Page(tuple(items), total, offset, top_k)

    @_locked
    def recommend_vacancies(
        self,
        candidate: Id | Candidate,
        top_k: int = 20,
        offset: int = 0,
        today: date | None = None,
        vacancy_filter: Collection[Id] | None = None,
    ) -> Page:
        """Best open vacancies for a candidate; blocked ones are never included."""
        candidate = self._as_candidate(candidate)
        batch = candidate_batch(self.ctx, [candidate])
        components = recommend_components(self.ctx, self._vacs, batch)
        incomplete = bool(batch.dense["incomplete"][0])
        scores = total_score(components, self._weights, incomplete)
        masks = filters.blocked_vacancies(self.ctx, self._vacs, candidate, today or date.today())
        eligible = self._filter_mask(self._vacs, vacancy_filter)
        eligible &= ~filters.any_blocked(masks, self._vacs.n_rows)
        rows, total = select_page(scores, eligible, offset, top_k)
        items = []
        for row in rows:
            vacancy = self._vacs.objects[row]
            detail = explanation(
                self.ctx, candidate, vacancy, _component_row(components, row),
                self._weights, incomplete,
            )
            items.append(Match(vacancy.id, display_score(scores[row]), detail))
        return Page(tuple(items), total, offset, top_k)

    @_locked
    def blocked_vacancies(self, candidate: Id | Candidate, today: date | None = None) -> dict:
        """{vacancy id: reason code} for vacancies a condition closes to the candidate."""
        candidate = self._as_candidate(candidate)
        masks = filters.blocked_vacancies(self.ctx, self._vacs, candidate, today or date.today())
        reasons: dict = {}
        for reason, mask in masks.items():  # court_ban, curfew, territory: first wins
            for row in np.flatnonzero(mask & self._vacs.alive.values):
                reasons.setdefault(self._vacs.ids[row], reason)
        return reasons

    @_locked
    def skill_gap(
        self, candidate: Id | Candidate, top_n: int = 5, today: date | None = None
    ) -> list[dict]:
        """Missing skills that would open the most vacancies (see gap.py)."""
        candidate = self._as_candidate(candidate)
        masks = filters.blocked_vacancies(self.ctx, self._vacs, candidate, today or date.today())
        open_rows = self._vacs.alive.values & ~filters.any_blocked(masks, self._vacs.n_rows)
        batch = candidate_batch(self.ctx, [candidate])
        return gap.skill_gap(self.ctx, self._vacs, batch, open_rows, top_n)

    @_locked
    def factor_features(self, vacancy: Id | Vacancy, candidate_ids: Iterable[Id]) -> np.ndarray:
        """(k, len(FACTORS)) factor values, damped like the score, for learning."""
        batch = vacancy_batch(self.ctx, [self._as_vacancy(vacancy)])
        components = rank_components(self.ctx, self._cands, batch)
        rows = np.asarray([self._cands.row_of[i] for i in candidate_ids], dtype=np.int64)
        matrix = np.column_stack([components[f][rows] for f in FACTORS])
        return matrix * damping(self._cands.col("incomplete")[rows])[:, None]


def _component_row(components: dict[str, np.ndarray], row: int) -> np.ndarray:
    return np.array([components[f][row] for f in FACTORS], dtype=np.float64)
