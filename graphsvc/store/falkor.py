"""The embedded backend: FalkorDB through its own client, over the engine's Unix socket."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as FPath

from graphsvc import queries
from graphsvc.errors import ConstraintViolation, EngineError, StoreError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, Row, Transaction
from graphsvc.store.engine import EmbeddedEngine
from graphsvc.store.translate import to_falkordb, unique_constraint
from graphsvc.store.values import Point, to_param, to_params

log = logging.getLogger(__name__)

_COUNTERS = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set", "labels_added")


@cache
def _translate(text: str) -> str:
    return to_falkordb(text)


def _value(value: Any) -> Any:
    """A FalkorDB client value as a plain Python value."""
    if isinstance(value, Node):
        return {k: _value(v) for k, v in value.properties.items()}
    if isinstance(value, Edge):
        return {k: _value(v) for k, v in value.properties.items()}
    if isinstance(value, FPath):
        return [_value(n) for n in value.nodes()]
    if isinstance(value, datetime):
        # FalkorDB keeps local times and labels them UTC; drop the label, keep the wall clock.
        return value.replace(tzinfo=None)
    if isinstance(value, dict):
        if set(value) == {"latitude", "longitude"}:
            return Point(value["latitude"], value["longitude"])
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@cache
def _map_key(key: str) -> tuple[str, str]:
    """A map key as JSON writes it, and as a Cypher map literal needs it."""
    bare = key if _IDENTIFIER.fullmatch(key) else f"`{key}`"
    return json.dumps(key, ensure_ascii=False) + ":", bare + ":"


def cypher_map(row: dict[str, Any]) -> str:
    """A row as a Cypher map literal for FalkorDB's parameter header.

    JSON is written in C and FalkorDB reads its string escapes, except `\\uXXXX` (and `\\b`,
    `\\f`), which JSON uses only for control characters: such a row is written by the client's
    own routine instead. Inside a JSON string every quote is escaped, so `"key":` is found only
    where a key is; each key is then unquoted once.
    """
    try:
        text = _json(row)
    except (TypeError, ValueError):
        text = ""
    if not text or "\\u" in text or "\\b" in text or "\\f" in text:
        return stringify_param_value(to_param(row))
    for key, value in row.items():
        if value.__class__ is dict or key.__class__ is not str or "`" in key:
            return stringify_param_value(to_param(row))
        quoted, bare = _map_key(key)
        text = text.replace(quoted, bare, 1)
    return text


def _header(rows: list[str], params: dict[str, Any]) -> str:
    parts = [f"{k}={stringify_param_value(v)}" for k, v in to_params(params).items()]
    return "CYPHER " + " ".join([*parts, "rows=[" + ",".join(rows) + "]"]) + " "


def _error(exc: Exception, text: str) -> StoreError:
    message = str(exc)
    first = text.strip().splitlines()[-1][:120] if text.strip() else ""
    if "unique constraint" in message.lower():
        return ConstraintViolation(f"The write would duplicate a record that must be unique: "
                                   f"{message}")
    return StoreError(f"The graph engine refused a statement ({message}) near: {first}")


class FalkorTransaction(Transaction):
    """Buffers writes and sends them in one MULTI/EXEC block when the `with` block ends.

    If the block raises, nothing is sent. FalkorDB rolls back a failing statement, but cannot
    roll back earlier statements of the same block: domain code keeps each logical change to
    one statement, so this matters only for contrived failures.
    """

    def __init__(self, store: FalkorStore):
        self.store = store
        self.pending: list[tuple[str, dict]] = []

    def write(self, name: str, **params: Any) -> None:
        self.pending.append((self.store.statement(name), to_params(params)))


class FalkorStore(GraphStore):
    engine = "falkordb"

    def __init__(self, settings: Settings, *, start: bool = True):
        self.settings = settings
        self.graph_name = settings.graph_name
        self.process = EmbeddedEngine(settings)
        if start:
            self.process.ensure_running()
        elif not self.process.is_running():
            raise EngineError("The embedded graph engine is not running "
                              "(start it with `graphsvc engine start`).")
        self.db = FalkorDB(unix_socket_path=str(self.process.socket_path))
        self.graph = self.db.select_graph(self.graph_name)

    def statement(self, name: str) -> str:
        return _translate(queries.get(name).text)

    encode_row = staticmethod(cypher_map)

    def write_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> None:
        """As the base class; the rows are already Cypher text, joined into the header."""
        self._run(_header(rows, params) + self.statement(name), {}, write=True)

    def read_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> list[Row]:
        return self._run(_header(rows, params) + self.statement(name), {}, write=False)[0]

    def _run(self, text: str, params: dict[str, Any], *, write: bool) -> tuple[list[Row], dict]:
        args = to_params(params) if params else None  # None: no `CYPHER` header at all
        try:
            if write:
                result = self.graph.query(text, args)
            else:
                result = self.graph.ro_query(text, args)
        except redis.exceptions.ResponseError as exc:
            if not write and "empty key" in str(exc):
                return [], {}  # the graph has never been written to: nothing to read
            raise _error(exc, text) from None
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise EngineError(f"The embedded graph engine cannot be reached: {exc}.") from None
        columns = [c[1] if isinstance(c, (list, tuple)) else c for c in result.header]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in columns]
        rows = [dict(zip(columns, (_value(v) for v in row), strict=True))
                for row in result.result_set]
        counters = {k: int(getattr(result, k, 0) or 0) for k in _COUNTERS}
        return rows, counters

    @contextmanager
    def transaction(self) -> Iterator[FalkorTransaction]:
        tx = FalkorTransaction(self)
        yield tx
        if not tx.pending:
            return
        pipe = self.db.connection.pipeline(transaction=True)
        for text, params in tx.pending:
            pipe.execute_command("GRAPH.QUERY", self.graph_name,
                                 self.graph._build_params_header(params) + text,
                                 "--compact")
        try:
            results = pipe.execute(raise_on_error=False)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise EngineError(f"The embedded graph engine cannot be reached: {exc}.") from None
        for (text, _), result in zip(tx.pending, results, strict=True):
            if isinstance(result, Exception):
                raise _error(result, text)

    def apply_schema(self) -> list[str]:
        done = []
        for statement in queries.load_script("schema/falkordb"):
            key = unique_constraint(statement)
            try:
                if key:
                    label, prop = key
                    self._ensure_index(label, prop)
                    self.db.connection.execute_command(
                        "GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE", "NODE", label,
                        "PROPERTIES", "1", prop)
                else:
                    self.graph.query(statement)
                done.append(statement)
            except redis.exceptions.ResponseError as exc:
                if "already" in str(exc).lower():
                    continue
                raise StoreError(f"Schema statement failed ({exc}): {statement}") from None
        return done

    def _ensure_index(self, label: str, prop: str) -> None:
        try:
            self.graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        except redis.exceptions.ResponseError as exc:
            if "already" not in str(exc).lower():
                raise

    def describe(self) -> dict[str, str]:
        return {"engine": "FalkorDB (embedded)", "graph": self.graph_name,
                "data": str(self.process.dir), "socket": str(self.process.socket_path)}

    def drop(self) -> None:
        """Delete this graph entirely (tests only)."""
        try:
            self.graph.delete()
        except redis.exceptions.ResponseError:
            pass  # the graph never held anything

    def memory_bytes(self) -> int:
        return self.process.memory_bytes()

    def close(self) -> None:
        try:
            self.db.connection.close()
        except redis.exceptions.RedisError:
            pass

