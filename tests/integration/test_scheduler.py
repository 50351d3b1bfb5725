"""The scheduler as real processes: a rule on a short interval fires, never overlaps itself,
a second scheduler refuses to start (or waits as a standby), and the per-rule lock holds."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import replace

import pytest

from graphsvc.locks import rule_lock
from graphsvc.rules import runs_of
from tests.conftest import cli_env, graphsvc_bin

RULE = "repeat_missing_child"


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def start(settings, tmp_path, app_db):
    config = tmp_path / "rules.toml"
    config.write_text(f'[schedule]\ndefault = "off"\n{RULE} = "1s"\n')
    # its own app dir, so its job store does not leak into other tests sharing the engine
    env = {**cli_env(settings), "GRAPHSVC_RULES_CONFIG": str(config),
           "GRAPHSVC_APP_DIR": str(tmp_path / "app"), "GRAPHSVC_APP_DB": app_db}
    procs: list[subprocess.Popen] = []
    logs = []

    def launch(*args: str) -> tuple[subprocess.Popen, object]:
        log = open(tmp_path / f"scheduler-{len(procs)}.log", "w+")  # noqa: SIM115
        proc = subprocess.Popen([graphsvc_bin(), "-v", "scheduler", *args], env=env,
                                stdout=log, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        logs.append(log)
        return proc, log

    yield launch
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
    for log in logs:
        log.close()


def _text(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def _no_overlap(runs: list[dict]) -> None:
    for before, after in zip(runs, runs[1:], strict=False):
        assert before["ended_at"] is not None, before
        assert before["ended_at"] <= after["started_at"], (before, after)


@pytest.mark.slow
def test_scheduler_runs_the_rule_alone_and_a_second_one_does_not_double_run(store, settings,
                                                                          start, tmp_path):
    first, first_log = start()
    _wait_for(lambda: "Scheduler running" in _text(first_log), 30, "the scheduler to start")
    _wait_for(lambda: len(runs_of(store, RULE)) >= 2, 30, "two scheduled runs")

    second, second_log = start()
    assert second.wait(timeout=30) == 2
    assert "Another scheduler is already running" in _text(second_log)
    assert "Traceback" not in _text(second_log)

    # While another process holds the rule's lock, scheduled turns are skipped, not queued.
    # The lock is a lease in the scheduler's application database; this waits out a run.
    with rule_lock(replace(settings, app_data_dir=tmp_path / "app"), RULE, wait_s=30):
        time.sleep(0.5)
        held_from = len(runs_of(store, RULE))
        time.sleep(2.5)
        assert len(runs_of(store, RULE)) == held_from
    _wait_for(lambda: len(runs_of(store, RULE)) > held_from, 30, "runs to resume")
    assert "already running in another process" in _text(first_log)

    # A standby takes over when the running scheduler stops.
    standby, standby_log = start("--standby")
    _wait_for(lambda: "waiting as a standby" in _text(standby_log), 30, "the standby")
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0
    taken_over = len(runs_of(store, RULE))
    _wait_for(lambda: "Scheduler running" in _text(standby_log), 30, "the standby to take over")
    _wait_for(lambda: len(runs_of(store, RULE)) >= taken_over + 2, 30, "runs by the standby")
    standby.send_signal(signal.SIGTERM)
    assert standby.wait(timeout=30) == 0

    runs = runs_of(store, RULE)
    assert all(r["status"] == "ok" for r in runs)
    _no_overlap(runs)


@pytest.mark.slow
@pytest.mark.app_dbs
def test_a_killed_leader_is_replaced_by_its_standby_within_a_minute(store, start):
    leader, leader_log = start()
    _wait_for(lambda: "Scheduler running" in _text(leader_log), 30, "the leader to start")
    standby, standby_log = start("--standby")
    _wait_for(lambda: "waiting as a standby" in _text(standby_log), 30, "the standby")
    leader.kill()  # no goodbye: its lease must run out
    leader.wait(timeout=10)
    killed_at = time.monotonic()
    _wait_for(lambda: "Scheduler running" in _text(standby_log), 60, "the standby to take over")
    assert time.monotonic() - killed_at < 60
    taken_over = len(runs_of(store, RULE))
    # A run the leader was in the middle of keeps its rule's lease until that runs out.
    _wait_for(lambda: len(runs_of(store, RULE)) >= taken_over + 2, 90, "runs by the standby")
    standby.send_signal(signal.SIGTERM)
    assert standby.wait(timeout=30) == 0
    _no_overlap([r for r in runs_of(store, RULE) if r["ended_at"] is not None])
