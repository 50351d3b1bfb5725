"""The app's settings and its one graph store per process, opened on first use."""

from __future__ import annotations

import logging
import threading

from flask import current_app, g, has_request_context

from graphsvc.settings import Settings
from graphsvc.store import GraphStore, open_store

log = logging.getLogger(__name__)

_store_lock = threading.Lock()


def get_settings() -> Settings:
    return current_app.extensions["graphsvc.settings"]


def get_store() -> GraphStore:
    """The process's graph store, opened lazily (a page that needs no graph never starts one)."""
    holder = current_app.extensions["graphsvc.store"]
    if holder.get("store") is None:
        with _store_lock:
            if holder.get("store") is None:
                holder["store"] = open_store(get_settings())
                log.info("graph store opened: %s", holder["store"].describe())
    store: GraphStore = holder["store"]
    if has_request_context() and g.get("bookmarks") and not g.get("bookmarks_joined"):
        store.wait_for(g.bookmarks)  # the signed-in user's last write, made on any process
        g.bookmarks_joined = True
    return store
