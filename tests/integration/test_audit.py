"""The audit log is append-only and hash-chained: every kind of tampering is reported."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace

import pytest

from graphsvc import audit
from graphsvc.errors import ConfigError, InputError
from graphsvc.settings import Settings


@pytest.fixture
def log_settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _fill(settings: Settings, n: int = 5) -> None:
    for i in range(1, n + 1):
        audit.record(settings, user=f"officer{i}", role="control_room", kind="consultation",
                     action="address check", asked={"uprn": f"10000{i}"},
                     shown=[f"address_id=A{i}", f"person_id=P{i}"],
                     justification=f"INC-{i:04d}")


def _tamper(settings: Settings, *statements: str) -> None:
    """What someone with the database file and a SQLite shell could do."""
    conn = sqlite3.connect(settings.app_dir / "audit.db", isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_an_untouched_log_verifies(log_settings):
    _fill(log_settings)
    assert audit.verify(log_settings) == []
    assert audit.count(log_settings) == 5
    assert audit.head(log_settings)[0] == 5


def test_the_head_line_is_overwritten_in_place_and_a_longer_head_replaced_whole(log_settings):
    """Each append rewrites the head's line in the same file (a rename over it costs a flush
    of the new file on ext4); a head file longer than the new line is replaced whole, so no
    old character is left after the line."""
    _fill(log_settings, 2)
    path = log_settings.app_dir / "audit.head"
    inode = path.stat().st_ino
    _fill(log_settings, 1)
    newest = audit.search(log_settings, limit=1)[0]
    assert path.stat().st_ino == inode
    assert path.read_text() == f"3 {newest.hash}\n"
    path.write_text(f"99999 {'f' * 64}  and more\n")
    _fill(log_settings, 1)
    newest = audit.search(log_settings, limit=1)[0]
    assert path.read_text() == f"4 {newest.hash}\n"
    assert audit.head(log_settings) == (4, newest.hash)


def test_the_log_refuses_updates_and_deletes(log_settings):
    _fill(log_settings, 2)
    conn = sqlite3.connect(log_settings.app_dir / "audit.db", isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET justification = 'nothing to see' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.close()
    assert audit.verify(log_settings) == []


def test_an_edited_entry_is_reported(log_settings):
    _fill(log_settings)
    _tamper(log_settings, "UPDATE audit_log SET justification = 'routine' WHERE seq = 3")
    problems = audit.verify(log_settings)
    assert any("Entry #3 was changed after it was written" in p for p in problems)
    assert any("audit_log_no_update is missing" in p for p in problems)


def _rewrite_chain(settings: Settings, key: bytes, *, head: bool) -> None:
    """A careful forger: drops the trigger, edits entry #2, rebuilds the chain (and the head)."""
    conn = sqlite3.connect(settings.app_dir / "audit.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET user = 'someone_else' WHERE seq = 2")
    prev = conn.execute("SELECT hash FROM audit_log WHERE seq = 1").fetchone()["hash"]
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    for seq in range(2, last + 1):
        row = conn.execute("SELECT * FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        digest = audit.entry_hash(key, prev, audit.content_of(row))
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
                     (prev, digest, seq))
        prev = digest
    conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
                 "SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    conn.close()
    if head:
        (settings.app_dir / "audit.head").write_text(f"{last} {prev}\n")


def test_an_edit_with_recomputed_hashes_is_still_caught_by_the_head(log_settings):
    _fill(log_settings, 3)
    _rewrite_chain(log_settings, audit.audit_key(log_settings), head=False)
    problems = audit.verify(log_settings)
    assert any("does not match the chain head" in p for p in problems)


def test_a_chain_and_head_rewritten_without_the_key_are_caught(log_settings):
    _fill(log_settings, 3)
    _rewrite_chain(log_settings, b"a guess at the key", head=True)
    problems = audit.verify(log_settings)
    assert any("Entry #2 was changed after it was written" in p for p in problems)


