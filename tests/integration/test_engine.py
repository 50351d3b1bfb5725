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
