"""Application data (users, sessions, lock-outs, tokens, the audit log, stored clusterings, tasking
meetings, agendas, decisions and referrals) on SQLite or PostgreSQL.

One interface, two backends. Without `GRAPHSVC_APP_DB` each store is a SQLite file in the app
dir (`app.db`, `audit.db`: one host); with `GRAPHSVC_APP_DB=postgresql://…` every store is a
set of tables in that database, shared by any number of web processes and hosts.

Statements live in `sql/<store>/<name>.sql` files (one per file, named `:parameters`), with a
`<name>.<dialect>.sql` beside one where the two dialects differ; they are all read and checked
at import. The schema of each store is versioned (`graphsvc.appdata.migrate`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError

from graphsvc.appdata.sqlfiles import Queries
from graphsvc.errors import AppDbError
from graphsvc.settings import Settings


class AppDbLost(AppDbError):
    """The connection to the application database was lost in the middle of a transaction
    (which was rolled back whole)."""


# Transactions committed in this context (a web request): a request whose connection was lost
# is run again only when it has committed nothing, so a retry never repeats a write.
_commits: ContextVar[int] = ContextVar("appdata_commits", default=0)

log = logging.getLogger(__name__)

STORES = ("app", "audit")


class Lock(IntEnum):
    """PostgreSQL advisory lock keys, one per thing serialised across processes and hosts (two
    things sharing a key would wait for each other); on SQLite the write transaction is alone."""

    MIGRATE = 0x67737601  # a store's migrations
    SIGN_IN_ATTEMPTS = 0x67737602  # counting failed sign-ins
    AUDIT_CHAIN = 0x67737603  # extending an audit chain whose head row is missing
    CLUSTERS = 0x67737604  # rewriting the stored clustering
    MEETINGS = 0x67737605  # opening or closing a tasking meeting
QUERIES = Queries(Path(__file__).parent / "sql")

# PostgreSQL connections a process keeps open in its pool. Each web thread, and the audit
# writer, holds one at a time: with fewer kept, a busy process would open and close a
# connection for most requests (a backend's start costs PostgreSQL about a millisecond of
# CPU). `keep_connections` raises it for a server with more threads.
_pool = {"size": 10}

_engines: dict[tuple[int, str], Engine] = {}
_migrated: set[tuple[int, str, str]] = set()
_lock = threading.RLock()


def url(settings: Settings, store: str = "app", *, read_only: bool = False) -> str:
    """The SQLAlchemy URL of a store: the PostgreSQL database, or the store's SQLite file."""
    if settings.app_db:
        rest = settings.app_db.split("://", 1)[1]
        return f"postgresql+psycopg://{rest}"
    path = (settings.app_dir / f"{store}.db").absolute()
    if read_only:
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def postgres(settings: Settings) -> bool:
    return bool(settings.app_db)


def where(settings: Settings, store: str = "app") -> str:
    """Where a store lives, for messages (a PostgreSQL URL without its password)."""
    if settings.app_db:
        parts = make_url(url(settings))
        return f"PostgreSQL {parts.host}:{parts.port or 5432}/{parts.database}"
    return str(settings.app_dir / f"{store}.db")


def engine(settings: Settings, store: str = "app") -> Engine:
    """This process's engine for a store (made once; a forked child makes its own)."""
    target = url(settings, store)
    key = (os.getpid(), target)
    with _lock:
        eng = _engines.get(key)
        if eng is None:
            eng = _engines[key] = _make_engine(settings, store, target)
        return eng


def keep_connections(n: int) -> None:
    """Keep at least n PostgreSQL connections open per store in each process's pool (a web
    process: its threads and one for the audit writer); for engines made after the call."""
    _pool["size"] = max(_pool["size"], n)


def _make_engine(settings: Settings, store: str, target: str) -> Engine:
    if target.startswith("postgresql"):
        eng = create_engine(target, pool_size=_pool["size"], max_overflow=10,
                            connect_args={"connect_timeout": 10,
                                          "application_name": "graphsvc"})
        _ping_before_use(eng)
        return eng
    settings.app_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    private(settings.app_dir / f"{store}.db")
    eng = create_engine(target, connect_args={"timeout": 30, "check_same_thread": False,
                                              "isolation_level": None})
    _sqlite_transactions(eng)
    return eng


# In a web request (which is run once more if it loses its connection before committing), a
# pooled PostgreSQL connection is checked before use only if unused for longer than this.
PING_AFTER_IDLE_S = 5.0
# Whether a lost connection is retried in this context (`retry_once_if_lost`).
_lost_is_retried: ContextVar[bool] = ContextVar("appdata_lost_is_retried", default=False)


