"""The production backend: Neo4j 5 through the official driver (one driver per process)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphsvc import queries
from graphsvc.errors import ConstraintViolation, EngineError, StoreError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, Row, Transaction
from graphsvc.store.values import Point, to_params

log = logging.getLogger(__name__)


def _value(value: Any) -> Any:
    """A driver value as a plain Python value."""
    from neo4j import graph, spatial, time

    if isinstance(value, (graph.Node, graph.Relationship)):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, graph.Path):
        return [_value(n) for n in value.nodes]
    if isinstance(value, (time.Date, time.DateTime, time.Time)):
        native = value.to_native()
        return native.replace(tzinfo=None) if hasattr(native, "tzinfo") else native
    if isinstance(value, time.Duration):
        return {"months": value.months, "days": value.days, "seconds": value.seconds}
    if isinstance(value, spatial.WGS84Point):
        return Point(value.latitude, value.longitude)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _translate(exc: Exception) -> Exception:
    from neo4j import exceptions as nx

    if isinstance(exc, nx.ConstraintError):
        return ConstraintViolation(f"The write would duplicate a record that must be unique: "
                                   f"{exc.message}")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.AuthError)):
        return EngineError(f"The Neo4j server cannot be used: {exc}.")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(f"Neo4j refused a statement: {exc.message}")
    return exc


class Neo4jTransaction(Transaction):
    def __init__(self, store: Neo4jStore, tx):
        self.store, self.tx = store, tx

    def write(self, name: str, **params: Any) -> None:
        self.tx.run(self.store.statement(name), to_params(params)).consume()


class Neo4jStore(GraphStore):
    engine = "neo4j"

    def __init__(self, settings: Settings):
        from neo4j import GraphDatabase
        from neo4j import exceptions as nx

        self.settings = settings
        self.database = settings.neo4j_database or None
        try:
            self.driver = GraphDatabase.driver(
                settings.graph_uri, auth=(settings.neo4j_user, settings.neo4j_password))
            self.driver.verify_connectivity()
        except (nx.Neo4jError, nx.DriverError, ValueError) as exc:
            raise EngineError(f"Cannot connect to Neo4j at {settings.graph_uri}: {exc}") from None

    def _run(self, text: str, params: dict[str, Any], *, write: bool) -> tuple[list[Row], dict]:
        from neo4j import RoutingControl
        from neo4j import exceptions as nx

        try:
            records, summary, keys = self.driver.execute_query(
                text, to_params(params), database_=self.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ)
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise _translate(exc) from None
        rows = [{k: _value(r[k]) for k in keys} for r in records]
        c = summary.counters
        counters = {"nodes_created": c.nodes_created, "nodes_deleted": c.nodes_deleted,
                    "relationships_created": c.relationships_created,
                    "relationships_deleted": c.relationships_deleted,
                    "properties_set": c.properties_set, "labels_added": c.labels_added}
        return rows, counters

    @contextmanager
    def transaction(self) -> Iterator[Neo4jTransaction]:
        from neo4j import exceptions as nx

        try:
            with self.driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:
                    yield Neo4jTransaction(self, tx)
                    tx.commit()
        except (nx.Neo4jError, nx.DriverError) as exc:
            raise _translate(exc) from None

    def apply_schema(self) -> list[str]:
        done = []
        for statement in queries.load_script("schema/neo4j"):
            self._run(statement, {}, write=True)
            done.append(statement)
        return done

    def describe(self) -> dict[str, str]:
        return {"engine": "Neo4j", "uri": self.settings.graph_uri,
                "database": self.database or "(server default)"}

    def memory_bytes(self) -> int:
        return 0

    def close(self) -> None:
        self.driver.close()
