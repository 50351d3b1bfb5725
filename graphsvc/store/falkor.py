"""The embedded backend: FalkorDB through its own client, over the engine's Unix socket."""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as FPath
from falkordb.query_result import parse_scalar

from graphsvc import queries
from graphsvc.errors import ConstraintViolation, EngineError, StoreError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore, Row, Transaction, note_write
from graphsvc.store.engine import AOF_REWRITE_PERCENTAGE, EmbeddedEngine
from graphsvc.store.translate import to_falkordb, unique_constraint
from graphsvc.store.values import Point, to_param, to_params

log = logging.getLogger(__name__)

T = TypeVar("T")
# The engine has gone away: its socket refuses, or closed mid-answer, or never answers.
_LOST = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

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


def _decoded(cell: list[Any], graph: Any) -> Any:
    """A value of the engine's compact reply (`[type, value]`) as a plain Python value, in one
    pass: what `_value(parse_scalar(cell))` gives, several times faster for the strings,
    numbers, lists and maps rules return by the thousand (a rule's 2,400 rows of nested maps
    took longer to decode than to find). Nodes, edges, paths and dates go the client's way."""
    kind, value = cell
    if kind == 2:  # string
        return value.decode() if value.__class__ is bytes else value
    if kind == 3:  # integer
        return int(value)
    if kind == 6:  # array
        return [_decoded(v, graph) for v in value]
    if kind == 10:  # map: key, value, key, value...
        pairs = iter(value)
        out = {k.decode() if k.__class__ is bytes else k: _decoded(v, graph)
               for k, v in zip(pairs, pairs, strict=True)}
        if len(out) == 2 and "latitude" in out and "longitude" in out:
            return Point(out["latitude"], out["longitude"])
        return out
    if kind == 1:  # null
        return None
    if kind == 5:  # double
        return float(value)
    if kind == 4:  # boolean
        return value in ("true", b"true")
    if kind == 11:  # point
        return Point(float(value[0]), float(value[1]))
    return _value(parse_scalar(cell, graph))


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_quote = json.encoder.encode_basestring  # JSON's string escapes, in C


class _NotPlain(ValueError):
    """A value the fast route does not write (a map, a date, a control character...)."""


@cache
def _map_key(key: str) -> str:
    """A map key as a Cypher map literal needs it, with its colon."""
    if key.__class__ is not str or not key or "`" in key:
        raise _NotPlain(key)
    return (key if _IDENTIFIER.fullmatch(key) else f"`{key}`") + ":"


