"""A built MatchIndex saved as files that every process of a host maps instead of copying.

A snapshot is one directory:

- ``*.npy``: dense columns, alive flags, ids, the CSR rows of every sparse matrix with their
  column-major (CSC) copies, and the n-gram vectors of the string tables. ``load`` maps them
  read-only (``np.load(mmap_mode="r")``), so the operating system keeps one copy of their
  pages for all processes.
- ``*.objects.npy`` + ``*.offsets.npy``: each candidate and vacancy encoded on its own into one
  byte blob. Only the rows a page explains (≤ 20) are ever decoded, so no process holds
  100,000 Python objects.
- ``small.pickle``: the parts that are Python objects anyway and small: taxonomy, codebooks,
  the n-gram vocabulary, string ids, resolved skill names, weights.
- ``info.json``: the format and whatever the caller records (e.g. the change-log position).

Updates after loading never write to the mapped arrays: appended rows go to private tails
(``store.GrowingCSR``), and a dense column is copied only when it is first written.
A snapshot is written into a fresh directory and never modified afterwards.
"""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from matching.index import MatchIndex
from matching.rowstore import (
    CANDIDATE_DENSE,
    CANDIDATE_SPARSE,
    VACANCY_DENSE,
    VACANCY_SPARSE,
    RowStore,
)
from matching.store import GrowingCSR
from matching.types import Ban, Candidate, CandidateSkill, Restrictions, Vacancy

FORMAT = 1
_TABLES = ("cand_free", "vac_free", "cand_titles", "vac_titles")
_PICKLE = pickle.HIGHEST_PROTOCOL


class SnapshotError(RuntimeError):
    """The directory holds no snapshot this code can read."""


# -- rows as plain tuples ---------------------------------------------------------------
# Pickling frozen dataclasses one by one costs ~27 µs a candidate; their field values as
# plain tuples (read by attrgetter, in field order) cost a few µs and half the bytes.
# Decoding rebuilds equal objects.

def _getter(cls) -> Callable:
    return attrgetter(*(f.name for f in fields(cls)))


_CANDIDATE, _SKILL, _BAN, _VACANCY = (_getter(cls) for cls in (Candidate, CandidateSkill, Ban,
                                                                Vacancy))
_CANDIDATE_FIELDS = [f.name for f in fields(Candidate)]
_SKILLS, _RESTRICTIONS = _CANDIDATE_FIELDS.index("skills"), _CANDIDATE_FIELDS.index("restrictions")


def encode_candidate(candidate: Candidate) -> tuple:
    values = list(_CANDIDATE(candidate))
    restrictions = candidate.restrictions
    values[_SKILLS] = tuple(map(_SKILL, candidate.skills))
    values[_RESTRICTIONS] = (tuple(map(_BAN, restrictions.bans)), restrictions.curfew,
                             restrictions.territory)
    return tuple(values)


def decode_candidate(values: tuple) -> Candidate:
    values = list(values)
    values[_SKILLS] = tuple(CandidateSkill(*skill) for skill in values[_SKILLS])
    bans, curfew, territory = values[_RESTRICTIONS]
    values[_RESTRICTIONS] = Restrictions(tuple(Ban(*ban) for ban in bans), curfew, territory)
    return Candidate(*values)


def encode_vacancy(vacancy: Vacancy) -> tuple:
    return _VACANCY(vacancy)


def decode_vacancy(values: tuple) -> Vacancy:
    return Vacancy(*values)


