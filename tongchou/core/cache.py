"""One way to keep derived data in process memory: a named cache that is dropped when the data it was
built from changes, and (optionally) after a time limit.

    _routers = process_cache(
        "appeals.routers",
        ttl=60,                                     # other processes' edits arrive within a minute
        invalidated_by=["appeals.RoutingKeyword", "regions.Department"],  # saves/deletes here
    )
    router = _routers.get(region.pk, lambda: build(region))

``invalidated_by`` takes model labels (``"app_label.Model"``: cleared on that model's ``post_save``
and ``post_delete``, connected lazily so this works at import time) and ``Signal`` objects (such as
``core.signals.enterprise_data_changed``, sent by writers that bypass model signals). Bulk writes
(``update()``, raw SQL) fire no model signal: their writers send a domain signal, or the cache has a
``ttl``. Every cache is listed in ``caches()`` and cleared together by ``clear_all()`` (tests start
from empty caches; ``tongchou load-reference`` clears them after rewriting reference data).

The cache is per process: with ``tongchou serve --workers N`` each process has its own, and an edit
made in one process reaches the others' caches through ``ttl`` only.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from django.db.models.signals import ModelSignal, post_delete, post_save
from django.dispatch import Signal

V = TypeVar("V")
_MISSING = object()


class ProcessCache(Generic[V]):
    """Values by key, each built once by the caller's function, dropped on change or after ``ttl``."""

    def __init__(self, name: str, *, ttl: float | None = None, max_entries: int | None = None) -> None:
        self.name = name
        self.ttl = ttl
        self.max_entries = max_entries
        self._data: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # bumped by clear(): a value built before a clear is not stored after it

    def __repr__(self) -> str:
        return f"<ProcessCache {self.name} ({len(self._data)} entries)>"

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        """The cached value for *key*, or ``build()`` stored under it. Two threads missing at once may
        both build; the value is the same, only the work is done twice."""
        hit = self.peek(key)
        if hit is not None and (self.ttl is None or hit[1] < self.ttl):
            return hit[0]
        generation = self.generation
        value = build()
        self.put(key, value, generation=generation)
        return value

    def peek(self, key: Hashable) -> tuple[V, float] | None:
        """(value, age in seconds) without building or expiring: for callers that keep serving a
        stale value while they rebuild it elsewhere."""
        with self._lock:
            entry = self._data.get(key)
        if entry is None:
            return None
        return entry[1], time.monotonic() - entry[0]

    def put(
        self, key: Hashable, value: V, *, generation: int | None = None, built_at: float | None = None
    ) -> None:
        """Store *value*; skipped when the cache was cleared since ``generation`` was read (the value
        may have been built from data that has changed since)."""
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            self._data[key] = (built_at if built_at is not None else time.monotonic(), value)
            self._data.move_to_end(key)
            if self.max_entries is not None:
                while len(self._data) > self.max_entries:
                    self._data.popitem(last=False)

    def clear(self, *args: Any, **kwargs: Any) -> None:
        """Drop every value. Takes any arguments, so it can be a signal receiver itself."""
        with self._lock:
            self._data.clear()
            self.generation += 1

    def __len__(self) -> int:
        return len(self._data)

    def invalidate_on(self, *sources: str | Signal) -> ProcessCache[V]:
        """Clear on saves/deletes of the models named ``"app_label.Model"`` and on these signals."""
        for source in sources:
            if isinstance(source, str):
                for signal in (post_save, post_delete):
                    _connect(signal, self, source)
            else:
                _connect(source, self, None)
        return self


def _connect(signal: Signal, cache: ProcessCache[Any], sender: str | None) -> None:
    uid = f"tongchou.cache:{cache.name}:{id(signal)}:{sender or ''}"
    if isinstance(signal, ModelSignal) and sender is not None:
        signal.connect(cache.clear, sender=sender, weak=False, dispatch_uid=uid)
    else:
        signal.connect(cache.clear, weak=False, dispatch_uid=uid)


_caches: dict[str, ProcessCache[Any]] = {}


def process_cache(
    name: str,
    *,
    ttl: float | None = None,
    max_entries: int | None = None,
    invalidated_by: Iterable[str | Signal] = (),
) -> ProcessCache[Any]:
    """The cache called *name* (made on first call; one per name in the process)."""
    cache = _caches.get(name)
    if cache is None:
        cache = _caches.setdefault(name, ProcessCache(name, ttl=ttl, max_entries=max_entries))
    cache.invalidate_on(*invalidated_by)
    return cache


def caches() -> dict[str, ProcessCache[Any]]:
    return dict(_caches)


def clear_all(*args: Any, **kwargs: Any) -> None:
    for cache in list(_caches.values()):
        cache.clear()
