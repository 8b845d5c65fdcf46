"""Building a snapshot in the background: an rq job on this host's queue when REDIS_URL is
set, else a separate `flask matching-build` process. Never inside a web request.

Snapshots belong to a host (each maps its own files), so each host runs its own rq worker on
its own queue, MATCHING_QUEUE (`matching-<hostname>` by default):

    rq worker --url "$REDIS_URL" "matching-$(hostname)"
"""

import functools
import logging
import subprocess
import sys

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from marketplace.matches import snapshots

logger = logging.getLogger(__name__)

JOB_TIMEOUT = 30 * 60  # seconds an rq worker lets one build run


def request_build(*, min_version: int = 0) -> str:
    """Ask for a snapshot covering at least change `min_version`; returns how: "rq" or
    "process". A build that finds a newer snapshot already in place does nothing."""
    if enqueue_build(min_version=min_version):
        return "rq"
    _spawn_build(min_version)
    return "process"


def enqueue_build(*, min_version: int = 0) -> bool:
    """Queue the build for this host's rq worker; False without Redis (or if it is down)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return False
    try:
        queue = Queue(current_app.config["MATCHING_QUEUE"], connection=Redis.from_url(url))
        queue.enqueue(run_queued, min_version, job_timeout=JOB_TIMEOUT)
    except RedisError:
        logger.exception("Redis is unreachable: the matching snapshot is built without rq")
        return False
    return True


def _spawn_build(min_version: int) -> None:
    """A detached `flask matching-build` with this process's environment (and so its
    configuration); its output goes to build.log beside the snapshots."""
    root = snapshots.snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "flask", "--app", "marketplace", "matching-build",
               "--min-version", str(min_version)]
    with (root / "build.log").open("ab") as log:
        subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                         stdin=subprocess.DEVNULL, start_new_session=True)


def run_queued(min_version: int) -> None:
    """The rq worker's entry point."""
    with _worker_app().app_context():
        try:
            snapshots.build_snapshot(min_version=min_version)
        except snapshots.BuildRunning:
            logger.info("a matching snapshot is already being built on this host")


@functools.cache
def _worker_app():
    from marketplace import create_app

    return create_app()
