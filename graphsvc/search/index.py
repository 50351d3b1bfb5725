"""In-memory search indexes, one per process and graph, rebuilt when the graph's version changes.

Reading every person's name keys once (a few seconds at county scale) and scoring in memory with
rapidfuzz answers a fuzzy search in milliseconds; the engines' own indexes cannot rank typos.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds between two checks that the graph still has the version an index was built from.
CHECK_EVERY_S = 2.0


class CachedIndex(Generic[T]):
    """Holds one built index and rebuilds it when `version` changes; readers never wait on a
    rebuild once a first index exists (they keep using the previous one meanwhile).
    `check_every` gives the seconds between checks of the version (CHECK_EVERY_S)."""

    def __init__(self, version: Callable[[GraphStore], Any], build: Callable[[GraphStore], T],
                 check_every: Callable[[], float] | None = None, name: str = "Search index"):
        self._name = name
        self._version = version
        self._build = build
        self._every = check_every or (lambda: CHECK_EVERY_S)
        self._lock = threading.Lock()
        self._index: T | None = None
        self._built_from: Any = None
        self._checked_at = 0.0

    def get(self, store: GraphStore, *, recheck: bool = False) -> T:
        """The index; `recheck` checks the version now (waiting for a rebuild under way)."""
        every = -1.0 if recheck else self._every()
        now = time.monotonic()
        if self._index is not None and now - self._checked_at < every:
            return self._index
        if self._index is not None and not recheck and not self._lock.acquire(blocking=False):
            return self._index  # another thread is checking or rebuilding
        if self._index is None or recheck:
            self._lock.acquire()
        try:
            if self._index is not None and time.monotonic() - self._checked_at < every:
                return self._index
            version = self._version(store)
            if self._index is None or version != self._built_from:
                started = time.perf_counter()
                self._index = self._build(store)
                self._built_from = version
                # The index is a few million long-lived objects (a county's names and keys):
                # left to the collector, each full collection walked them all, pausing the
                # request that set it off for up to 0.66 s (Neo4j county, load 8). Frozen,
                # the collector skips them; they are still freed when a rebuild drops them.
                gc.freeze()
                log.info("%s built in %.2f s (version %s).", self._name,
                         time.perf_counter() - started, version)
            self._checked_at = time.monotonic()
            return self._index
        finally:
            self._lock.release()


_caches: dict[tuple[str, str, str, str], CachedIndex[Any]] = {}
_caches_lock = threading.Lock()


def cached(kind: str, store: GraphStore, version: Callable[[GraphStore], Any],
           build: Callable[[GraphStore], T], *, check_every: Callable[[], float] | None = None,
           recheck: bool = False, name: str = "Search index") -> T:
    """The current `kind` index for the store's graph, built on first use (CachedIndex)."""
    settings = getattr(store, "settings", None)
    key = (kind, getattr(settings, "graph_uri", store.engine), getattr(settings, "graph_name", ""),
           str(getattr(settings, "data_dir", "")))
    with _caches_lock:
        holder = _caches.get(key)
        if holder is None:
            holder = _caches[key] = CachedIndex(version, build, check_every, name)
    index: T = holder.get(store, recheck=recheck)
    return index


def forget_all() -> None:
    """Drop every built index (tests that rewrite a graph within the check interval)."""
    with _caches_lock:
        _caches.clear()
