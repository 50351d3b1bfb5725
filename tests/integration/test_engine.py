"""The embedded engine's life: start, share, crash, recover, and fail in plain words."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from graphsvc.errors import EngineError
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.engine import EmbeddedEngine

from ..conftest import cli_env, graphsvc_bin


@pytest.fixture
def own_engine(tmp_path):
    """Settings for an engine of this test's own, stopped afterwards."""
    settings = Settings(data_dir=tmp_path / "data", graph_name="g")
    yield settings
    EmbeddedEngine(settings).stop()


def _write_people(settings: Settings, first: int, count: int) -> None:
    with open_store(settings) as store:
        store.apply_schema()
        rows = [{"k": i, "v": "x"} for i in range(first, first + count)]
        store.write_rows("contract/batch", rows, tag="t")


def _count(settings: Settings) -> int:
    with open_store(settings) as store:
        return store.read_one("contract/count")["c"]


def test_kill_9_of_the_engine_loses_no_acknowledged_write(own_engine):
    _write_people(own_engine, 0, 5_000)
    for i in range(5_000, 5_050):  # many small acknowledged writes, the last just before the kill
        _write_people(own_engine, i, 1)
    process = EmbeddedEngine(own_engine)
    pid = process.pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process.pid() is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not process.is_running()
    assert _count(own_engine) == 5_050  # opening the store restarts the engine from its AOF
    assert process.pid() != pid


def test_two_processes_share_one_engine(own_engine):
    _write_people(own_engine, 0, 10)
    pid = EmbeddedEngine(own_engine).pid()
    code = ("from graphsvc.store import open_store;"
            "s = open_store();"
            "s.write_rows('contract/batch', [{'k': 100, 'v': 'other'}], tag='t');"
            "print(s.read_one('contract/count')['c'])")
    env = {**cli_env(own_engine)}
    tests_cypher = os.path.join(os.path.dirname(__file__), "..", "cypher")
    code = f"from graphsvc import queries; from pathlib import Path; " \
           f"queries.add_folder(Path({tests_cypher!r}));" + code
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "11"
    assert EmbeddedEngine(own_engine).pid() == pid
    assert _count(own_engine) == 11


def test_processes_starting_at_once_start_one_engine(own_engine):
    def start(_):
        return EmbeddedEngine(own_engine).ensure_running()

    with ThreadPoolExecutor(4) as pool:
        started = list(pool.map(start, range(4)))
    assert started.count(True) == 1
    engines = subprocess.run(["pgrep", "-f", str(EmbeddedEngine(own_engine).socket_path)],
                             capture_output=True, text=True).stdout.split()
    assert len(engines) == 1


def test_a_stale_pid_and_socket_are_recovered_from(own_engine):
    _write_people(own_engine, 0, 3)
    process = EmbeddedEngine(own_engine)
    os.kill(process.pid(), signal.SIGKILL)
    time.sleep(0.2)
    process.pid_path.write_text("999999\n")  # a pid that no process has
    process.socket_path.touch(exist_ok=True)
    assert _count(own_engine) == 3


def test_status_shows_the_same_counts_after_a_restart(own_engine):
    _write_people(own_engine, 0, 25)
    env = cli_env(own_engine)
    before = subprocess.run([graphsvc_bin(), "status"], env=env, capture_output=True, text=True)
    assert before.returncode == 0, before.stderr
    assert "Person" in before.stdout and "25" in before.stdout
    stop = subprocess.run([graphsvc_bin(), "engine", "stop"], env=env, capture_output=True,
                          text=True)
    assert "Stopped" in stop.stdout
    after = subprocess.run([graphsvc_bin(), "status"], env=env, capture_output=True, text=True)
    assert after.stdout == before.stdout


def test_an_engine_that_cannot_start_is_explained_in_one_sentence(own_engine):
    _write_people(own_engine, 0, 1)
    process = EmbeddedEngine(own_engine)
    process.stop()
    manifest = process.dir / "appendonlydir" / "appendonly.aof.manifest"
    manifest.write_text("this is not a manifest\n")
    with pytest.raises(EngineError, match="could not|did not become ready"):
        process.ensure_running()
    result = subprocess.run([graphsvc_bin(), "status"], env=cli_env(own_engine),
                            capture_output=True, text=True)
    assert result.returncode == 4
    assert result.stderr.startswith("Error: The embedded graph engine")
    assert "Traceback" not in result.stderr


def _kill_engine(process: EmbeddedEngine) -> int:
    pid = process.pid()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while process.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    return pid


def test_an_open_store_restarts_a_killed_engine_and_retries(own_engine, caplog):
    _write_people(own_engine, 0, 7)
    process = EmbeddedEngine(own_engine)
    with open_store(own_engine) as store:
        assert store.read_one("contract/count")["c"] == 7
        old = _kill_engine(process)
        with caplog.at_level("WARNING", logger="graphsvc.store"):
            assert store.read_one("contract/count")["c"] == 7  # the same store, no manual step
        store.write_rows("contract/batch", [{"k": 50, "v": "after"}], tag="t")
        assert store.read_one("contract/count")["c"] == 8
    assert process.pid() not in (None, old)
    assert any("restarting it" in r.getMessage() for r in caplog.records)


def test_a_crash_loop_stops_with_a_message_naming_the_log(own_engine):
    _write_people(own_engine, 0, 1)
    process = EmbeddedEngine(own_engine)
    with open_store(own_engine) as store:
        now = time.time()
        process.restarts_path.write_text(f"{now - 30}\n{now - 20}\n{now - 10}\n")
        _kill_engine(process)
        with pytest.raises(EngineError) as caught:
            store.read_one("contract/count")
    assert "not being restarted automatically" in str(caught.value)
    assert str(process.log_path) in str(caught.value)  # the web shows users a plainer sentence
    assert not process.is_running()  # left for a person
    result = subprocess.run([graphsvc_bin(), "status"], env=cli_env(own_engine),
                            capture_output=True, text=True)
    assert result.returncode == 4 and str(process.log_path) in result.stderr
    assert "Traceback" not in result.stderr
    started = subprocess.run([graphsvc_bin(), "engine", "start"], env=cli_env(own_engine),
                             capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    assert _count(own_engine) == 1


def test_an_overlong_id_is_rejected_and_the_engine_stays_up(own_engine, tmp_path):
    """The H1 repro of issue 13: a 5,000-character person_id once crashed the engine."""
    _write_people(own_engine, 0, 1)
    process = EmbeddedEngine(own_engine)
    pid = process.pid()
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "people.csv").write_text("person_id,phone_numbers\n" + "Y" * 5000 + ",\n"
                                       "P2," + "7" * 6000 + "\nP3,07700 900123\n")
    env = cli_env(own_engine)
    result = subprocess.run([graphsvc_bin(), "import", str(folder)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert "people.csv line 2, field person_id: is 5000 characters long; at most 100" in \
        result.stdout + result.stderr
    assert "line 3, field phone_numbers" in result.stdout + result.stderr
    assert process.pid() == pid
    status = subprocess.run([graphsvc_bin(), "status"], env=env, capture_output=True, text=True)
    assert status.returncode == 0 and "Person" in status.stdout
