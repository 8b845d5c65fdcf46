"""This host's matching snapshots: built by one background process, mapped by every worker.

MATCHING_SNAPSHOT_DIR (instance/matching by default) holds versioned snapshot directories
(see matching/snapshot.py) and `current.json`, the pointer to the one in force with the
`match_change` id it covers. A build writes a new directory, then replaces the pointer with
one `os.replace` (atomic): a worker sees either the old snapshot or the new one, never half
of one. Workers `stat` the pointer on every use and map a newer snapshot when it appears;
files stay mapped after they are deleted, so old snapshots are removed after a grace period
without disturbing a worker still on them. Each host keeps its own directory; the change log
in the shared database keeps them all consistent.
"""

import fcntl
import hashlib
import json
import logging
import os
import shutil
import socket
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

import matching
from marketplace.extensions import db
from marketplace.matches.models import MatchChange
from matching import snapshot

logger = logging.getLogger(__name__)

POINTER = "current.json"
LOCK = "build.lock"
_PREFIX = "snapshot-"
_PARTIAL = ".partial-"


class BuildRunning(RuntimeError):
    """Another process of this host is building a snapshot right now."""


def snapshot_root() -> Path:
    return Path(current_app.config["MATCHING_SNAPSHOT_DIR"])


def database_identity() -> str:
    """Which database a snapshot was built from, so a process never maps a snapshot of
    another one: its URL (without the password) and the first entry of its change log, which
    tells a re-created database at the same URL (a development reset, a test) from the old."""
    url = db.engine.url.render_as_string(hide_password=True)
    first = db.session.execute(select(MatchChange.id, MatchChange.created_at)
                               .order_by(MatchChange.id).limit(1)).first()
    origin = f"{first.id}@{first.created_at.isoformat()}" if first else ""
    return hashlib.sha256(f"{url}|{origin}".encode()).hexdigest()[:16]


def latest_change() -> int:
    return db.session.scalar(select(func.max(MatchChange.id))) or 0


# -- the pointer --------------------------------------------------------------------------------

def pointer_key(root: Path) -> tuple | None:
    """Cheap identity of the pointer file (one stat): it changes whenever a build swaps."""
    try:
        stat = (root / POINTER).stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def read_pointer(root: Path) -> dict | None:
    try:
        return json.loads((root / POINTER).read_text())
    except (FileNotFoundError, ValueError):
        return None


def _write_pointer(root: Path, pointer: dict) -> None:
    partial = root / f"{_PARTIAL}{POINTER}.{os.getpid()}"
    with partial.open("w") as handle:
        json.dump(pointer, handle, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, root / POINTER)  # atomic: readers see the old pointer or the new one


def current_snapshot(root: Path) -> tuple[Path, dict] | None:
    """The snapshot in force for this app's database: (directory, pointer), else None."""
    pointer = read_pointer(root)
    if pointer is None or pointer.get("database") != database_identity():
        return None
    return root / pointer["dir"], pointer


def needs_build(root: Path) -> bool:
    """No snapshot of this database yet, or one older than a change that replaying cannot
    apply (a taxonomy edit, a refresh, e.g. after a bulk load)."""
    from marketplace.matches.index import REBUILD_ENTITIES

    current = current_snapshot(root)
    if current is None:
        return True
    newest = db.session.scalar(select(func.max(MatchChange.id))
                               .where(MatchChange.entity.in_(REBUILD_ENTITIES)))
    return (newest or 0) > current[1]["version"]


# -- building -----------------------------------------------------------------------------------

@contextmanager
def _build_lock(root: Path):
    """One build at a time per host; a second one is refused rather than queued."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK).open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildRunning(f"a matching snapshot is being built in {root}") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _consistent_reads() -> None:
    """On PostgreSQL every chunk of the build reads the same database snapshot (REPEATABLE
    READ), so the change-log position and the rows agree; SQLite has one writer anyway."""
    db.session.close()
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def build_snapshot(*, min_version: int = 0) -> dict | None:
    """Build the index from the database, save it as a new snapshot and make it current.

    Returns the new pointer, or None when the current snapshot already covers `min_version`
    (someone else built it meanwhile). Raises BuildRunning if this host is building already.
    """
    from marketplace.matches.index import build_index

    root = snapshot_root()
    with _build_lock(root):
        current = current_snapshot(root)
        if current and min_version and current[1]["version"] >= min_version:
            return None
        _consistent_reads()
        try:
            started = time.perf_counter()
            version = latest_change()
            index = build_index()
            built = time.perf_counter()
            pointer = _save(root, index, version)
        finally:
            db.session.close()
        pointer["timings"] = {"build_s": round(built - started, 2),
                              "save_s": round(time.perf_counter() - built, 2)}
        logger.info("matching snapshot %s: %s", pointer["dir"], pointer)
    cleanup(root)
    return pointer


def _save(root: Path, index: matching.MatchIndex, version: int) -> dict:
    now = datetime.now(UTC)
    name = f"{_PREFIX}{version:012d}-{now:%Y%m%dT%H%M%S%f}"
    pointer = {"dir": name, "version": version, "built_at": now.isoformat(),
               "database": database_identity(), "host": socket.gethostname(),
               "candidates": index.n_candidates, "vacancies": index.n_vacancies}
    partial = root / f"{_PARTIAL}{name}"
    snapshot.save(index, partial, info=pointer)
    partial.rename(root / name)
    _write_pointer(root, pointer)
    return pointer


def cleanup(root: Path, grace_seconds: float | None = None) -> list[str]:
    """Remove snapshots (and abandoned partial ones) older than the grace period, except the
    one in force. Workers have their files mapped already, so removing them is safe; the
    grace covers a worker that is still opening one."""
    if grace_seconds is None:
        grace_seconds = current_app.config["MATCHING_SNAPSHOT_GRACE"]
    pointer = read_pointer(root) or {}
    cutoff = time.time() - grace_seconds
    removed = []
    for path in root.iterdir():
        stale = path.name.startswith((_PREFIX, _PARTIAL)) and path.name != pointer.get("dir")
        if stale and path.stat().st_mtime < cutoff:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed
