"""A bounded, thread-safe LRU of per-image work, keyed by image content hash."""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class ImageCache(Generic[V]):
    """Maps image hash -> value; computes a missing value once, even under concurrent requests.

    Args:
        maxsize: number of images kept; the least recently used is evicted first.
    """

    def __init__(self, maxsize: int = 16):
        self._entries: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: str, compute: Callable[[], V]) -> V:
        """Return the cached value for `key`, calling `compute()` only when it is missing."""
        with self._lock:
            if key in self._entries:
                self.hits += 1
                return self._entries[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:  # one computation per key; other keys proceed in parallel
            with self._lock:
                if key in self._entries:
                    self.hits += 1
                    return self._entries[key]
            value = compute()
            with self._lock:
                self.misses += 1
                self._entries[key] = value
                self._key_locks.pop(key, None)
            return value

    def get(self, key: str) -> V | None:
        """The cached value for `key`, or None; never computes."""
        with self._lock:
            return self._entries.get(key)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
