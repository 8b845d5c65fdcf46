"""Rendered page parts kept in each worker's memory, shared by its threads.

The dashboard keeps its figures for one count (`flask indicators refresh`): a key names the count
by id and finish time, so a new count is a new key and nothing needs clearing. The staff home
keeps its queues while the audit log has not moved (marketplace/staff/kept.py). Bounded: the
least recently used parts go first.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

WAIT_SECONDS = 30  # a thread waiting for another's render gives up and renders itself


class RenderCache:
    """The last `size` values by key, shared by the threads of one worker. When several
    threads miss the same key at once (the first views after a count), one renders and the
    others wait for it instead of all rendering the same page."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._rendering: dict[Hashable, threading.Event] = {}
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        """The value kept for `key`, or `make()` kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            rendering = self._rendering.get(key)
            if rendering is None:
                self._rendering[key] = threading.Event()
        if rendering is not None:
            rendering.wait(WAIT_SECONDS)
            with self._lock:
                if key in self._items:
                    return self._items[key]
            return make()  # the other thread failed or is stuck: render here
        try:
            value = make()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._rendering.pop(key).set()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
