"""The application's SQLite databases, kept apart from the graph: `app.db` and `audit.db`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphsvc.settings import Settings


def connect(settings: Settings, name: str = "app") -> sqlite3.Connection:
    """Open `<app_dir>/<name>.db` in WAL mode with foreign keys on; rows behave like dicts.

    `app_dir` is the data dir unless GRAPHSVC_APP_DIR puts the app databases elsewhere.
    """
    settings.app_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = settings.app_dir / f"{name}.db"
    private(path)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


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


def ensure_schema(conn: sqlite3.Connection, ddl: str) -> None:
    """Create tables and indexes (statements written with IF NOT EXISTS)."""
    conn.executescript(ddl)


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction taking the write lock at once, so no other writer interleaves.

    Commits when the block ends; rolls back and re-raises if it fails (or the commit does).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
