"""Append-only storage that lets the index grow without a rebuild.

Rows are only ever appended; replacing a profile appends a new row and the
index marks the old one dead (and compacts now and then). That keeps every
update O(size of the row) instead of O(size of the index).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def _grown(array: np.ndarray, needed: int, fill: float | int = 0) -> np.ndarray:
    """Same array, or a copy with room for ``needed`` items (doubling)."""
    if needed <= len(array):
        return array
    bigger = np.full(max(needed, 2 * len(array), 16), fill, dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


class Column:
    """A growable 1-D numpy column; ``values`` is a view of the live part."""

    def __init__(self, dtype: type | np.dtype, fill: float | int = 0) -> None:
        self._data = np.full(16, fill, dtype=dtype)
        self._fill = fill
        self.size = 0

    def extend(self, values: np.ndarray | list) -> None:
        values = np.asarray(values, dtype=self._data.dtype)
        self._data = _grown(self._data, self.size + len(values), self._fill)
        self._data[self.size : self.size + len(values)] = values
        self.size += len(values)

    def set(self, row: int, value: float | int | bool) -> None:
        self._data[row] = value

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.size]

    def take(self, rows: np.ndarray) -> Column:
        kept = Column(self._data.dtype, self._fill)
        kept.extend(self.values[rows])
        return kept


class GrowingCSR:
    """A CSR matrix that rows can be appended to in amortised O(row)."""

    def __init__(self) -> None:
        self.indptr = Column(np.int64)
        self.indptr.extend([0])
        self.indices = Column(np.int32)
        self.data = Column(np.float32)
        self._cache: tuple[tuple[int, int, int], sp.csr_matrix] | None = None

    @property
    def n_rows(self) -> int:
        return self.indptr.size - 1

    def append_row(self, indices: list[int] | np.ndarray, data: list[float] | np.ndarray) -> None:
        self.indices.extend(indices)
        self.data.extend(data)
        self.indptr.extend([self.data.size])

    def append_csr(self, matrix: sp.csr_matrix) -> None:
        matrix = sp.csr_matrix(matrix)
        offset = self.data.size
        self.indices.extend(matrix.indices)
        self.data.extend(matrix.data)
        self.indptr.extend(matrix.indptr[1:] + offset)

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr.values[row], self.indptr.values[row + 1]
        return self.indices.values[start:end], self.data.values[start:end]

    def csr(self, n_cols: int) -> sp.csr_matrix:
        """The matrix as scipy CSR (cached until the next append)."""
        key = (self.n_rows, self.data.size, n_cols)
        if self._cache is None or self._cache[0] != key:
            matrix = sp.csr_matrix(
                (self.data.values, self.indices.values, self.indptr.values),
                shape=(self.n_rows, n_cols),
                copy=False,
            )
            self._cache = (key, matrix)
        return self._cache[1]

    def row_max(self, column_values: np.ndarray) -> np.ndarray:
        """Per row: max over stored entries of ``data * column_values[col]``.

        Rows with no entries get 0. This is an exact "best match" in one
        vectorised pass, where a sparse product would sum the matches.
        """
        n_rows = self.n_rows
        out = np.zeros(n_rows, dtype=np.float32)
        if self.data.size == 0 or n_rows == 0:
            return out
        products = self.data.values * column_values[self.indices.values]
        starts = self.indptr.values[:-1]
        non_empty = self.indptr.values[1:] > starts
        out[non_empty] = np.maximum.reduceat(products, starts[non_empty])
        return out

    def take(self, rows: np.ndarray) -> GrowingCSR:
        kept = GrowingCSR()
        if len(rows):
            kept.append_csr(self.csr(int(self.indices.values.max(initial=0)) + 1)[rows])
        return kept


class Codebook:
    """Stable small integers for string codes (regions, sectors, ...)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def add(self, code: object) -> int:
        """Id of ``code`` (registered if new); -1 for missing codes."""
        if code is None or str(code).strip() == "":
            return -1
        return self._ids.setdefault(str(code).strip(), len(self._ids))

    def get(self, code: object) -> int:
        """Id of a known code, else -1 (unknown codes match nothing)."""
        if code is None:
            return -1
        return self._ids.get(str(code).strip(), -1)

    def __len__(self) -> int:
        return len(self._ids)
