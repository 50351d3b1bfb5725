"""The scheduler process: APScheduler 3 with a persistent job store in the application database.

One leader at a time: leadership is a lease in the application database (renewed every
LEADER_TTL_S/3 seconds), so a second scheduler on this or any other host refuses to start, or
waits as a standby with `--standby` and takes over within LEADER_TTL_S + STANDBY_POLL_S of the
leader's death. Every task also takes its rule's lease.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from graphsvc import appdata
from graphsvc.appdata import leases
from graphsvc.locks import LockHeld
from graphsvc.rules import catalogue
from graphsvc.rules.config import RulesConfig, load_config
from graphsvc.settings import Settings
from graphsvc.store.values import LOCAL_TZ
from jobs.tasks import run_rule_task

log = logging.getLogger(__name__)

MISFIRE_GRACE_S = 300
JOB_TABLE = "apscheduler_jobs"
LEADER = "scheduler"
# A leader that stops renewing (dead, or cut off from the database) loses leadership after
# this; a standby tries every STANDBY_POLL_S: it takes over within 45 s.
LEADER_TTL_S = 30.0
STANDBY_POLL_S = 5.0


def job_store_path(settings: Settings) -> Path:
    """Without PostgreSQL, the job store is a SQLite file beside app.db and audit.db."""
    return Path(settings.app_dir) / "scheduler.db"


def job_store_url(settings: Settings) -> str:
    if appdata.postgres(settings):
        return appdata.url(settings)
    return f"sqlite:///{job_store_path(settings)}"


def _job_store(settings: Settings) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(url=job_store_url(settings), tablename=JOB_TABLE)


def job_id(rule_id: str) -> str:
    return f"rule:{rule_id}"


def build_scheduler(settings: Settings) -> BlockingScheduler:
    """A BlockingScheduler whose jobs persist in `<app dir>/scheduler.db`."""
    Path(settings.app_dir).mkdir(parents=True, exist_ok=True)
    return BlockingScheduler(
        jobstores={"default": _job_store(settings)},
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


def _stored_jobs(settings: Settings) -> dict[str, datetime | None]:
    """The rule jobs in the job store and their next run (read through APScheduler's own
    job store, never its table layout); empty when there is no store yet."""
    if not appdata.postgres(settings) and not job_store_path(settings).is_file():
        return {}
    store = _job_store(settings)
    store.start(BlockingScheduler(timezone=LOCAL_TZ), "default")
    try:
        return {job.id: job.next_run_time for job in store.get_all_jobs()}
    except Exception as exc:  # noqa: BLE001 - a job store that cannot be read only loses a hint
        log.warning("Cannot read the scheduler's job store: %s", exc)
        return {}
    finally:
        store.shutdown()


def _drop_stored_jobs(settings: Settings, keep: set[str]) -> None:
    """Remove stored `rule:` jobs not in keep (rules turned off, or no longer in the pack)."""
    gone = [jid for jid in _stored_jobs(settings) if jid.startswith("rule:") and jid not in keep]
    if not gone:
        return
    store = _job_store(settings)
    store.start(BlockingScheduler(timezone=LOCAL_TZ), "default")
    try:
        for jid in gone:
            store.remove_job(jid)
    finally:
        store.shutdown()


def run_scheduler(settings: Settings, *, standby: bool = False,
                  announce: Callable[[str], None] = log.info) -> None:
    """Lead: run the jobs until SIGTERM/SIGINT; LockHeld if another leader runs (unless
    `standby`: then wait for the leadership)."""
    config = load_config(settings)  # a bad rules.toml fails before anything starts
    current = leases.holder_of(settings, LEADER)
    if current and not standby:
        raise LockHeld(current)
    if current:
        announce(f"Another scheduler ({current}) is running; waiting as a standby.")

    def lost() -> None:  # another process leads now: stop before a job runs twice
        os.kill(os.getpid(), signal.SIGTERM)

    with leases.held(settings, LEADER, ttl_s=LEADER_TTL_S, poll_s=STANDBY_POLL_S,
                     wait_s=float("inf") if standby else 0.0, on_lost=lost) as me:
        sched = build_scheduler(settings)
        intervals = schedule_rules(sched, config, settings)

        def stop(signum, frame):  # noqa: ARG001 - signal handler signature
            sched.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        on = {r: s for r, s in intervals.items() if s is not None}
        where = appdata.where(settings) if appdata.postgres(settings) else \
            job_store_path(settings)
        announce(f"Scheduler running ({me}): {len(on)} rule(s) scheduled; job store in "
                 f"{where}.")
        sched.start()  # blocks until a signal shuts it down
        announce("Scheduler stopped.")


def next_run_times(settings: Settings) -> dict[str, datetime]:
    """Next scheduled run of each rule, from the job store (empty before a first start)."""
    return {jid[5:]: when.astimezone(LOCAL_TZ).replace(tzinfo=None)
            for jid, when in _stored_jobs(settings).items()
            if jid.startswith("rule:") and when is not None}
