"""Append-only storage that lets the index grow without a rebuild.

Rows are only ever appended; replacing a profile appends a new row and the
index marks the old one dead (and compacts now and then). That keeps every
update O(size of the row) instead of O(size of the index).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Rows appended after the column-major copy was built are scanned directly
# until there are this many (or 5% of all rows); then the copy is rebuilt.
_MAX_TAIL_ROWS = 4096


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

    @classmethod
    def of(cls, values: np.ndarray, fill: float | int = 0) -> Column:
        """A column over existing values, used as they are (e.g. memory-mapped read-only
        from a snapshot): the first write or append works on a private copy."""
        column = cls(values.dtype, fill)
        column._data, column.size = values, len(values)
        return column

    def extend(self, values: np.ndarray | list) -> None:
        values = np.asarray(values, dtype=self._data.dtype)
        self._data = _grown(self._data, self.size + len(values), self._fill)
        self._data[self.size : self.size + len(values)] = values
        self.size += len(values)

    def set(self, row: int, value: float | int | bool) -> None:
        if not self._data.flags.writeable:  # shared values are never written in place
            self._data = self._data[: self.size].copy()
        self._data[row] = value

    @property
    def values(self) -> np.ndarray:
        return self._data[: self.size]

    def take(self, rows: np.ndarray) -> Column:
        kept = Column(self._data.dtype, self._fill)
        kept.extend(self.values[rows])
        return kept


def _csc_entries(csc: sp.csc_matrix, cols: np.ndarray, weights: np.ndarray):
    """Rows and weighted values of all entries in ``cols`` of a CSC matrix."""
    starts = csc.indptr[cols]
    lengths = csc.indptr[cols + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    # Positions of every entry: a run of consecutive offsets per column.
    run_starts = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    positions = run_starts + np.arange(total)
    values = csc.data[positions] * np.repeat(weights, lengths)
    return csc.indices[positions].astype(np.int64), values.astype(np.float32, copy=False)


class GrowingCSR:
    """A CSR matrix that rows can be appended to in amortised O(row).

    It may start from a frozen ``base`` matrix (memory-mapped from a snapshot and shared by
    several processes) with its column-major copy: appended rows then go to a private tail,
    so the shared base is never copied or written.
    """

    def __init__(
        self, base: sp.csr_matrix | None = None, base_csc: sp.csc_matrix | None = None
    ) -> None:
        self._base = base if base is not None and base.shape[0] else None
        self.indptr = Column(np.int64)  # of the tail rows (all rows without a base)
        self.indptr.extend([0])
        self.indices = Column(np.int32)
        self.data = Column(np.float32)
        self._cache: tuple[tuple[int, int, int], sp.csr_matrix] | None = None
        self._csc: sp.csc_matrix | None = None
        if self._base is not None and base_csc is not None:
            assert base_csc.shape[0] == self._base.shape[0], "CSC must cover the base rows"
            self._csc = base_csc

    @property
    def base_rows(self) -> int:
        return 0 if self._base is None else self._base.shape[0]

    @property
    def n_rows(self) -> int:
        return self.base_rows + self.indptr.size - 1

    def export(self) -> tuple[sp.csr_matrix, sp.csc_matrix]:
        """Every row as CSR and a column-major copy of them all, for saving a snapshot."""
        matrix = self.csr(max(self._n_cols(), 1))
        csc = self._csc
        if csc is None or csc.shape[0] != self.n_rows:
            csc = matrix.tocsc()
        return matrix, csc

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
        if row < self.base_rows:
            start, end = self._base.indptr[row], self._base.indptr[row + 1]
            return self._base.indices[start:end], self._base.data[start:end]
        row -= self.base_rows
        start, end = self.indptr.values[row], self.indptr.values[row + 1]
        return self.indices.values[start:end], self.data.values[start:end]

    def _base_csr(self, n_cols: int) -> sp.csr_matrix:
        base = self._base
        return sp.csr_matrix((base.data, base.indices, base.indptr),
                             shape=(base.shape[0], n_cols), copy=False)

    def _tail_csr(self, n_cols: int) -> sp.csr_matrix:
        return sp.csr_matrix(
            (self.data.values, self.indices.values, self.indptr.values),
            shape=(self.indptr.size - 1, n_cols),
            copy=False,
        )

    def csr(self, n_cols: int) -> sp.csr_matrix:
        """The matrix as scipy CSR (cached until the next append).

        With a base and a tail this is a private copy of both: hot paths use ``dot``."""
        key = (self.n_rows, self.data.size, n_cols)
        if self._cache is None or self._cache[0] != key:
            if self._base is None:
                matrix = self._tail_csr(n_cols)
            elif self.n_rows == self.base_rows:
                matrix = self._base_csr(n_cols)
            else:
                matrix = sp.vstack([self._base_csr(n_cols), self._tail_csr(n_cols)], format="csr")
            self._cache = (key, matrix)
        return self._cache[1]

    def dot(self, vector: np.ndarray) -> np.ndarray:
        """The matrix (as wide as ``vector``) times ``vector``, without joining base and tail."""
        if self._base is None:
            return self.csr(len(vector)) @ vector
        product = self._base_csr(len(vector)) @ vector
        if self.n_rows == self.base_rows:
            return product
        return np.concatenate([product, self._tail_csr(len(vector)) @ vector])

    def _n_cols(self) -> int:
        tail = int(self.indices.values.max(initial=-1))
        base = int(self._base.indices.max(initial=-1)) if self._base is not None else -1
        return max(tail, base) + 1

    def _column_major(self) -> sp.csc_matrix:
        """CSC of the first rows, rebuilt only when the uncovered tail grows large."""
        n_rows = self.n_rows
        tail = n_rows - (self._csc.shape[0] if self._csc is not None else 0)
        if self._csc is None or tail > max(_MAX_TAIL_ROWS, n_rows // 20):
            self._csc = self.csr(self._n_cols()).tocsc()
        return self._csc

    def warm(self) -> None:
        """Build the column-major copy now rather than on the first query."""
        if self.n_rows:
            self._column_major()

    def column_entries(self, cols: np.ndarray, weights: np.ndarray):
        """(row, data * weight) for every stored entry in the given columns.

        Cost is proportional to the entries of those columns, not to the
        matrix: this is what keeps a query over 100,000 rows cheap.
        """
        cols = np.asarray(cols, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float32)
        csc = self._column_major()
        inside = cols < csc.shape[1]
        rows, values = _csc_entries(csc, cols[inside], weights[inside])
        covered = csc.shape[0]
        if covered == self.n_rows:
            return rows, values
        # Rows appended since the CSC was built (all in the tail: a base always has its
        # CSC, and a rebuilt CSC covers the base too): scan them directly.
        indptr = self.indptr.values[covered - self.base_rows:]
        tail_indices = self.indices.values[indptr[0]:]
        size = max(int(cols.max(initial=-1)), int(tail_indices.max(initial=-1))) + 1
        lookup = np.zeros(size, dtype=np.float32)
        lookup[cols] = weights
        tail_values = self.data.values[indptr[0]:] * lookup[tail_indices]
        tail_rows = np.repeat(np.arange(covered, self.n_rows), np.diff(indptr))
        hit = tail_values != 0
        return np.concatenate([rows, tail_rows[hit]]), np.concatenate([values, tail_values[hit]])

    def row_max(self, column_values: np.ndarray) -> np.ndarray:
        """Per row: max over its entries of ``data * column_values[col]`` (0 if none).

        An exact "best match" (a sparse product would sum the matches);
        only columns with a positive value are visited.
        """
        out = np.zeros(self.n_rows, dtype=np.float32)
        cols = np.flatnonzero(column_values > 0)
        if len(cols) and self.n_rows:
            rows, values = self.column_entries(cols, column_values[cols])
            np.maximum.at(out, rows, values)
        return out

    def row_sum(self, cols: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Per row: sum of ``data * weight`` over the given columns (a sparse dot)."""
        rows, values = self.column_entries(cols, weights)
        return np.bincount(rows, weights=values, minlength=self.n_rows).astype(np.float32)

    def take(self, rows: np.ndarray) -> GrowingCSR:
        kept = GrowingCSR()
        if len(rows):
            kept.append_csr(self.csr(max(self._n_cols(), 1))[rows])
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
