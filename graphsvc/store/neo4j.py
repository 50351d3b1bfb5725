"""The production backend: Neo4j 5 through the official driver (one driver per store).

Writes go through `execute_query` with write routing, as managed transactions, which the driver
retries on transient errors (deadlocks, a leader switch). A read is one statement in an
auto-commit transaction of a read session: one round trip (RUN and PULL), where a managed
transaction takes two (BEGIN, RUN and PULL, then COMMIT) and the server's work for each; a read
that fails with an error the driver would retry runs again through `execute_query`, which
retries it as before. With a `neo4j://` URI the driver routes reads to a cluster's secondaries
and writes to its leader; every write's bookmark goes to the driver's bookmark manager, which
reads use too, so this process's next read waits until the member serving it has that write
(docs/deployment.md).
Every driver error is translated here into the project's own exceptions, in a plain sentence
that names the server's URI.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, Literal

from neo4j import (
    READ_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Record,
    ResultSummary,
    RoutingControl,
    graph,
    spatial,
    time,
)
from neo4j import exceptions as nx

from graphsvc import queries
from graphsvc.errors import (
    ConstraintViolation,
    EngineError,
    GraphsvcError,
    QueryFileError,
    StoreError,
)
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, Row, Transaction, note_write
from graphsvc.store.translate import planned_only, to_neo4j
from graphsvc.store.values import Point, to_params

log = logging.getLogger(__name__)

SUPPORTED_MAJOR = 5
# How long the end of a bulk load waits for Neo4j to build its indexes (a county: seconds).
INDEX_BUILD_SECONDS = 900
# Notifications the driver would log for every statement that names a property or label the
# graph does not hold yet (an empty graph, a rule with nothing to find): not a fault. Deprecations
# stay on, and the Cypher linter in CI fails on them before they reach a server.
_QUIET: list[Literal["UNRECOGNIZED", "HINT", "GENERIC", "PERFORMANCE"]] = [
    "UNRECOGNIZED", "HINT", "GENERIC", "PERFORMANCE"]
_AGENT = re.compile(r"Neo4j/(\d+)\.(\d+)")


# Values the driver hands over as they are: most of a read's values, tested by exact type first
# (an isinstance chain with the driver's abstract types cost a cluster read 1 s of client CPU).
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _value(value: Any) -> Any:
    """A driver value as a plain Python value."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_value(v) for v in value]
    if kind is dict:
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, (graph.Node, graph.Relationship)):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, graph.Path):
        return [_value(n) for n in value.nodes]
    if isinstance(value, (time.Date, time.DateTime, time.Time)):
        native = value.to_native()
        return (native.replace(tzinfo=None) if isinstance(native, (dt.datetime, dt.time))
                else native)
    if isinstance(value, time.Duration):
        return {"months": value.months, "days": value.days, "seconds": value.seconds}
    if isinstance(value, spatial.WGS84Point):
        return Point(value.latitude, value.longitude)
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


@cache
def _for_neo4j(text: str, options: tuple[str, ...], path: str) -> str:
    try:
        return to_neo4j(text, options)
    except ValueError as exc:
        raise QueryFileError(f"Cypher file {path}: {exc}.") from None


def _message(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    return text.strip().rstrip(".")


_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^)\]]+)")


def _reason(exc: Exception) -> str:
    """The short cause inside a connection error ("Connection refused"), else its first line."""
    text = _message(exc)
    found = _ERRNO_REASON.findall(text)
    return found[-1].strip().lower() if found else text.splitlines()[0]