def test_a_rewrite_with_the_key_is_caught_by_a_head_kept_elsewhere(log_settings, tmp_path):
    anchored = replace(log_settings, audit_anchor_dir=tmp_path / "worm")
    _fill(anchored, 3)
    kept = audit.head(anchored)
    audit.anchor(anchored)
    _rewrite_chain(anchored, audit.audit_key(anchored), head=True)
    assert audit.verify(log_settings) == []  # with the key and the head, only outside copies help
    expected = f"#{kept[0]} {kept[1]}"
    assert any("does not match the head you gave" in p
               for p in audit.verify(anchored, expect_head=expected))
    assert any("does not match the checkpoint audit-anchor-000000000003.txt" in p
               for p in audit.verify(anchored))


def test_a_checkpoint_is_written_every_hundred_entries(log_settings, tmp_path):
    anchored = replace(log_settings, audit_anchor_dir=tmp_path / "worm")
    _fill(anchored, audit.ANCHOR_EVERY + 1)
    [checkpoint] = sorted((tmp_path / "worm").iterdir())
    assert checkpoint.name == f"audit-anchor-{audit.ANCHOR_EVERY:012d}.txt"
    assert audit.verify(anchored) == []


def test_deleting_the_database_and_its_head_is_a_failure(log_settings, tmp_path, run_cli):
    _fill(log_settings, 3)
    (log_settings.app_dir / "audit.db").unlink()
    (log_settings.app_dir / "audit.head").unlink()
    for extra in ("audit.db-wal", "audit.db-shm"):
        (log_settings.app_dir / extra).unlink(missing_ok=True)
    problems = audit.verify(log_settings)
    assert any("There is no audit log" in p for p in problems)
    result = run_cli("audit", "verify", env={"GRAPHSVC_DATA_DIR": str(log_settings.data_dir)})
    assert result.returncode == 1
    assert "intact" not in result.stdout and "There is no audit log" in result.stderr
    assert not (log_settings.app_dir / "audit.db").exists()  # verify created nothing


def test_dropped_triggers_are_reported_and_left_as_found(log_settings):
    _fill(log_settings, 2)
    _tamper(log_settings, "SELECT 1")
    assert audit.verify(log_settings) != []
    conn = sqlite3.connect(log_settings.app_dir / "audit.db")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert names == set()  # verify did not quietly put them back


def test_an_empty_log_whose_head_is_lost_is_a_failure(log_settings):
    assert audit.count(log_settings) == 0
    assert audit.verify(log_settings) == []
    (log_settings.app_dir / "audit.head").unlink()
    assert any("chain head file" in p for p in audit.verify(log_settings))


def test_a_key_file_inside_the_data_dir_is_refused(log_settings):
    inside = replace(log_settings, audit_key_file=log_settings.data_dir / "audit.key")
    with pytest.raises(ConfigError, match="outside the data directory"):
        audit.record(inside, user="u", role="admin", kind="administration", action="x",
                     asked={}, shown=[])


def test_a_deleted_entry_is_reported(log_settings):
    _fill(log_settings)
    _tamper(log_settings, "DELETE FROM audit_log WHERE seq = 2")
    problems = audit.verify(log_settings)
    assert any("Entries #2 are missing" in p for p in problems)
    assert any("Entry #3 does not follow the entry before it" in p for p in problems)


def test_an_inserted_entry_is_reported(log_settings):
    _fill(log_settings, 3)
    _tamper(log_settings, "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 2",
            "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000",
            "INSERT INTO audit_log (seq, at, user, role, kind, action, asked, shown, "
            "justification, prev_hash, hash) SELECT 2, at, 'ghost', role, kind, action, asked, "
            "shown, justification, hash, hash FROM audit_log WHERE seq = 1")
    problems = audit.verify(log_settings)
    assert any("Entry #2 was changed" in p or "Entry #2 does not follow" in p for p in problems)
    assert any("Entry #3" in p for p in problems)


