"""The graph store: one interface, an embedded FalkorDB backend and a Neo4j backend."""

from __future__ import annotations

from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, Row, Transaction
from graphsvc.store.values import Point


def open_store(settings: Settings | None = None, *, start_engine: bool = True) -> GraphStore:
    """Connect to the engine the settings choose, starting the embedded one when needed."""
    settings = settings or Settings.from_env()
    if settings.embedded:
        from graphsvc.store.falkor import FalkorStore

        return FalkorStore(settings, start=start_engine)
    from graphsvc.store.neo4j import Neo4jStore

    return Neo4jStore(settings)


__all__ = ["GraphStore", "Point", "Row", "Transaction", "open_store"]