def translate(exc: Exception, uri: str) -> Exception:
    """A driver error as the project's exception, in one sentence naming the server."""
    if isinstance(exc, nx.ConstraintError):
        return ConstraintViolation(
            f"The write would duplicate a record that must be unique: {_message(exc)}.")
    if isinstance(exc, nx.AuthError):
        return EngineError(f"Neo4j at {uri} refused the user name or password "
                           f"(NEO4J_USER, NEO4J_PASSWORD).")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired)):
        return EngineError(f"Neo4j at {uri} cannot be reached ({_reason(exc)}). "
                           f"Is the server running?")
    if isinstance(exc, nx.TransientError):
        return EngineError(f"Neo4j at {uri} could not complete the work after retrying: "
                           f"{_message(exc)}.")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(f"Neo4j at {uri} refused a statement: {_message(exc)}.")
    if isinstance(exc, nx.ConfigurationError):
        return EngineError(f"Neo4j at {uri} cannot be used as configured: {_message(exc)}.")
    if isinstance(exc, nx.DriverError):
        return EngineError(f"The connection to Neo4j at {uri} failed: {_message(exc)}.")
    if isinstance(exc, (TypeError, ValueError)):
        return StoreError(f"A value cannot be sent to Neo4j at {uri}: {_message(exc)}.")
    return exc


_TRANSLATED = (nx.Neo4jError, nx.DriverError, TypeError, ValueError)


def supported_version(agent: str | None, uri: str) -> str:
    """The server's "major.minor" from its agent string ("Neo4j/5.26.30"), if graphsvc runs on
    it; else EngineError naming the version found."""
    match = _AGENT.search(agent or "")
    if not match or int(match.group(1)) != SUPPORTED_MAJOR:
        raise EngineError(f"The server at {uri} runs {agent or 'an unknown version'}, and "
                          f"graphsvc needs Neo4j {SUPPORTED_MAJOR}.")
    return f"{match.group(1)}.{match.group(2)}"


class Neo4jTransaction(Transaction):
    """Buffers named writes; they run in one managed write transaction when the block ends."""

    def __init__(self, store: Neo4jStore):
        self.store = store
        self.pending: list[tuple[str, dict[str, Any]]] = []

    def write(self, name: str, **params: Any) -> None:
        self.pending.append((self.store.statement(name), to_params(params)))


