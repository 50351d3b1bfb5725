"""appdb.immediate: one write transaction that commits whole or not at all; opening another
connection keeps the SQLite locks of the ones already open."""

import sqlite3
import subprocess
import sys

import pytest

from graphsvc import appdb
from graphsvc.settings import Settings


@pytest.fixture
def conn(tmp_path):
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    conn.execute("CREATE TABLE notes (text TEXT NOT NULL)")
    yield conn
    conn.close()


def test_immediate_commits_the_whole_block(conn):
    with appdb.immediate(conn):
        conn.execute("INSERT INTO notes VALUES ('one')")
        conn.execute("INSERT INTO notes VALUES ('two')")
    assert not conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT text FROM notes ORDER BY text")] == ["one", "two"]


def test_immediate_rolls_back_everything_when_the_block_fails(conn):
    with pytest.raises(ValueError, match="stop"):
        with appdb.immediate(conn):
            conn.execute("INSERT INTO notes VALUES ('one')")
            raise ValueError("stop")
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_immediate_holds_the_write_lock_from_the_start(conn, tmp_path):
    other = sqlite3.connect(tmp_path / "app.db", isolation_level=None, timeout=0)
    try:
        with appdb.immediate(conn):
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


# In another process: switch the database out of WAL mode, which needs it to itself.
_TAKE_OVER = """import sqlite3, sys
try:
    conn = sqlite3.connect(sys.argv[1], timeout=0)
    print(conn.execute('PRAGMA journal_mode=DELETE').fetchone()[0])
except sqlite3.OperationalError as exc:
    print(exc)"""


def _other_process_takes_over(path) -> str:
    return subprocess.run([sys.executable, "-c", _TAKE_OVER, str(path)], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_opening_another_connection_keeps_the_locks_of_an_open_one(tmp_path):
    # The bench's browser user once could not sign in: the server and the bench shared app.db,
    # a second connection in one process dropped the first one's locks (a descriptor of the file
    # opened and closed), and the other process deleted the WAL under it: a malformed database.
    settings = Settings(data_dir=tmp_path)
    held = appdb.connect(settings, "app")
    held.execute("CREATE TABLE notes (text TEXT)")
    held.execute("SELECT * FROM notes").fetchall()
    assert _other_process_takes_over(tmp_path / "app.db") == "database is locked"
    appdb.connect(settings, "app").close()
    assert _other_process_takes_over(tmp_path / "app.db") == "database is locked"
    held.close()
    assert _other_process_takes_over(tmp_path / "app.db") == "delete"
