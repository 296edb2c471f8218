"""The process cache: built once, dropped on its change signals (model saves and deletes, domain
signals), after its time limit, and never refilled with a value built before a clear."""

from __future__ import annotations

import pytest
from django.dispatch import Signal

from tongchou.core.cache import ProcessCache, caches, clear_all, process_cache


def test_a_value_is_built_once_until_cleared():
    cache = ProcessCache("test.once")
    calls = []
    build = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get("k", build) == 1
    assert cache.get("k", build) == 1
    cache.clear()
    assert cache.get("k", build) == 2


def test_an_expired_value_is_rebuilt(monkeypatch):
    import time

    cache = ProcessCache("test.ttl", ttl=10)
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    assert cache.get("k", lambda: "old") == "old"
    now[0] += 9
    assert cache.get("k", lambda: "new") == "old"
    now[0] += 2
    assert cache.get("k", lambda: "new") == "new"


def test_a_value_built_before_a_clear_is_not_stored_after_it():
    cache = ProcessCache("test.race")

    def build():
        cache.clear()  # the data changed while we were building
        return "stale"

    assert cache.get("k", build) == "stale"  # the caller gets its answer…
    assert cache.peek("k") is None  # …but the next caller builds afresh


def test_max_entries_keeps_the_most_recent():
    cache = ProcessCache("test.lru", max_entries=2)
    for k in "abc":
        cache.get(k, lambda k=k: k)
    assert cache.peek("a") is None and cache.peek("c") is not None


def test_a_domain_signal_clears_the_cache():
    changed = Signal()
    cache = process_cache("test.signal", invalidated_by=[changed])
    cache.get("k", lambda: 1)
    changed.send(sender=None)
    assert cache.peek("k") is None


@pytest.mark.django_db
def test_saving_or_deleting_a_model_clears_the_caches_built_from_it(reference_data):
    from tongchou.regions.models import Department

    cache = process_cache("test.departments", invalidated_by=["regions.Department"])
    cache.get("k", lambda: 1)
    dept = Department.objects.create(region_id="370306", name="测试局")
    assert cache.peek("k") is None
    cache.get("k", lambda: 1)
    dept.delete()
    assert cache.peek("k") is None


def test_every_cache_is_registered_and_clear_all_empties_them():
    cache = process_cache("test.registry")
    cache.get("k", lambda: 1)
    assert caches()["test.registry"] is cache
    clear_all()
    assert len(cache) == 0