def _ping_before_use(eng: Engine) -> None:
    """Check a pooled connection before use (one round trip), so that one a database restart,
    failover or firewall has cut is replaced before anyone uses it; but in a web request only
    when it has been idle a while. A busy connection is not checked on each use there (that
    was a third of an API call's round trips): if its database went away meanwhile, the
    statement fails, the pool is emptied, and the request is run once more."""

    @event.listens_for(eng, "checkin")
    def _idle_from(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(eng, "checkout")
    def _ping(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None:  # just made
            return
        if _lost_is_retried.get() and time.monotonic() - idle_since < PING_AFTER_IDLE_S:
            return
        try:
            eng.dialect.do_ping(dbapi_conn)
        except eng.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection was cut: {exc}") from None


def private(path: Path) -> None:
    """Make the file (created empty if missing) readable and writable by its owner only; SQLite
    gives its -wal and -shm files the same permissions.

    An existing file is never opened here: closing any descriptor of a file drops every POSIX
    lock this process holds on it, so the locks of this process's open SQLite connections would
    go, and another process could then take the database over (delete the WAL under them).
    """
    if not path.exists():
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)


def _sqlite_transactions(eng: Engine) -> None:
    """SQLite with real transactions (DDL included, so a failed migration rolls back whole);
    a write transaction takes the database's write lock at once (BEGIN IMMEDIATE), so two
    writers never interleave and the audit chain extends one entry at a time."""

    @event.listens_for(eng, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(eng, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def transaction(settings: Settings, store: str = "app", *, write: bool = True
                ) -> Iterator[Connection]:
    """One transaction on a store, its schema up to date; commits at the end of the block
    (`write=False` on PostgreSQL: each statement on its own, nothing to commit).

    A connection lost on the way in is retried once; a database that cannot be reached is an
    AppDbError with one plain sentence (HTTP 503, exit code 9).
    """
    eng = engine(settings, store)
    ensure_migrated(settings, store)
    for attempt in (1, 2):
        try:
            conn = eng.connect()
            break
        except (OperationalError, DBAPIError) as exc:
            if attempt == 2:
                raise unavailable(settings, store, exc) from None
            eng.dispose()
    with conn:
        conn = conn.execution_options(write=write)
        if not write and conn.dialect.name == "postgresql":
            # A read is one round trip, not three (BEGIN, the statement, COMMIT): at READ
            # COMMITTED each statement sees its own snapshot whether in a transaction or not.
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            with conn.begin():
                yield conn
        except OperationalError as exc:
            if not exc.connection_invalidated and conn.dialect.name != "postgresql":
                raise unavailable(settings, store, exc) from None
            eng.dispose()
            log.warning("connection to %s lost: %s", where(settings, store), exc)
            raise AppDbLost(f"The connection to the application database "
                            f"({where(settings, store)}) was lost.") from None
    if write:
        _commits.set(_commits.get() + 1)


def count_commit() -> None:
    """Count a transaction committed for this context by another thread (a group commit)."""
    _commits.set(_commits.get() + 1)


def retry_once_if_lost(work: Callable[[], Any]) -> Any:
    """Run `work` (a web request); if it lost its database connection before committing
    anything, run it once more on a fresh connection. A second loss is raised (a plain 503)."""
    token, retried = _commits.set(0), _lost_is_retried.set(True)
    try:
        try:
            return work()
        except AppDbLost:
            if _commits.get():
                raise
            log.warning("retrying a request once after a lost database connection")
            return work()
    finally:
        _commits.reset(token)
        _lost_is_retried.reset(retried)


def unavailable(settings: Settings, store: str, exc: BaseException) -> AppDbError:
    log.info("application database %s: %s", where(settings, store), exc)
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    reason = detail[0] if detail else type(exc).__name__
    if "password authentication failed" in reason:
        reason = "the password was refused"
    elif "Connection refused" in reason or "could not connect" in reason:
        reason = "nothing answers there"
    return AppDbError(f"The application database ({where(settings, store)}) cannot be used: "
                      f"{reason}.")


def ensure_migrated(settings: Settings, store: str) -> None:
    """Bring a store's schema up to date once per process (first use)."""
    key = (os.getpid(), url(settings, store), store)
    if key in _migrated:
        return
    from graphsvc.appdata import migrate
    with _lock:
        if key in _migrated:
            return
        migrate.upgrade(settings, store)
        _migrated.add(key)


def run(conn: Connection, name: str, /, **params: Any) -> CursorResult[*tuple[Any, ...]]:
    """Execute the named statement (`store/name`) in this connection's dialect."""
    return conn.execute(QUERIES.get(name, conn.dialect.name), params)


def stream(conn: Connection, name: str, *, batch: int = 20_000) -> Iterator[tuple[Any, ...]]:
    """The rows of the named query as plain tuples, fetched a batch at a time (a server-side
    cursor on PostgreSQL): for reading a million rows without a million Row objects."""
    sql = QUERIES.get(name, conn.dialect.name).text
    raw = conn.connection.dbapi_connection
    if raw is None:
        raise AppDbLost("The connection to the application database was closed before it was read.")
    postgres_ = conn.dialect.name == "postgresql"
    cursor = raw.cursor(name="graphsvc_stream") if postgres_ else raw.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def run_many(conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    """Execute the named statement once per row, in one round of the driver's executemany
    (nothing to do for no rows)."""
    if rows:
        conn.execute(QUERIES.get(name, conn.dialect.name), rows)


def lock_chain(conn: Connection, key: int) -> None:
    """Serialise writers of one chain across processes and hosts for the rest of this
    transaction: a PostgreSQL advisory lock; on SQLite the write transaction already holds
    the database's only write lock."""
    if conn.dialect.name == "postgresql":
        run(conn, "common/advisory_xact_lock", key=key)


def dispose_all() -> None:
    """Close every pooled connection of this process (tests, and before a fork)."""
    with _lock:
        for key, eng in list(_engines.items()):
            eng.dispose()
            del _engines[key]
        _migrated.clear()


__all__ = ["QUERIES", "STORES", "engine", "ensure_migrated", "lock_chain", "run",
           "transaction", "unavailable", "url", "where"]
