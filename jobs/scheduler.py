"""The scheduler process: APScheduler 3 with a persistent job store in the data dir.

One scheduler per data dir: a process-wide lock file stops a second one (or keeps it waiting as
a standby with `--standby`), and every task also takes its rule's lock.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from graphsvc.locks import LockHeld, file_lock, holder, scheduler_lock_path
from graphsvc.model import LOCAL_TZ
from graphsvc.rules import catalogue
from graphsvc.rules.config import RulesConfig, load_config
from graphsvc.settings import Settings
from jobs.tasks import run_rule_task

log = logging.getLogger(__name__)

MISFIRE_GRACE_S = 300
JOB_TABLE = "apscheduler_jobs"


def job_store_path(settings: Settings) -> Path:
    """The job store lives with the other application databases (app.db, audit.db)."""
    return Path(settings.app_dir) / "scheduler.db"


def job_id(rule_id: str) -> str:
    return f"rule:{rule_id}"


def build_scheduler(settings: Settings) -> BlockingScheduler:
    """A BlockingScheduler whose jobs persist in `<app dir>/scheduler.db`."""
    Path(settings.app_dir).mkdir(parents=True, exist_ok=True)
    store = SQLAlchemyJobStore(url=f"sqlite:///{job_store_path(settings)}", tablename=JOB_TABLE)
    return BlockingScheduler(
        jobstores={"default": store},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_S},
        timezone=LOCAL_TZ)


def schedule_rules(sched: BlockingScheduler, config: RulesConfig,
                   settings: Settings) -> dict[str, float | None]:
    """Add (or replace) one job per scheduled rule; drop stored jobs of rules turned off.

    Called before `start()`: the jobs wait as pending and replace their stored versions when
    the scheduler opens its job store.
    """
    intervals: dict[str, float | None] = {}
    for rule_id in catalogue():
        seconds = config.interval_s(rule_id)
        intervals[rule_id] = seconds
        if seconds is None:
            continue
        sched.add_job(run_rule_task, IntervalTrigger(seconds=seconds, timezone=LOCAL_TZ),
                      args=[rule_id], id=job_id(rule_id), name=f"rule {rule_id}",
                      replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_S)
    keep = {job_id(r) for r, s in intervals.items() if s is not None}
    _drop_stored_jobs(settings, keep)
    return intervals


def _drop_stored_jobs(settings: Settings, keep: set[str]) -> None:
    """Remove stored `rule:` jobs not in keep (rules turned off, or no longer in the pack)."""
    path = job_store_path(settings)
    if not path.is_file():
        return
    try:
        with sqlite3.connect(path, timeout=30) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if JOB_TABLE not in tables:
                return
            for (jid,) in conn.execute(f"SELECT id FROM {JOB_TABLE}").fetchall():
                if jid.startswith("rule:") and jid not in keep:
                    conn.execute(f"DELETE FROM {JOB_TABLE} WHERE id = ?", (jid,))
    except sqlite3.Error as exc:
        log.warning("Cannot tidy the scheduler's job store %s: %s", path, exc)


def run_scheduler(settings: Settings, *, standby: bool = False,
                  announce: Callable[[str], None] = log.info) -> None:
    """Hold the scheduler lock and run the jobs until SIGTERM/SIGINT; LockHeld if one runs."""
    config = load_config(settings)  # a bad rules.toml fails before anything starts
    path = scheduler_lock_path(settings.data_dir)
    try:
        lock = file_lock(path, wait_s=0)
        lock.__enter__()
    except LockHeld:
        if not standby:
            raise LockHeld(holder(path)) from None
        announce(f"Another scheduler (pid {holder(path)}) is running; waiting as a standby.")
        lock = file_lock(path, wait_s=float("inf"), poll_s=1.0)
        lock.__enter__()
    try:
        sched = build_scheduler(settings)
        intervals = schedule_rules(sched, config, settings)

        def stop(signum, frame):  # noqa: ARG001 - signal handler signature
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        on = {r: s for r, s in intervals.items() if s is not None}
        announce(f"Scheduler running (pid {_pid()}): {len(on)} rule(s) scheduled; job store "
                 f"{job_store_path(settings)}.")
        sched.start()  # blocks until a signal shuts it down
        announce("Scheduler stopped.")
    finally:
        lock.__exit__(None, None, None)


def _pid() -> int:
    import os

    return os.getpid()


def next_run_times(settings: Settings) -> dict[str, datetime]:
    """Next scheduled run of each rule, read from the job store (empty before a first start)."""
    path = job_store_path(settings)
    if not path.is_file():
        return {}
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            rows = conn.execute(f"SELECT id, next_run_time FROM {JOB_TABLE}").fetchall()
    except sqlite3.Error as exc:
        log.warning("Cannot read the scheduler's job store %s: %s", path, exc)
        return {}
    out = {}
    for jid, ts in rows:
        if jid.startswith("rule:") and ts is not None:
            out[jid[5:]] = datetime.fromtimestamp(ts, LOCAL_TZ).replace(tzinfo=None)
    return out
