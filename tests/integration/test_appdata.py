"""Application data on SQLite or PostgreSQL: concurrent writers keep the audit chain whole,
migrations are all or nothing, an unreachable database is one plain sentence, and failed
sign-ins back off."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from graphsvc import appdata, audit, users
from graphsvc.appdata import migrate
from graphsvc.audit import chain
from graphsvc.errors import AppDbError, InputError
from graphsvc.settings import Settings
from tests.conftest import TEST_PASSWORD, graphsvc_bin

pytestmark = pytest.mark.app_dbs

_WRITER = """
import sys
from graphsvc import audit
from graphsvc.settings import Settings
settings = Settings.from_env()
for i in range(int(sys.argv[1])):
    audit.record(settings, user=f"writer{sys.argv[2]}", role="control_room",
                 kind="consultation", action="address check", asked={"i": i},
                 shown=[f"address_id=A{i}"], justification="INC-1")
"""


@pytest.fixture
def app_settings(tmp_path, app_db) -> Settings:
    return Settings(data_dir=tmp_path / "data", app_db=app_db,
                    audit_key="k" * 64)


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_DATA_DIR=str(settings.data_dir), GRAPHSVC_APP_DB=settings.app_db,
               GRAPHSVC_AUDIT_KEY=settings.audit_key)
    return env


def test_writer_processes_keep_the_audit_chain_whole(app_settings):
    audit.record(app_settings, user="first", role="admin", kind="administration",
                 action="start", asked={}, shown=[])
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, "40", str(n)],
                                env=_env(app_settings)) for n in range(4)]
    assert [w.wait(timeout=300) for w in writers] == [0, 0, 0, 0]
    problems, read = audit.check(app_settings)
    assert problems == []
    assert read == 161
    assert audit.head(app_settings)[0] == 161
    by_writer = {e.user for e in audit.search(app_settings, limit=None)}
    assert by_writer == {"first", "writer0", "writer1", "writer2", "writer3"}


def test_threads_of_one_process_append_together_and_each_gets_its_own_entry(app_settings):
    # Concurrent requests' entries share one transaction and one commit (appdata.group); each
    # caller still gets its own sequence number, and the chain stays whole.
    got: list[int] = []

    def writer(n: int) -> None:
        for i in range(25):
            got.append(audit.record(app_settings, user=f"thread{n}", role="control_room",
                                    kind="consultation", action="address check",
                                    asked={"i": i}, shown=[f"address_id=A{i}"],
                                    justification="INC-2"))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert sorted(got) == list(range(1, 201))
    problems, read = audit.check(app_settings)
    assert problems == [] and read == 200
    mine = [e.seq for e in audit.search(app_settings, user="thread3", limit=None)]
    assert len(mine) == 25 and set(mine) <= set(got)


def test_an_entry_is_stored_as_recorded_whatever_characters_it_holds(app_settings):
    # On PostgreSQL an append goes as one JSON text (audit/append): quotes, backslashes,
    # control characters a form may carry, accents and characters beyond the BMP come back
    # as recorded, and the chain verifies.
    odd = 'say "no" \\ back/slash\ttab\nline é ✓ 😀 \u2028 end'
    audit.record(app_settings, user=f"officer {odd}", role="control_room",
                 kind="consultation", action=f"address check {odd}", asked={"q": odd},
                 shown=[f"address_id={odd}", "person_id=P1"], justification=odd)
    problems, read = audit.check(app_settings)
    assert problems == [] and read == 1
    (entry,) = audit.search(app_settings, user=f"officer {odd}", limit=None)
    assert (entry.action, entry.asked, entry.shown, entry.justification) == (
        f"address check {odd}", {"q": odd}, [f"address_id={odd}", "person_id=P1"], odd)


def _waits_for_a_lock(settings: Settings) -> None:
    """Return once a transaction of graphsvc's waits for a lock (PostgreSQL), or after a
    moment (SQLite: a writer waits in BEGIN IMMEDIATE, which nothing outside shows)."""
    if not settings.app_db:
        time.sleep(0.5)
        return
    import psycopg

    deadline = time.monotonic() + 60
    with psycopg.connect(os.environ["GRAPHSVC_TEST_APP_DB"], autocommit=True) as admin:
        while admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                            "'graphsvc' AND wait_event_type = 'Lock'").fetchone()[0] == 0:
            assert time.monotonic() < deadline, "no append came to wait for the chain's lock"
            time.sleep(0.02)


def test_an_append_that_waited_for_the_lock_chains_onto_the_entry_written_meanwhile(
        app_settings):
    # PostgreSQL: the waiting append's statement took its snapshot before the holder wrote,
    # so the newest entry it saw is stale once it has the lock; it must chain onto the new one.
    audit.record(app_settings, user="first", role="admin", kind="administration",
                 action="start", asked={}, shown=[])
    handle = chain._log_for(app_settings)
    got: list[int] = []
    waiter = threading.Thread(target=lambda: got.append(audit.record(
        app_settings, user="waiter", role="control_room", kind="consultation",
        action="address check", asked={}, shown=["address_id=A2"], justification="INC-3")))
    with chain._writer(handle) as (conn, end):
        assert end[0] == 1
        waiter.start()
        _waits_for_a_lock(app_settings)
        [(held, _)] = chain._append(conn, handle, end, [{
            "user": "holder", "role": "admin", "kind": "administration", "action": "held",
            "asked": "{}", "shown": "[]", "justification": ""}])
    waiter.join(60)
    assert (held, got) == (2, [3])
    assert audit.check(app_settings) == ([], 3)
    assert audit.head(app_settings)[0] == 3


def test_a_busy_process_keeps_its_connections_open_for_the_next_requests(app_settings):
    # A web process's threads each hold a connection at once; once they are done, the pool
    # keeps them all (a connection closed and opened again per request costs PostgreSQL a
    # backend's start each time).
    if not app_settings.app_db:
        pytest.skip("PostgreSQL only: a SQLite file has no connections to keep")
    import psycopg

    appdata.keep_connections(9)  # as `graphsvc serve --threads 7` asks
    users.list_users(app_settings)  # the schema exists
    held = threading.Barrier(9)

    def hold() -> None:
        with appdata.transaction(app_settings, write=False) as conn:
            appdata.run(conn, "users/list_users").all()
            held.wait(60)

    threads = [threading.Thread(target=hold) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with psycopg.connect(os.environ["GRAPHSVC_TEST_APP_DB"], autocommit=True) as admin:
        kept = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                             "'graphsvc' AND pid <> pg_backend_pid()").fetchone()[0]
    assert kept >= 9
    assert appdata.engine(app_settings).pool.checkedin() >= 9


def _first_entries_at_once(settings: Settings, threads: int
                           ) -> tuple[list[int], list[BaseException]]:
    start = threading.Barrier(threads)
    got: list[int] = []
    failed: list[BaseException] = []

    def first(n: int) -> None:
        start.wait()
        try:
            got.append(audit.record(settings, user=f"t{n}", role="admin",
                                    kind="administration", action="first", asked={}, shown=[]))
        except BaseException as exc:  # reported by the caller
            failed.append(exc)

    workers = [threading.Thread(target=first, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(120)
    return got, failed


def test_the_first_entries_of_a_new_log_from_many_threads_at_once(tmp_path, app_db):
    # The first use of a log in a process sets it up (migration, head file); threads that all
    # arrive at that moment must share one set-up, and each entry must still land.
    attempts = 1 if app_db.startswith("postgresql") else 5  # one shared database: one says it
    for attempt in range(attempts):
        settings = Settings(data_dir=tmp_path / f"data{attempt}", app_db=app_db,
                            audit_key="k" * 64)
        got, failed = _first_entries_at_once(settings, 12)
        assert failed == [], (attempt, failed)
        assert sorted(got) == list(range(1, 13))
        assert audit.check(settings) == ([], 12)


def test_a_failed_migration_leaves_the_schema_as_it_was(app_settings, tmp_path, monkeypatch):
    root = tmp_path / "migrations"
    (root / "app").mkdir(parents=True)
    (root / "app" / "0001_first.sql").write_text(
        "-- one table\nCREATE TABLE first_table (id INTEGER PRIMARY KEY);\n")
    monkeypatch.setattr(migrate, "ROOT", root)
    assert migrate.upgrade(app_settings, "app") == 1
    (root / "app" / "0002_broken.sql").write_text(
        "-- a table, then a statement that fails\n"
        "CREATE TABLE second_table (id INTEGER PRIMARY KEY);\n"
        "INSERT INTO no_such_table VALUES (1);\n")
    with pytest.raises(migrate.MigrationFailed) as failed:
        migrate.upgrade(app_settings, "app")
    message = str(failed.value)
    assert "0002_broken" in message and "still at version 1" in message
    with appdata.engine(app_settings, "app").connect() as conn:
        assert migrate.current_version(conn, "app") == 1
        tables = set(appdata.engine(app_settings, "app").dialect.get_table_names(conn))
    assert "first_table" in tables and "second_table" not in tables


def test_users_and_sessions_need_no_set_up(app_settings):
    users.add_user(app_settings, "Ana", "control_room", TEST_PASSWORD)
    with pytest.raises(InputError, match="already exists"):
        users.add_user(app_settings, "ana", "admin", TEST_PASSWORD)
    assert users.authenticate(app_settings, "ANA", TEST_PASSWORD).name == "Ana"


def test_failed_sign_ins_back_off_longer_each_time(app_settings):
    users.add_user(app_settings, "ben", "control_room", TEST_PASSWORD)
    start = 1_000_000.0
    for i in range(users.LOCKOUT_FAILURES):
        with pytest.raises(users.SignInRefused, match="wrong"):
            users.authenticate(app_settings, "ben", "not it at all", source="pc1", now=start + i)
    last = start + users.LOCKOUT_FAILURES - 1
    first_wait = users.LOCKOUT_WINDOW_S
    with pytest.raises(users.SignInRefused, match="locked"):
        users.authenticate(app_settings, "ben", TEST_PASSWORD, source="pc1",
                           now=last + first_wait - 5)
    # The lock ends; one more failure locks for twice as long.
    after = last + first_wait + 1
    with pytest.raises(users.SignInRefused, match="wrong"):
        users.authenticate(app_settings, "ben", "still not it", source="pc1", now=after)
    with pytest.raises(users.SignInRefused, match="locked"):
        users.authenticate(app_settings, "ben", TEST_PASSWORD, source="pc1",
                           now=after + first_wait + 60)
    [lock] = users.lock_outs(app_settings, now=after + 60)
    assert lock.until == after + 2 * first_wait
    assert users.authenticate(app_settings, "ben", TEST_PASSWORD, source="pc1",
                              now=after + 2 * first_wait + 1).name == "ben"


def test_an_unreachable_database_is_one_plain_sentence(app_settings, run_cli_env):
    if not app_settings.app_db:
        pytest.skip("PostgreSQL only: a SQLite file is always there")
    bad = app_settings.app_db.replace("://graphsvc:", "://graphsvc:wrong", 1)
    with pytest.raises(AppDbError, match="password was refused"):
        users.list_users(replace(app_settings, app_db=bad))
    answer = run_cli_env(["users", "list"], {**_env(app_settings), "GRAPHSVC_APP_DB": bad})
    assert answer.returncode == AppDbError.exit_code
    assert answer.stderr.strip().count("\n") == 0
    assert "password was refused" in answer.stderr and "Traceback" not in answer.stderr
    down = "postgresql://graphsvc:x@127.0.0.1:1/graphsvc"
    answer = run_cli_env(["users", "list"], {**_env(app_settings), "GRAPHSVC_APP_DB": down})
    assert answer.returncode == AppDbError.exit_code
    assert "nothing answers there" in answer.stderr and "Traceback" not in answer.stderr


@pytest.fixture
def run_cli_env():
    def run(args: list[str], env: dict[str, str]):
        return subprocess.run([graphsvc_bin(), *args], env=env, capture_output=True, text=True,
                              timeout=120)
    return run


def test_a_log_begun_before_the_keyed_chain_is_sealed_and_then_verifies(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", audit_key="k" * 64)
    audit.record(settings, user="x", role="admin", kind="administration", action="made",
                 asked={}, shown=[])  # creates the schema; rewritten below as a legacy log
    path: Path = settings.app_dir / "audit.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log")
    prev = audit.GENESIS
    for seq in range(1, 4):
        content = {"seq": seq, "at": f"2024-01-0{seq}T10:00:00.000000+00:00", "user": f"u{seq}",
                   "role": "control_room", "kind": "consultation", "action": "address check",
                   "asked": "{}", "shown": "[]", "justification": "INC-9"}
        digest = audit.legacy_hash(prev, content)
        conn.execute("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (*content.values(), prev, digest))
        prev = digest
    conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN "
                 "SELECT RAISE(ABORT, 'append-only'); END")
    conn.close()
    (settings.app_dir / "audit.head").write_text(f"3 {prev}\n")
    before = audit.verify(settings)
    assert any("before the chain was keyed" in p and "audit seal" in p for p in before)
    sealed = subprocess.run([graphsvc_bin(), "audit", "seal"], env=_env(settings),
                            capture_output=True, text=True, timeout=120)
    assert sealed.returncode == 0, sealed.stderr
    assert "3 entries written before the chain was keyed are sealed by entry #4" in sealed.stdout
    assert audit.verify(settings) == []
    audit.record(settings, user="y", role="admin", kind="administration", action="later",
                 asked={}, shown=[])
    assert audit.verify(settings) == []
    assert audit.seal_legacy(settings, by="admin1") == (0, 0)  # once only
    # A sealed legacy entry changed afterwards is caught.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET justification = 'edited' WHERE seq = 2")
    conn.close()
    assert any("#2 was changed" in p for p in audit.verify(settings))


def test_a_lost_connection_is_retried_once_and_a_dead_database_is_a_plain_503(app_settings,
                                                                              tmp_path):
    if not app_settings.app_db:
        pytest.skip("PostgreSQL only: a SQLite file has no connection to lose")
    import psycopg

    from web import create_app

    settings = replace(app_settings, app_data_dir=tmp_path / "app", cookie_secure=False)
    users.add_user(settings, "eve", "admin", TEST_PASSWORD)
    app = create_app({"TESTING": True, "GRAPHSVC_SETTINGS": settings})
    client = app.test_client()
    assert client.get("/sign-in").status_code == 200
    # Every connection of this process is cut, as a database restart or a failover would.
    with psycopg.connect(os.environ["GRAPHSVC_TEST_APP_DB"], autocommit=True) as admin:
        cut = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'graphsvc' AND pid <> pg_backend_pid()"
                            ).fetchone()[0]
    assert cut >= 1
    assert client.get("/sign-in").status_code == 200
    assert users.authenticate(settings, "eve", TEST_PASSWORD).name == "eve"
    # A database that is gone: a plain 503, no trace.
    dead = replace(settings, app_db="postgresql://graphsvc:x@127.0.0.1:1/graphsvc")
    down = create_app({"TESTING": True, "GRAPHSVC_SETTINGS": dead}).test_client()
    answer = down.get("/api/v1/address-check?uprn=1", headers={"Authorization": "Bearer gsv_x"})
    assert answer.status_code == 503
    message = answer.get_json()
    assert "database is not available" in str(message) and "127.0.0.1" not in str(message)


def test_users_add_and_audit_verify_through_the_cli(app_settings, run_cli_env):
    env = _env(app_settings)
    added = subprocess.run([graphsvc_bin(), "users", "add", "fay", "--role", "intelligence",
                            "--password-stdin"], input=TEST_PASSWORD + "\n", env=env,
                           capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    assert users.find_user(app_settings, "FAY").role == "intelligence"
    checked = run_cli_env(["audit", "verify"], env)
    assert checked.returncode == 0, checked.stderr
    assert "The audit log is intact: 1 entries" in checked.stdout  # the user's creation


def test_a_lease_has_one_holder_until_it_runs_out(app_settings):
    from graphsvc.appdata import leases

    assert leases.take(app_settings, "job", "host-a", ttl_s=60)
    assert not leases.take(app_settings, "job", "host-b", ttl_s=60)
    assert leases.take(app_settings, "job", "host-a", ttl_s=3)  # renewed, for 3 s
    assert leases.holder_of(app_settings, "job") == "host-a"
    import time

    time.sleep(3.5)  # host-a died: its lease runs out
    assert leases.holder_of(app_settings, "job") == ""
    assert leases.take(app_settings, "job", "host-b", ttl_s=30)
    assert not leases.take(app_settings, "job", "host-a", ttl_s=30)  # it lost it
    leases.release(app_settings, "job", "host-b")
    assert leases.take(app_settings, "job", "host-a", ttl_s=30)


def test_a_dropped_trigger_or_rewritten_entry_is_reported_on_postgresql(app_settings):
    if not app_settings.app_db:
        pytest.skip("PostgreSQL only: tests/integration/test_audit.py tampers with SQLite")
    import psycopg

    for i in range(3):
        audit.record(app_settings, user=f"u{i}", role="control_room", kind="consultation",
                     action="address check", asked={"i": i}, shown=[], justification="INC-2")
    with pytest.raises(Exception, match="append-only"):
        with appdata.transaction(app_settings, "audit") as conn:
            conn.exec_driver_sql("DELETE FROM audit_log WHERE seq = 2")
    schema = app_settings.app_db.rsplit("%3D", 1)[1]
    with psycopg.connect(os.environ["GRAPHSVC_TEST_APP_DB"], autocommit=True) as db:
        db.execute(f"SET search_path TO {schema}")
        db.execute("DROP TRIGGER audit_log_no_update ON audit_log")
        db.execute("UPDATE audit_log SET justification = 'forged' WHERE seq = 2")
    problems = audit.verify(app_settings)
    assert any("audit_log_no_update is missing" in p for p in problems)
    assert any("#2 was changed" in p for p in problems)
