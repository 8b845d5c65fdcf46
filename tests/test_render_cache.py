"""The worker's cache of rendered page parts (marketplace/render_cache.py)."""

import threading

import pytest

from marketplace.render_cache import RenderCache


def test_a_kept_value_is_served_and_the_oldest_goes_first():
    cache, made = RenderCache(size=2), []

    def make(value):
        made.append(value)
        return value

    assert cache.get_or_make("a", lambda: make("A")) == "A"
    assert cache.get_or_make("b", lambda: make("B")) == "B"
    assert cache.get_or_make("a", lambda: make("A again")) == "A"   # kept, and now recent
    cache.get_or_make("c", lambda: make("C"))                        # "b" is the oldest
    assert cache.get_or_make("b", lambda: make("B again")) == "B again"
    assert made == ["A", "B", "C", "B again"]


def test_threads_missing_the_same_key_render_it_once():
    cache, calls, started = RenderCache(size=4), [], threading.Event()
    release = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return "page"

    results = []
    first = threading.Thread(target=lambda: results.append(cache.get_or_make("k", slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.get_or_make("k", slow)))
              for _ in range(3)]
    for thread in others:
        thread.start()
    release.set()
    for thread in (first, *others):
        thread.join(5)
    assert results == ["page"] * 4 and len(calls) == 1


def test_a_failed_render_lets_the_next_request_render_again():
    cache = RenderCache(size=4)

    def broken():
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        cache.get_or_make("k", broken)
    assert cache.get_or_make("k", lambda: "page") == "page"
