"""Page parts kept in this process for a few seconds, and only while nothing audited has
happened since they were made.

Every decision, registration and submission writes an audit event, so the newest event's id
changes whenever something a page shows may have changed: what an officer has just done shows
at once, while a page read again and again costs one index probe. Rows changed without an
audit event (bulk loads) show within STAFF_HOME_CACHE_SECONDS; 0 keeps nothing. The parts live
in the same bounded, one-render-at-a-time cache as the dashboard's figures.
"""

import time

from flask import current_app

from marketplace.audit.services import latest_event_id
from marketplace.render_cache import RenderCache

# A national set of regions × languages is a few dozen parts; the bound only stops a leak.
_parts = RenderCache(size=500)


def kept(key: tuple, make):
    """`make()`'s value for `key`, made again when the audit log has moved or the period of
    STAFF_HOME_CACHE_SECONDS it was made in has passed."""
    seconds = current_app.config["STAFF_HOME_CACHE_SECONDS"]
    if seconds <= 0:
        return make()
    period = int(time.monotonic() // seconds)
    return _parts.get_or_make((*key, latest_event_id(), period), make)


def forget_kept() -> None:
    _parts.clear()