def _literal(value: Any) -> str:
    kind = value.__class__
    if kind is str:
        return _quote(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float and math.isfinite(value):
        return repr(value)
    if kind is list:
        return "[" + ",".join([_literal(v) for v in value]) + "]"
    if value is None:
        return "null"
    raise _NotPlain(value)


def cypher_map(row: dict[str, Any]) -> str:
    """A row as a Cypher map literal for FalkorDB's parameter header.

    Strings are written with JSON's escapes (in C), which FalkorDB reads, except `\\uXXXX` (and
    `\\b`, `\\f`), which JSON uses only for control characters: a row holding one (or a
    literal backslash-u), or any value that is not a plain str, int, float, bool, None or list
    of those, is written by the client's own routine instead.
    """
    try:
        text = "{" + ",".join([_map_key(k) + _literal(v) for k, v in row.items()]) + "}"
    except _NotPlain:
        text = ""
    if not text or "\\u" in text or "\\b" in text or "\\f" in text:
        return str(stringify_param_value(to_param(row)))
    return text


_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
# Between rows of a batch: JSON writes this control character as \\u001e, so no value can
# produce it (a value with a control character takes the row-by-row route).
_GAP = "\x1e"
_BETWEEN = ',"\\u001e",'


def cypher_maps(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as Cypher map literals (`cypher_map`), written in one pass for speed.

    The batch goes through JSON's C encoder as one list with a marker between rows; then each
    key is unquoted (inside a JSON string every quote is escaped, so `"key":` is found only
    where a key is) and the text is cut at the markers. Anything unexpected (a control
    character, a map inside a row, a key that is not plain) sends the batch row by row.
    """
    if len(rows) < 2:
        return [cypher_map(row) for row in rows]
    mixed: list[Any] = [_GAP] * (2 * len(rows) - 1)
    mixed[::2] = rows
    try:
        text = _json(mixed)
        keys = [(_json(k) + ":", _map_key(k)) for k in set().union(*rows)]
    except (TypeError, ValueError):
        return [cypher_map(row) for row in rows]
    if text.count("\\u") != len(rows) - 1 or "\\b" in text or "\\f" in text:
        return [cypher_map(row) for row in rows]
    for quoted, bare in keys:
        text = text.replace(quoted, bare)
    parts = text[1:-1].split(_BETWEEN)
    if '{"' in text or len(parts) != len(rows):
        return [cypher_map(row) for row in rows]
    return parts


def _plain_text(value: Any) -> str:
    """A parameter value of plain maps, lists, text, numbers, booleans and nulls as Cypher
    text, with JSON's string escapes as `cypher_map` writes them; _NotPlain for anything else."""
    kind = value.__class__
    if kind is dict:
        return "{" + ",".join([_map_key(k) + _plain_text(v) for k, v in value.items()]) + "}"
    if kind is list:
        return "[" + ",".join([_plain_text(v) for v in value]) + "]"
    return _literal(value)


def _param_text(value: Any) -> str:
    """A parameter value as the CYPHER header writes it: by the fast route of `cypher_map`
    when it is plain (a read's parameters were a tenth of an address check's CPU by the
    client's routine), else by the client's routine after `to_param`."""
    try:
        text = _plain_text(value)
    except _NotPlain:
        return str(stringify_param_value(to_param(value)))
    if "\\u" in text or "\\b" in text or "\\f" in text:
        return str(stringify_param_value(to_param(value)))
    return text


def params_header(params: dict[str, Any] | None) -> str:
    """The CYPHER header of a statement's parameters ("" for None, as the client's)."""
    if params is None:
        return ""
    return "CYPHER " + "".join([f"`{k}`={_param_text(v)} " for k, v in params.items()])


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
        self.pending: list[tuple[str, dict[str, Any]]] = []

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

    @contextmanager
    def bulk_load(self, *, large: bool = False) -> Iterator[None]:
        """Defers rewrites of the engine's append-only file until the load ends.

        A rewrite forks the engine and re-encodes the whole graph; mid-import, on two cores, a
        county import set off four of them and ran a third slower. Every write is still fsynced
        before it is acknowledged; once the setting is back, the engine compacts the file on
        the next write if it has grown enough.
        """
        setting = "auto-aof-rewrite-percentage"
        self._again(lambda: self.db.connection.config_set(setting, 0))
        try:
            yield
        finally:
            try:
                self.db.connection.config_set(setting, AOF_REWRITE_PERCENTAGE)
            except redis.exceptions.RedisError:
                pass  # the engine has gone: it starts again with the setting on its command line

    encode_rows = staticmethod(cypher_maps)

    def write_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> None:
        """As the base class; the rows are already Cypher text, joined into the header."""
        self._run(_header(rows, params) + self.statement(name), {}, write=True)

    def read_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> list[Row]:
        return self._run(_header(rows, params) + self.statement(name), {}, write=False)[0]

    def _again(self, call: Callable[[], T]) -> T:
        """Make a call to the engine; if the engine has gone (crashed or was killed), start
        it again and retry once. Every write is fsynced before the engine acknowledges it, and
        the writes that reach here are MERGEs or batches that land whole, so a retry repeats
        nothing that half-happened. A second loss is reported (after restarting the engine
        again, so the statement that crashed it cannot take the service down with it)."""
        try:
            return call()
        except _LOST as exc:
            log.warning("graph engine connection lost (%s); restarting and retrying once", exc)
            self._restart()
        try:
            return call()
        except _LOST as exc:
            log.error("graph engine lost again on retry (%s)", exc)
            try:
                self._restart()
            except EngineError as refused:  # a crash loop: left stopped, and the caller told
                raise refused from None
            raise EngineError("The graph engine stopped while answering this request, twice. "
                              "It has been restarted; the request was not completed.") from None

    def _restart(self) -> None:
        self.process.restart_after_crash()
        # Idle pooled sockets lead to the dead engine: drop them (a thread's socket in use is
        # its own to lose and retry).
        self.db.connection.connection_pool.disconnect(inuse_connections=False)

    def _run(self, text: str, params: dict[str, Any], *, write: bool
             ) -> tuple[list[Row], dict[str, Any]]:
        try:
            if not write:
                return self._read_compact(text, params or None), {}
            args = to_params(params) if params else None  # None: no `CYPHER` header at all
            result = self._again(lambda: self.graph.query(text, args))
        except redis.exceptions.ResponseError as exc:
            if not write and "empty key" in str(exc):
                return [], {}  # the graph has never been written to: nothing to read
            raise _error(exc, text) from None
        note_write()
        columns = [c[1] if isinstance(c, (list, tuple)) else c for c in result.header]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in columns]
        rows = [dict(zip(columns, (_value(v) for v in row), strict=True))
                for row in result.result_set]
        counters = {k: int(getattr(result, k, 0) or 0) for k in _COUNTERS}
        return rows, counters

    def _read_compact(self, text: str, params: dict[str, Any] | None) -> list[Row]:
        """A read statement's rows, decoded from the compact reply in one pass (`_decoded`)."""
        command = params_header(params) + text
        reply = self._again(lambda: self.graph.execute_command(
            "GRAPH.RO_QUERY", self.graph_name, command, "--compact"))
        if isinstance(reply[-1], redis.exceptions.ResponseError):  # failed while running
            raise reply[-1]
        if len(reply) < 3:  # statistics alone: the statement returns nothing
            return []
        columns = [c[1] if isinstance(c, (list, tuple)) else c for c in reply[0]]
        columns = [c.decode() if isinstance(c, bytes) else str(c) for c in columns]
        graph = self.graph
        return [dict(zip(columns, [_decoded(v, graph) for v in row], strict=True))
                for row in reply[1]]

    @contextmanager
    def transaction(self) -> Iterator[FalkorTransaction]:
        tx = FalkorTransaction(self)
        yield tx
        if not tx.pending:
            return

        def send() -> list[Any]:
            pipe = self.db.connection.pipeline(transaction=True)
            for text, params in tx.pending:
                pipe.execute_command("GRAPH.QUERY", self.graph_name,
                                     self.graph._build_params_header(params) + text,
                                     "--compact")
            answers: list[Any] = pipe.execute(raise_on_error=False)
            return answers

        results = self._again(send)
        note_write()
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