def test_an_entry_appended_outside_graphsvc_is_reported(log_settings):
    _fill(log_settings, 3)
    conn = sqlite3.connect(log_settings.app_dir / "audit.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    last = conn.execute("SELECT * FROM audit_log WHERE seq = 3").fetchone()
    content = {**audit.content_of(last), "seq": 4, "user": "ghost"}
    conn.execute("INSERT INTO audit_log (seq, at, user, role, kind, action, asked, shown, "
                 "justification, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                 (*content.values(), last["hash"],
                  audit.entry_hash(audit.audit_key(log_settings), last["hash"], content)))
    conn.close()
    assert audit.verify(log_settings) == [
        "Entries #4 come after the chain head (#3): they were added outside graphsvc."]


def test_truncating_the_newest_entries_is_reported(log_settings):
    _fill(log_settings, 6)
    _tamper(log_settings, "DELETE FROM audit_log WHERE seq >= 5")
    problems = audit.verify(log_settings)
    assert any("The newest entries #5 to #6 were removed" in p for p in problems)


def test_a_missing_head_file_is_reported(log_settings):
    _fill(log_settings, 2)
    (log_settings.app_dir / "audit.head").unlink()
    assert any("chain head file" in p for p in audit.verify(log_settings))


def test_an_unknown_kind_is_refused(log_settings):
    with pytest.raises(InputError, match="Unknown audit kind"):
        audit.record(log_settings, user="u", role="admin", kind="peek", action="x", asked={},
                     shown=[])
    assert audit.count(log_settings) == 0


def test_search_finds_entries_by_user_kind_and_record_key(log_settings):
    _fill(log_settings, 4)
    audit.record(log_settings, user="admin1", role="admin", kind="disclosure",
                 action="export", asked={}, shown=["person_id=P2"], justification="FOI")
    assert [e.seq for e in audit.search(log_settings, user="officer2")] == [2]
    assert [e.seq for e in audit.search(log_settings, record_key="person_id=P2")] == [5, 2]
    assert [e.seq for e in audit.search(log_settings, kind="disclosure")] == [5]
    entry = audit.search(log_settings, user="officer3")[0]
    assert entry.asked == {"uprn": "100003"} and entry.justification == "INC-0003"


def test_csv_export_neutralises_spreadsheet_formulas(log_settings):
    audit.record(log_settings, user="u1", role="intelligence", kind="consultation",
                 action="search", asked={"q": "x"}, shown=[], justification="=HYPERLINK(1)")
    out = io.StringIO()
    assert audit.write_csv(audit.search(log_settings), out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["justification"] == "'=HYPERLINK(1)"


def test_cli_verify_passes_then_fails_after_tampering(tmp_path, run_cli):
    settings = Settings(data_dir=tmp_path / "cli")
    _fill(settings, 3)
    env = {"GRAPHSVC_DATA_DIR": str(settings.data_dir)}
    ok = run_cli("audit", "verify", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "intact: 3 entries" in ok.stdout
    _tamper(settings, "UPDATE audit_log SET action = 'nothing' WHERE seq = 2")
    bad = run_cli("audit", "verify", env=env)
    assert bad.returncode == 1
    assert "Entry #2 was changed" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cli_export_writes_csv_and_records_the_disclosure(tmp_path, run_cli):
    settings = Settings(data_dir=tmp_path / "cli")
    _fill(settings, 3)
    out = tmp_path / "export.csv"
    done = run_cli("audit", "export", "--user", "officer2", "--reason", "DPO request 17",
                   "--out", str(out), env={"GRAPHSVC_DATA_DIR": str(settings.data_dir)})
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["user"] for r in rows] == ["officer2"]
    [entry] = audit.search(settings, kind="disclosure")
    assert entry.justification == "DPO request 17" and entry.shown == ["audit=2"]
    assert audit.verify(settings) == []
