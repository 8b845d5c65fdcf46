"""Rows of one side (candidates or vacancies) with id bookkeeping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from matching.features import Batch
from matching.store import Column, GrowingCSR

NAN = float("nan")
_SEGMENTS = {f"{prefix}{i}": (np.int16, 0) for prefix in ("curfew", "hours") for i in range(4)}

CANDIDATE_DENSE = {
    "region": (np.int32, -1),
    "city": (np.int32, -1),
    "relocate": (np.bool_, False),
    "experience": (np.float32, NAN),
    "schedules": (np.uint8, 0),
    "salary": (np.float32, NAN),
    "languages": (np.uint64, 0),
    "incomplete": (np.bool_, True),
    "has_curfew": (np.bool_, False),
    "has_territory": (np.bool_, False),
    **{k: v for k, v in _SEGMENTS.items() if k.startswith("curfew")},
}
CANDIDATE_SPARSE = (
    "concepts", "free", "desired", "previous", "ban_occupations", "ban_sectors", "territory",
)
VACANCY_DENSE = {
    "region": (np.int32, -1),
    "city": (np.int32, -1),
    "occupation": (np.int32, -1),
    "sector": (np.int32, -1),
    "schedule": (np.int8, 0),
    "rotational": (np.bool_, False),
    "hours_known": (np.bool_, False),
    "salary_top": (np.float32, NAN),
    "min_experience": (np.float32, NAN),
    "languages": (np.uint64, 0),
    "skill_weight": (np.float32, 0.0),
    **{k: v for k, v in _SEGMENTS.items() if k.startswith("hours")},
}
VACANCY_SPARSE = ("concepts", "free", "titles")


class RowStore:
    """Append-only rows; an update appends and marks the old row dead."""

    def __init__(self, dense: dict[str, tuple], sparse: Sequence[str]) -> None:
        self._dense_spec = dense
        self.dense = {name: Column(dtype, fill) for name, (dtype, fill) in dense.items()}
        self.sparse = {name: GrowingCSR() for name in sparse}
        self.alive = Column(np.bool_, False)
        self.ids: list = []
        self.objects: list = []
        self.row_of: dict = {}

    @classmethod
    def restore(cls, dense_spec: dict[str, tuple], dense: dict[str, np.ndarray],
                sparse: dict[str, GrowingCSR], alive: np.ndarray, ids: list,
                objects: Sequence) -> RowStore:
        """A store over saved parts (see matching/snapshot.py); the arrays are used as they
        are (possibly memory-mapped, read-only) and copied only where an update writes.
        ``objects`` needs item get/set and append, like a list."""
        store = cls(dense_spec, sparse)
        store.dense = {name: Column.of(dense[name], fill) for name, (_, fill) in dense_spec.items()}
        store.sparse = dict(sparse)
        store.alive = Column.of(alive, False)
        store.ids, store.objects = ids, objects
        store.row_of = {item_id: row for row, (item_id, live)
                        in enumerate(zip(ids, alive.tolist(), strict=True)) if live}
        return store

    @property
    def n_rows(self) -> int:
        return len(self.ids)

    @property
    def n_alive(self) -> int:
        return len(self.row_of)

    def get(self, item_id: object):
        row = self.row_of.get(item_id)
        return None if row is None else self.objects[row]

    def append(self, objects: Sequence, batch: Batch) -> None:
        for item in objects:
            self.remove(item.id)
        start = self.n_rows
        for name, column in self.dense.items():
            column.extend(batch.dense[name])
        for name, matrix in self.sparse.items():
            matrix.append_csr(batch.sparse[name].csr())
        self.alive.extend(np.ones(len(objects), dtype=bool))
        for offset, item in enumerate(objects):
            self.ids.append(item.id)
            self.objects.append(item)
            self.row_of[item.id] = start + offset

    def remove(self, item_id: object) -> bool:
        row = self.row_of.pop(item_id, None)
        if row is None:
            return False
        self.alive.set(row, False)
        self.objects[row] = None  # let the old profile be garbage-collected
        return True

    def needs_compaction(self) -> bool:
        dead = self.n_rows - self.n_alive
        return dead > max(1024, self.n_alive)

    def compact(self) -> None:
        """Drop dead rows; no re-encoding, only array/CSR row selection."""
        rows = np.flatnonzero(self.alive.values)
        self.dense = {name: col.take(rows) for name, col in self.dense.items()}
        self.sparse = {name: m.take(rows) for name, m in self.sparse.items()}
        self.ids = [self.ids[r] for r in rows]
        self.objects = [self.objects[r] for r in rows]
        self.alive = Column(np.bool_, False)
        self.alive.extend(np.ones(len(rows), dtype=bool))
        self.row_of = {item_id: r for r, item_id in enumerate(self.ids)}

    def warm(self) -> None:
        for matrix in self.sparse.values():
            matrix.warm()

    def col(self, name: str) -> np.ndarray:
        return self.dense[name].values

    def rows_for(self, ids: Iterable) -> np.ndarray:
        """Row numbers of the given ids that are in the store."""
        rows = [self.row_of[i] for i in ids if i in self.row_of]
        return np.asarray(rows, dtype=np.int64)
