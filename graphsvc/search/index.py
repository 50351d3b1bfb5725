"""In-memory search indexes, one per process and graph, rebuilt when the graph's version changes.

Reading every person's name keys once (a few seconds at county scale) and scoring in memory with
rapidfuzz answers a fuzzy search in milliseconds; the engines' own indexes cannot rank typos.
"""

from __future__ import annotations

import gc
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from graphsvc.store.base import GraphStore, writes_made

log = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds between two checks that the graph still has the version an index was built from.
CHECK_EVERY_S = 2.0


class CachedIndex(Generic[T]):
    """Holds one built index (or any value read from the graph) and rebuilds it when `version`
    changes. How fresh it is when read:
    - checked less than `check_every()` seconds ago (CHECK_EVERY_S by default): as it is;
    - checked longer ago: as it is, while one background thread checks the version and
      rebuilds it if it changed, so no reader pays a version read or a rebuild (on Neo4j a
      county's version reads took 20-70 ms: paid inline, one request in twenty went over the
      address check's p95 target);
    - checked more than `wait_after()` seconds ago (never, by default): the reader waits for
      the check, which bounds how stale an answer can be;
    - with `follow_writes`, after a write this process made to the graph the next reader
      waits for a check, so a change made through this process is seen at once;
    - the first read, `recheck=True` and a `check_every()` of 0 always wait for a check.
    """

    def __init__(self, version: Callable[[GraphStore], Any], build: Callable[[GraphStore], T],
                 check_every: Callable[[], float] | None = None, name: str = "Search index",
                 wait_after: Callable[[], float] | None = None, follow_writes: bool = False):
        self._name = name
        self._version = version
        self._build = build
        self._every = check_every or (lambda: CHECK_EVERY_S)
        self._wait_after = wait_after
        self._follow_writes = follow_writes
        self._lock = threading.Lock()  # held by the one thread checking or rebuilding
        self._index: T | None = None
        self._built_from: Any = None
        self._checked_at = 0.0  # when the version in hand was read (monotonic seconds)
        self._writes_seen = -1  # writes_made() before that read

    def _fresh_for(self, seconds: float, writes: int) -> bool:
        return (self._index is not None and time.monotonic() - self._checked_at < seconds
                and (not self._follow_writes or self._writes_seen >= writes))

    def get(self, store: GraphStore, *, recheck: bool = False) -> T:
        """The index; `recheck` checks the version now (waiting for a rebuild under way)."""
        every, writes = self._every(), writes_made()
        if not recheck and self._fresh_for(every, writes):
            return self._index  # type: ignore[return-value]
        limit = self._wait_after() if self._wait_after else math.inf
        if not recheck and every > 0 and self._fresh_for(limit, writes):
            if self._lock.acquire(blocking=False):  # else another thread is on it
                threading.Thread(target=self._check_in_background, args=(store,),
                                 name=f"{self._name} check", daemon=True).start()
            return self._index  # type: ignore[return-value]
        with self._lock:  # waits for a check under way, then looks again
            if recheck or not self._fresh_for(min(every, limit), writes):
                self._check(store)
            return self._index  # type: ignore[return-value]

    def _check_in_background(self, store: GraphStore) -> None:
        try:
            self._check(store)
        except Exception:  # a later reader checks again; past wait_after, it waits and sees why
            log.warning("%s: background version check failed", self._name, exc_info=True)
        finally:
            self._lock.release()

    def _check(self, store: GraphStore) -> None:
        writes, now = writes_made(), time.monotonic()
        version = (finished_imports(store), self._version(store))
        if self._index is None or version != self._built_from:
            started = time.perf_counter()
            self._index = self._build(store)
            self._built_from = version
            # A search index is a few million long-lived objects (a county's names and keys):
            # left to the collector, each full collection walked them all, pausing the
            # request that set it off for up to 0.66 s (Neo4j county, load 8). Frozen, the
            # collector skips them; they are still freed when a rebuild drops them.
            gc.freeze()
            log.info("%s built in %.2f s (version %s).", self._name,
                     time.perf_counter() - started, version)
        self._checked_at, self._writes_seen = now, writes


def finished_imports(store: GraphStore) -> Any:
    """How many imports have finished on the graph: part of every cache's version. An import
    stamps each batch as it writes it, so a version read during an import can see the newest
    stamp and the counts it will still have when a later batch of the same second lands; the
    count of finished imports moves on when that import ends."""
    return (store.read_one("read/graph_imports") or {}).get("imports")


_caches: dict[tuple[str, str, str, str], CachedIndex[Any]] = {}
_caches_lock = threading.Lock()


def cached(kind: str, store: GraphStore, version: Callable[[GraphStore], Any],
           build: Callable[[GraphStore], T], *, check_every: Callable[[], float] | None = None,
           recheck: bool = False, name: str = "Search index",
           wait_after: Callable[[], float] | None = None, follow_writes: bool = False) -> T:
    """The current `kind` index for the store's graph, built on first use (CachedIndex says
    how fresh it is)."""
    settings = getattr(store, "settings", None)
    key = (kind, getattr(settings, "graph_uri", store.engine), getattr(settings, "graph_name", ""),
           str(getattr(settings, "data_dir", "")))
    with _caches_lock:
        holder = _caches.get(key)
        if holder is None:
            holder = _caches[key] = CachedIndex(version, build, check_every, name, wait_after,
                                                follow_writes)
    index: T = holder.get(store, recheck=recheck)
    return index


def forget_all() -> None:
    """Drop every built index (tests that rewrite a graph within the check interval)."""
    with _caches_lock:
        _caches.clear()