class Neo4jStore(GraphStore):
    engine = "neo4j"
    writes_side_by_side = True

    def __init__(self, settings: Settings):
        self.settings = settings
        self.uri = settings.graph_uri
        self.database = settings.neo4j_database or None
        self.driver: Driver | None = None
        try:
            self.driver = GraphDatabase.driver(
                self.uri, auth=(settings.neo4j_user, settings.neo4j_password),
                notifications_disabled_classifications=_QUIET)
            self.driver.verify_connectivity()
            agent = self.driver.get_server_info().agent
        except _TRANSLATED as exc:
            self.close()
            if isinstance(exc, (nx.ConfigurationError, ValueError)):
                raise EngineError(
                    f"The graph URI {self.uri!r} is not one graphsvc can use: {_message(exc)}. "
                    f"Use bolt://HOST:7687 or neo4j://HOST:7687.") from None
            raise translate(exc, self.uri) from None
        try:
            self.server_version = supported_version(agent, self.uri)
        except EngineError:
            self.close()
            raise

    def statement(self, name: str) -> str:
        """The named statement with the query options its header asks of Neo4j."""
        query = queries.get(name)
        return _for_neo4j(query.text, tuple(query.meta.get("neo4j", ())), str(query.path))

    def plan(self, name: str, fresh: str = "", **params: Any) -> None:
        """Have the server plan the named statement and run nothing (`fresh`: planned anew,
        not taken from its plan cache; graphsvc.store.translate.planned_only)."""
        self._run(planned_only(self.statement(name), fresh), params, write=False)

    def write_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> None:
        """As the base class, without walking the rows again: the import's rows are already
        plain values (str, int, float, bool, None and lists of those)."""
        self._run(self.statement(name), {**to_params(params), "rows": rows}, write=True,
                  converted=True)

    def _run(self, text: str, params: dict[str, Any], *, write: bool,
             converted: bool = False) -> tuple[list[Row], dict[str, Any]]:
        params = params if converted else to_params(params)
        try:
            records, summary, keys = (self._managed(text, params, write=True) if write
                                      else self._auto_commit_read(text, params))
        except _TRANSLATED as exc:
            raise translate(exc, self.uri) from None
        if write:
            note_write()
        rows = [dict(zip(keys, map(_value, r), strict=True)) for r in records]
        c = summary.counters
        counters = {"nodes_created": c.nodes_created, "nodes_deleted": c.nodes_deleted,
                    "relationships_created": c.relationships_created,
                    "relationships_deleted": c.relationships_deleted,
                    "properties_set": c.properties_set, "labels_added": c.labels_added}
        return rows, counters

    def _managed(self, text: str, params: dict[str, Any], *, write: bool
                 ) -> tuple[list[Record], ResultSummary, list[str]]:
        """One statement in a managed transaction (retried by the driver on transient errors)."""
        return self._driver().execute_query(
            text, params, database_=self.database,
            routing_=RoutingControl.WRITE if write else RoutingControl.READ)

    def _auto_commit_read(self, text: str, params: dict[str, Any]
                          ) -> tuple[list[Record], ResultSummary, list[str]]:
        """One read statement in an auto-commit transaction (one round trip); on an error the
        driver deems retryable, the same read in a managed transaction, which it retries."""
        driver = self._driver()
        try:
            with driver.session(database=self.database, default_access_mode=READ_ACCESS,
                                bookmark_manager=driver.execute_query_bookmark_manager
                                ) as session:
                result = session.run(text, params)
                records = list(result)
                return records, result.consume(), list(result.keys())
        except (nx.Neo4jError, nx.DriverError) as exc:
            if not exc.is_retryable():
                raise
        return self._managed(text, params, write=False)

    @contextmanager
    def transaction(self) -> Iterator[Neo4jTransaction]:
        tx = Neo4jTransaction(self)
        yield tx
        if not tx.pending:
            return

        def work(managed: ManagedTransaction) -> None:
            for text, params in tx.pending:
                managed.run(text, params).consume()

        try:
            # The bookmarks of this write join those of execute_query, so the next read (on
            # any member of a cluster) sees it.
            driver = self._driver()
            with driver.session(
                    database=self.database,
                    bookmark_manager=driver.execute_query_bookmark_manager) as session:
                session.execute_write(work)
        except _TRANSLATED as exc:
            raise translate(exc, self.uri) from None
        note_write()

    def bookmarks(self) -> list[str]:
        return sorted(self._driver().execute_query_bookmark_manager.get_bookmarks())

    def wait_for(self, bookmarks: Collection[str]) -> None:
        """Join these bookmarks to the driver's: a write's newer bookmark supersedes the older
        ones, so a read sent with them all waits for each write they stand for."""
        if bookmarks:
            self._driver().execute_query_bookmark_manager.update_bookmarks((), list(bookmarks))

    def apply_schema(self) -> list[str]:
        return self._script("schema/neo4j")

    def _script(self, name: str) -> list[str]:
        done = []
        for statement in queries.load_script(name):
            self._run(statement, {}, write=True)
            done.append(statement)
        return done

    @contextmanager
    def bulk_load(self, *, large: bool = False) -> Iterator[None]:
        """A large load into an empty graph runs without the lookup indexes, which are built in
        bulk when it ends (Neo4j spends about a third of a node write keeping them up to date
        row by row); the key constraints stay, since the import finds records through them.

        The schema is applied again however the load ends. If the server has gone, that fails
        quietly here (the load's own error says why), and the next import or `init-db` applies
        it: an index missing meanwhile slows reads, it never changes an answer.
        """
        if large and (self.read_one("admin/graph_empty") or {}).get("empty"):
            self._script("schema/neo4j_lookup_indexes_drop")
        completed = False
        try:
            yield
            completed = True
        finally:
            try:
                self.apply_schema()
                self.write("admin/await_indexes", seconds=INDEX_BUILD_SECONDS)
            except GraphsvcError as exc:
                if completed:
                    raise
                log.warning("the schema could not be applied after a failed load: %s", exc)

    def describe(self) -> dict[str, str]:
        return {"engine": f"Neo4j {self.server_version}", "uri": self.uri,
                "database": self.database or "(server default)"}

    def memory_bytes(self) -> int:
        return 0

    def _driver(self) -> Driver:
        if self.driver is None:
            raise EngineError(f"The connection to the graph at {self.uri} is closed.")
        return self.driver

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None
