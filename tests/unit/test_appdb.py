"""appdata.transaction on SQLite: a write transaction commits whole or not at all and holds the
write lock from its start; making a store's file private never drops the locks of the
connections already open."""

import sqlite3
import subprocess
import sys

import pytest

from graphsvc import appdata
from graphsvc.settings import Settings


@pytest.fixture
def settings(tmp_path):
    yield Settings(data_dir=tmp_path)
    appdata.dispose_all()


def _take(conn, name):
    return appdata.run(conn, "leases/take", name=name, holder="test", now=1.0,
                       expires=2.0).scalar_one()


def _held(settings):
    with appdata.transaction(settings, write=False) as conn:
        return sorted(name for name in ("one", "two")
                      if appdata.run(conn, "leases/holder", name=name, now=0.0).first())


def test_a_write_transaction_commits_the_whole_block(settings):
    with appdata.transaction(settings) as conn:
        _take(conn, "one")
        _take(conn, "two")
    assert _held(settings) == ["one", "two"]


def test_a_write_transaction_rolls_back_everything_when_the_block_fails(settings):
    with pytest.raises(ValueError, match="stop"):
        with appdata.transaction(settings) as conn:
            _take(conn, "one")
            raise ValueError("stop")
    assert _held(settings) == []


def test_a_write_transaction_holds_the_write_lock_from_the_start(settings, tmp_path):
    appdata.ensure_migrated(settings, "app")
    other = sqlite3.connect(tmp_path / "app.db", isolation_level=None, timeout=0)
    try:
        with appdata.transaction(settings):
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


def test_making_the_file_private_keeps_the_locks_of_an_open_connection(settings, tmp_path):
    # The bench's browser user once could not sign in: the server and the bench shared app.db,
    # a second connection in one process dropped the first one's locks (a descriptor of the file
    # opened and closed), and the other process deleted the WAL under it: a malformed database.
    path = tmp_path / "app.db"
    with appdata.transaction(settings, write=False) as conn:
        _held_now = appdata.run(conn, "leases/holder", name="one", now=0.0).all()
        assert _held_now == []
        assert _other_process_takes_over(path) == "database is locked"
        appdata.private(path)
        assert _other_process_takes_over(path) == "database is locked"
    appdata.dispose_all()
    assert _other_process_takes_over(path) == "delete"
