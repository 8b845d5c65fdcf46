"""Unique strings (skill names, job titles) and their n-gram vectors.

Profiles repeat the same skill names and titles over and over, so each
distinct normalised string is encoded once and rows of profiles point at
string ids. Similarities are then computed against the (much smaller)
table of distinct strings, never against every profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matching.store import GrowingCSR
from matching.text import TextEncoder, normalise, ramp
from matching.types import Taxonomy

# Cosine of char n-gram vectors below TEXT_LOW is noise, above TEXT_HIGH the
# same thing spelled differently; in between counts partially.
TEXT_LOW, TEXT_HIGH = 0.3, 0.7
# A free-text skill is treated as a taxonomy concept when it matches one of
# its names at least this well (after the ramp above).
RESOLVE_MIN_STRENGTH = 0.5
_FUZZY_CHUNK = 4096


class StringTable:
    """Distinct normalised strings -> ids, with their TF-IDF rows."""

    def __init__(self, encoder: TextEncoder) -> None:
        self._encoder = encoder
        self._ids: dict[str, int] = {}
        self.keys: list[str] = []  # id -> normalised string
        self._vectors = GrowingCSR()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, keys: Iterable[str]) -> list[int]:
        """Ids of normalised ``keys``, encoding the new ones in one batch."""
        keys = list(keys)
        new = list(dict.fromkeys(k for k in keys if k not in self._ids))
        if new:
            self._vectors.append_csr(self._encoder.encode(new))
            for key in new:
                self._ids[key] = len(self._ids)
                self.keys.append(key)
        return [self._ids[k] for k in keys]

    def warm(self) -> None:
        self._vectors.warm()

    @property
    def vectors(self) -> GrowingCSR:
        """The n-gram rows of the strings, by id (matching/snapshot.py saves and maps them)."""
        return self._vectors

    @vectors.setter
    def vectors(self, vectors: GrowingCSR) -> None:
        self._vectors = vectors

    def id_of(self, key: str) -> int | None:
        return self._ids.get(key)

    def matrix(self) -> sp.csr_matrix:
        return self._vectors.csr(self._encoder.n_features)

    def row(self, string_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Sparse n-gram vector of one stored string: (features, weights)."""
        return self._vectors.row(string_id)

    def cosine_to(
        self, source: StringTable, ids: Sequence[int], factors: Sequence[float] | None = None
    ) -> np.ndarray:
        """Per string here: max over ``source`` strings ``ids`` of factor * cosine.

        Visits only strings sharing an n-gram with a query (inverted lists),
        so the cost does not grow with the number of profiles.
        """
        best = np.zeros(len(self), dtype=np.float32)
        factors = [1.0] * len(ids) if factors is None else factors
        for string_id, factor in zip(ids, factors, strict=True):
            features, weights = source.row(int(string_id))
            if len(features) and len(self):
                np.maximum(best, factor * self._vectors.row_sum(features, weights), out=best)
        return best


def pair_cosine(a: StringTable, a_key: str, b: StringTable, b_key: str) -> float:
    """Cosine between a string of table ``a`` and one of table ``b`` (0 if unknown)."""
    a_id, b_id = a.id_of(a_key), b.id_of(b_key)
    if a_id is None or b_id is None:
        return 0.0
    (a_features, a_weights), (b_features, b_weights) = a.row(a_id), b.row(b_id)
    _, in_a, in_b = np.intersect1d(a_features, b_features, assume_unique=True,
                                   return_indices=True)
    return float(np.dot(a_weights[in_a], b_weights[in_b]))


@dataclass(frozen=True)
class Resolution:
    """How a skill name maps onto the taxonomy."""

    key: str  # normalised name
    concept_id: str | None
    quality: float  # 1.0 for an exact name/synonym, <1 for a fuzzy text match


class SkillResolver:
    """Maps skill names to taxonomy concepts: exactly, else by n-gram similarity."""

    def __init__(self, taxonomy: Taxonomy, encoder: TextEncoder) -> None:
        self._taxonomy = taxonomy
        self._name_concepts: list[str] = []
        names: list[str] = []
        for concept in taxonomy.concepts:
            for name in concept.names:
                if normalise(name):
                    names.append(normalise(name))
                    self._name_concepts.append(concept.id)
        self._name_vectors = encoder.encode(names)
        self._encoder = encoder
        self._cache: dict[str, Resolution] = {}

    def __getstate__(self) -> dict:
        # A snapshot (matching/snapshot.py) leaves the cache out: decoding tens of thousands
        # of resolved names costs every process more than resolving the few it meets.
        return {**vars(self), "_cache": {}}

    def resolve_many(self, names: Iterable[str]) -> list[Resolution]:
        names = list(names)
        unknown = list(dict.fromkeys(n for n in names if n not in self._cache))
        exact = {n: self._taxonomy.concept_id(n) for n in unknown}
        fuzzy = [n for n in unknown if exact[n] is None and normalise(n)]
        best = self._fuzzy(fuzzy)
        for name in unknown:
            if exact[name] is not None:
                self._cache[name] = Resolution(normalise(name) or name, exact[name], 1.0)
            else:
                concept, strength = best.get(name, (None, 0.0))
                self._cache[name] = Resolution(normalise(name), concept, strength)
        return [self._cache[n] for n in names]

    def _fuzzy(self, names: list[str]) -> dict[str, tuple[str | None, float]]:
        """Best taxonomy concept for each name, if similar enough."""
        found: dict[str, tuple[str | None, float]] = {}
        if not names or not self._name_concepts:
            return found
        # Chunks keep the dense names x taxonomy-names block small.
        for start in range(0, len(names), _FUZZY_CHUNK):
            chunk = names[start : start + _FUZZY_CHUNK]
            vectors = self._encoder.encode([normalise(n) for n in chunk])
            cosines = (vectors @ self._name_vectors.T).toarray()
            best_name = cosines.argmax(axis=1)
            strengths = ramp(cosines[np.arange(len(chunk)), best_name], TEXT_LOW, TEXT_HIGH)
            for name, idx, strength in zip(chunk, best_name, strengths, strict=True):
                if strength >= RESOLVE_MIN_STRENGTH:
                    found[name] = (self._name_concepts[idx], float(strength))
        return found
