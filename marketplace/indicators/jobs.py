"""Counting the indicators in the background: an rq job on the export worker's queue when
REDIS_URL is set (`flask indicators refresh --queue`, or a scheduler that enqueues), so the
count never runs inside a web request in production."""

import functools
import logging

from flask import current_app
from redis import Redis
from rq import Queue

from marketplace.exports.jobs import QUEUE_NAME
from marketplace.extensions import db
from marketplace.indicators.aggregates import refresh

logger = logging.getLogger(__name__)

JOB_TIMEOUT = 60 * 60  # seconds; a national count takes well under a minute


def enqueue_refresh() -> bool:
    """Queue a refresh for the rq worker; False when there is no Redis to queue it on."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return False
    Queue(QUEUE_NAME, connection=Redis.from_url(url)).enqueue(run_queued_refresh,
                                                              job_timeout=JOB_TIMEOUT)
    return True


def run_queued_refresh() -> None:
    """The rq worker's entry point: one refresh, committed."""
    with _worker_app().app_context():
        done = refresh()
        db.session.commit()
        logger.info("indicators refreshed by the worker: %d rows", done.row_count)


@functools.cache
def _worker_app():
    from marketplace import create_app

    return create_app()
