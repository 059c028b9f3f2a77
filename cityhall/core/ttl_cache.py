"""A per-process cache whose entries expire after a few seconds.

For hot reads of rows that change rarely (a jurisdiction, the service list): one query every few
seconds instead of one per request. An edit in the admin shows within `seconds`.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_every_cache: weakref.WeakSet[TtlCache[object]] = weakref.WeakSet()


def clear_all_caches() -> None:
    """Forget every entry of every TtlCache in this process (after a catalogue edit, between tests)."""
    for cache in list(_every_cache):
        cache.clear()


class TtlCache(Generic[T]):
    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()
        _every_cache.add(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.seconds:
            return entry[1]
        value = load()
        with self._lock:
            self._entries[key] = (now, value)
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