class LazyRows:
    """Row objects decoded on demand from a mapped blob; rows appended or removed after
    loading are kept privately. Supports what RowStore does with a list."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray,
                 decode: Callable[[tuple], object]) -> None:
        self._blob, self._offsets, self._decode = blob, offsets, decode
        self._n_base = len(offsets) - 1
        self._tail: list = []
        self._removed: set[int] = set()

    def __len__(self) -> int:
        return self._n_base + len(self._tail)

    def __getitem__(self, row: int):
        if row < 0 or row >= len(self):
            raise IndexError(row)
        if row >= self._n_base:
            return self._tail[row - self._n_base]
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        if row in self._removed or start == end:
            return None
        return self._decode(pickle.loads(self._blob[start:end].tobytes()))  # noqa: S301 (own file)

    def __setitem__(self, row: int, value) -> None:
        if row >= self._n_base:
            self._tail[row - self._n_base] = value
        elif value is None:  # RowStore only ever clears a saved row
            self._removed.add(int(row))
        else:
            raise TypeError("saved rows are replaced by appending, not in place")

    def append(self, item) -> None:
        self._tail.append(item)


# -- saving ------------------------------------------------------------------------------

def _save_array(directory: Path, name: str, array: np.ndarray) -> None:
    np.save(directory / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)


def _save_matrix(directory: Path, name: str, matrix: GrowingCSR, shapes: dict) -> None:
    csr, csc = matrix.export()
    for kind, part in (("csr", csr), ("csc", csc)):
        for field in ("indptr", "indices", "data"):
            _save_array(directory, f"{name}.{kind}_{field}", getattr(part, field))
    shapes[name] = (csr.shape, csc.shape)


def _save_rows(directory: Path, name: str, store: RowStore, encode: Callable) -> None:
    blobs = [b"" if item is None else pickle.dumps(encode(item), _PICKLE)
             for item in store.objects]
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum([len(blob) for blob in blobs], out=offsets[1:])
    _save_array(directory, f"{name}.objects", np.frombuffer(b"".join(blobs), dtype=np.uint8))
    _save_array(directory, f"{name}.offsets", offsets)


def _save_store(directory: Path, name: str, store: RowStore, encode: Callable,
                shapes: dict) -> list | None:
    """Saves the arrays; returns the ids when they are not all integers (kept in the pickle)."""
    for column, values in store.dense.items():
        _save_array(directory, f"{name}.dense.{column}", values.values)
    _save_array(directory, f"{name}.alive", store.alive.values)
    for matrix_name, matrix in store.sparse.items():
        _save_matrix(directory, f"{name}.sparse.{matrix_name}", matrix, shapes)
    _save_rows(directory, name, store, encode)
    if all(type(item_id) is int for item_id in store.ids):
        _save_array(directory, f"{name}.ids", np.asarray(store.ids, dtype=np.int64))
        return None
    return list(store.ids)


def save(index: MatchIndex, directory: Path | str, info: dict | None = None) -> None:
    """Write ``index`` into the new, empty ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=False)
    taxonomy, ctx, cands, vacs, weights = index.parts()
    shapes: dict = {}
    small_ctx = copy.copy(ctx)
    for table_name in _TABLES:
        table = getattr(ctx, table_name)
        _save_matrix(directory, f"ctx.{table_name}", table.vectors, shapes)
        stripped = copy.copy(table)
        stripped.vectors = GrowingCSR()  # the vectors are in the .npy files
        setattr(small_ctx, table_name, stripped)
    small = {
        "format": FORMAT, "taxonomy": taxonomy, "ctx": small_ctx, "weights": weights,
        "shapes": shapes,
        "cands.ids": _save_store(directory, "cands", cands, encode_candidate, shapes),
        "vacs.ids": _save_store(directory, "vacs", vacs, encode_vacancy, shapes),
    }
    with (directory / "small.pickle").open("wb") as handle:
        pickle.dump(small, handle, _PICKLE)
    info = {"format": FORMAT, "candidates": index.n_candidates,
            "vacancies": index.n_vacancies, **(info or {})}
    (directory / "info.json").write_text(json.dumps(info, sort_keys=True))


# -- loading -----------------------------------------------------------------------------

def read_info(directory: Path | str) -> dict:
    try:
        return json.loads((Path(directory) / "info.json").read_text())
    except (OSError, ValueError) as error:
        raise SnapshotError(f"no snapshot in {directory}: {error}") from error


def _mapped(directory: Path, name: str) -> np.ndarray:
    return np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)


def _load_matrix(directory: Path, name: str, shapes: dict) -> GrowingCSR:
    csr_shape, csc_shape = shapes[name]
    if csr_shape[0] == 0:
        return GrowingCSR()
    arrays = {kind: tuple(_mapped(directory, f"{name}.{kind}_{field}")
                          for field in ("data", "indices", "indptr"))
              for kind in ("csr", "csc")}
    return GrowingCSR(sp.csr_matrix(arrays["csr"], shape=csr_shape, copy=False),
                      sp.csc_matrix(arrays["csc"], shape=csc_shape, copy=False))


def _load_store(directory: Path, name: str, small: dict, dense_spec: dict, sparse_names,
                decode: Callable) -> RowStore:
    ids = small[f"{name}.ids"]
    if ids is None:
        ids = _mapped(directory, f"{name}.ids").tolist()
    rows = LazyRows(_mapped(directory, f"{name}.objects"), _mapped(directory, f"{name}.offsets"),
                    decode)
    return RowStore.restore(
        dense_spec,
        dense={column: _mapped(directory, f"{name}.dense.{column}") for column in dense_spec},
        sparse={matrix: _load_matrix(directory, f"{name}.sparse.{matrix}", small["shapes"])
                for matrix in sparse_names},
        alive=_mapped(directory, f"{name}.alive"), ids=ids, objects=rows)


def load(directory: Path | str) -> MatchIndex:
    """The index saved in ``directory``, its arrays memory-mapped read-only."""
    directory = Path(directory)
    if read_info(directory).get("format") != FORMAT:
        raise SnapshotError(f"{directory} was written in another format")
    with (directory / "small.pickle").open("rb") as handle:
        small = pickle.load(handle)  # noqa: S301 (written by save() on this host)
    ctx = small["ctx"]
    for table_name in _TABLES:
        getattr(ctx, table_name).vectors = _load_matrix(directory, f"ctx.{table_name}",
                                                         small["shapes"])
    cands = _load_store(directory, "cands", small, CANDIDATE_DENSE, CANDIDATE_SPARSE,
                        decode_candidate)
    vacs = _load_store(directory, "vacs", small, VACANCY_DENSE, VACANCY_SPARSE, decode_vacancy)
    return MatchIndex.from_parts(small["taxonomy"], ctx, cands, vacs, small["weights"])
