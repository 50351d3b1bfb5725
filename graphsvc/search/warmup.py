"""Build the search indexes in the background when the server starts, so no user waits for it.

The first build reads every person and address (~15 s at county scale). A search that arrives
during the warm-up waits for that same build (CachedIndex holds its lock while building), so the
index is never built twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from graphsvc.search import addresses, people
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


def warm_up(store: GraphStore) -> None:
    """Build the people and address indexes of the store's graph now (no-op if already built)."""
    people.people_index(store)
    addresses.address_index(store)


def start_warm_up(open_store: Callable[[], GraphStore], *,
                  announce: Callable[[str], None] = log.info) -> threading.Thread:
    """Warm up in a daemon thread; a failure is logged, never raised (the first search then
    builds the index itself)."""

    def work() -> None:
        started = time.perf_counter()
        try:
            warm_up(open_store())
        except Exception:  # a thread boundary: the server must keep serving
            log.exception("Search index warm-up failed; the first search will build the index.")
            return
        announce(f"Search indexes ready ({time.perf_counter() - started:.1f} s).")

    thread = threading.Thread(target=work, name="search-warm-up", daemon=True)
    thread.start()
    return thread
