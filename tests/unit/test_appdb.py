"""appdb.immediate: one write transaction that commits whole or not at all."""

import sqlite3

import pytest

from graphsvc import appdb


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
