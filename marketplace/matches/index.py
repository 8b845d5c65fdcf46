"""The matching index of this process: this host's snapshot, mapped (see snapshots.py), and
brought up to date by replaying the `match_change` log, so every worker on every host converges
on the same data.

The index holds what may be shown: discoverable candidates and public vacancies. A profile or
vacancy that stops qualifying is removed on the next replay.

Without a snapshot a development or test process builds the index itself on first use
(MATCHING_BUILD_INLINE, on unless APP_ENV=production). In production no request waits for a
build: gunicorn builds a missing snapshot before the workers start, later builds run in the
background (`flask matching-refresh`, an rq job), and a worker without any snapshot answers
IndexNotReady while it asks for one.
"""

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

import matching
from marketplace.candidates.models import CandidateProfile
from marketplace.extensions import db
from marketplace.matches import adapters, loading, snapshots
from marketplace.matches.models import MatchChange, MatchingWeights
from matching import snapshot

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Past this many unseen changes a new snapshot is cheaper than replaying them (inline mode:
# the process rebuilds; otherwise a background build is requested and the replay goes on).
REBUILD_AFTER = 5_000
FREEZE_ABOVE = 10_000
# Changes that need a new build: the skills taxonomy changed (the vocabulary is fitted on it),
# or the daily refresh that lets ended bans, curfews and expired certificates take effect.
REBUILD_ENTITIES = {"taxonomy", "refresh"}
# A worker asks for a background build at most this often.
REQUEST_EVERY_SECONDS = 300
# Rankings remembered per process until the index next changes.
RESULTS_KEPT = 256
_EXTENSION_KEY = "matching_index"


class IndexNotReady(RuntimeError):
    """No snapshot yet and this process may not build one (production): the ranked pages
    say the ranking is being prepared."""


@dataclass
class _Holder:
    index: matching.MatchIndex | None = None
    seen: int = 0  # the last change-log id applied
    pointer: tuple | None = None  # identity of the snapshot pointer last adopted
    requested_at: float = 0.0
    generation: int = 0  # goes up whenever the index changes
    results: OrderedDict = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    loading: threading.Lock = field(default_factory=threading.Lock)


def _holder() -> _Holder:
    return current_app.extensions.setdefault(_EXTENSION_KEY, _Holder())


def adopted_weights() -> dict | None:
    row = db.session.scalar(select(MatchingWeights).where(MatchingWeights.adopted.is_(True))
                            .order_by(MatchingWeights.id.desc()).limit(1))
    return dict(row.weights) if row else None


def build_index() -> matching.MatchIndex:
    """The whole index from the database: set-based reads streamed in chunks."""
    with _no_collection():
        candidates = [c for chunk in loading.discoverable_candidates() for c in chunk]
        vacancies = [v for chunk in loading.public_vacancies() for v in chunk]
        index = matching.MatchIndex(candidates=candidates, vacancies=vacancies,
                                    taxonomy=adapters.taxonomy(), weights=adopted_weights())
        del candidates, vacancies
    if index.n_candidates + index.n_vacancies > FREEZE_ABOVE:
        # Long-lived row objects make every full GC pass walk them (≈0.4 s at 100k rows).
        gc.collect()
        gc.freeze()
    return index


@contextmanager
def _no_collection():
    """A build creates millions of objects that all live on: each full garbage collection
    pass on the way would walk all of them again (seconds at 100,000 profiles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _inline() -> bool:
    return bool(current_app.config["MATCHING_BUILD_INLINE"])


def current_index() -> matching.MatchIndex:
    """The process's index, brought up to date with every change committed so far.
    Raises IndexNotReady when there is no snapshot and this process may not build one."""
    holder = _holder()
    _adopt_newer_snapshot(holder)
    with holder.lock:
        latest = snapshots.latest_change()
        if holder.index is None:
            if not _inline():
                _request_build(holder, latest)
                raise IndexNotReady
            holder.index, holder.seen = build_index(), latest
            _changed(holder)
        elif latest > holder.seen:
            _replay(holder, latest)
            _changed(holder)
        return holder.index


def _changed(holder: _Holder) -> None:
    holder.generation += 1
    holder.results.clear()


def remembered(key: tuple, compute: Callable[[matching.MatchIndex], T]) -> T:
    """`compute(index)` on the current index, remembered until the index next changes: the
    same ranking is asked for again and again (paging back, reloading, colleagues). `key`
    must name everything the result depends on besides the index (ids, page, date)."""
    holder = _holder()
    index = current_index()
    with holder.lock:
        if holder.index is not index:  # swapped meanwhile: answer, but do not remember
            return compute(index)
        full_key = (holder.generation, key)
        if full_key in holder.results:
            holder.results.move_to_end(full_key)
            return holder.results[full_key]
        value = holder.results[full_key] = compute(index)
        while len(holder.results) > RESULTS_KEPT:
            holder.results.popitem(last=False)
        return value


def _adopt_newer_snapshot(holder: _Holder) -> None:
    """Map the host's snapshot when its pointer changed (one stat per call). Loading happens
    outside the query lock: other threads keep serving from the old index meanwhile."""
    root = snapshots.snapshot_root()
    key = snapshots.pointer_key(root)
    if key is None or key == holder.pointer:
        return
    if not holder.loading.acquire(blocking=holder.index is None):
        return  # another thread is mapping it
    try:
        if key == holder.pointer:
            return
        found = snapshots.current_snapshot(root)
        index = snapshot.load(found[0]) if found else None
    except (OSError, ValueError, KeyError, snapshot.SnapshotError):
        logger.exception("matching snapshot in %s could not be mapped", root)
        index = None
    finally:
        holder.loading.release()
    with holder.lock:
        holder.pointer = key  # a broken snapshot is not retried until the pointer changes
        if index is not None:
            holder.index, holder.seen = index, found[1]["version"]
            _changed(holder)


def _request_build(holder: _Holder, latest: int) -> None:
    if time.monotonic() - holder.requested_at < REQUEST_EVERY_SECONDS and holder.requested_at:
        return
    holder.requested_at = time.monotonic()
    from marketplace.matches.jobs import request_build

    request_build(min_version=latest)


def _replay(holder: _Holder, latest: int) -> None:
    changes = db.session.execute(
        select(MatchChange.entity, MatchChange.entity_id).distinct()
        .where(MatchChange.id > holder.seen, MatchChange.id <= latest)).all()
    needs_build = latest - holder.seen > REBUILD_AFTER or any(
        entity in REBUILD_ENTITIES for entity, _ in changes)
    if needs_build and _inline():
        holder.index, holder.seen = build_index(), latest
        return
    if needs_build:
        _request_build(holder, latest)
    apply_changes(holder.index, changes)
    holder.seen = latest


def apply_changes(index: matching.MatchIndex, changes) -> None:
    """Bring the entities named in (entity, id) pairs up to date, reading them in chunks."""
    ids: dict[str, set[int]] = {}
    for entity, entity_id in changes:
        ids.setdefault(entity, set()).add(entity_id)
    vacancy_ids = ids.get("vacancy", set()) | loading.vacancy_ids_of_organisations(
        ids.get("organisation", ()))
    if ids.get("candidate"):
        found = loading.candidates_by_id(ids["candidate"], CandidateProfile.discoverable.is_(True))
        index.upsert_candidates(found.values())
        for gone in ids["candidate"] - found.keys():
            index.remove_candidate(gone)
    if vacancy_ids:
        found = loading.vacancies_by_id(vacancy_ids, public_only=True)
        index.upsert_vacancies(found.values())
        for gone in vacancy_ids - found.keys():
            index.remove_vacancy(gone)
    if "weights" in ids:
        index.weights = adopted_weights() or dict(matching.DEFAULT_WEIGHTS)


def forget_index() -> None:
    """Drop this process's index (tests that empty the tables; the next use rebuilds)."""
    holder = _holder()
    with holder.lock:
        holder.index, holder.seen, holder.pointer, holder.requested_at = None, 0, None, 0.0
        _changed(holder)
