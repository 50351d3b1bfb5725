"""Rules as jobs: what `graphsvc jobs list` and the admin jobs page show, and a run started by hand.

Both the command line and the web page call these, so a manual run takes the same per-rule lock
as the scheduler and reads the same rules.toml parameters wherever it is started from.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from graphsvc.changes import ChangeSet
from graphsvc.locks import LockHeld, rule_lock
from graphsvc.rules.catalogue import catalogue, get_rule
from graphsvc.rules.config import load_config, merged_params
from graphsvc.rules.runner import latest_runs, run_rule
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

COUNTS = ("rows", "flags_new", "flags_updated", "flags_resolved", "flags_reopened")


def interval_text(seconds: float | None) -> str:
    """A schedule in words: `every 15m`, `every 2h`, `off`."""
    if seconds is None:
        return "off"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"every {int(seconds // size)}{unit}"
    return f"every {seconds:g}s"


def result_text(run: dict[str, Any]) -> str:
    """A run's outcome in one line: `ok: 3 rows, 1 new, ...`, `failed: why`, or `never run`."""
    if run.get("status") == "failed":
        return f"failed: {run.get('error')}"
    if run.get("status") == "ok":
        return (f"ok: {run.get('rows', 0)} rows, {run.get('flags_new', 0)} new, "
                f"{run.get('flags_updated', 0)} updated, "
                f"{run.get('flags_resolved', 0)} resolved, "
                f"{run.get('flags_reopened', 0)} reopened")
    return run.get("status") or "never run"


def list_jobs(store: GraphStore, settings: Settings) -> list[dict[str, Any]]:
    """Each rule with its schedule, its last run and result, and its next run if scheduled.

    `next_run` is None when the scheduler's job store has never been written (not started) or
    the rule is not scheduled.
    """
    from jobs.scheduler import next_run_times  # APScheduler only when asked

    config = load_config(settings)
    last = latest_runs(store)
    upcoming = next_run_times(settings)
    out = []
    for rule_id, rule in catalogue().items():
        run = last.get(rule_id) or {}
        out.append({
            "rule_id": rule_id, "description": rule.description, "severity": rule.severity,
            "schedule": interval_text(config.interval_s(rule_id)),
            "last_run": run.get("started_at"), "status": run.get("status"),
            "error": run.get("error"), **{k: run.get(k) for k in COUNTS},
            "result": result_text(run), "next_run": upcoming.get(rule_id)})
    return out


def run_now(store: GraphStore, settings: Settings, rule_ids: list[str] | None = None, *,
            as_of: date | str | None = None,
            overrides: dict[str, dict[str, Any]] | None = None, wait_s: float = 0,
            trigger: str = "manual", announce=None,
            changed: ChangeSet | None = None) -> list[dict[str, Any]]:
    """Run rules now (default: all), each under its lock, with rules.toml parameters.

    `changed` (what an import changed): an incremental run (graphsvc/rules/incremental.py).

    A rule whose lock stays taken for wait_s seconds (the scheduler or someone else is running
    it) is not run: its result says so in `error`, with `status` "busy". Unknown rules and bad
    parameters are InputErrors raised before anything runs.
    """
    ids = list(rule_ids) if rule_ids else list(catalogue())
    for rule_id in ids:
        get_rule(rule_id)  # an unknown id fails before anything runs
    params = merged_params(load_config(settings), overrides)
    for rule_id in ids:
        get_rule(rule_id).values(params.get(rule_id))
    from graphsvc.identities.resolve import link_changed_records

    link_changed_records(store, settings, by=f"rules:{trigger}")  # rules see linked records
    results = []
    for rule_id in ids:
        if announce:
            announce(rule_id)
        try:
            with rule_lock(settings, rule_id, wait_s=wait_s):
                result = run_rule(store, rule_id, as_of=as_of, params=params.get(rule_id),
                                  trigger=trigger, changed=changed)
        except LockHeld:
            why = (f"another process kept running this rule for more than {wait_s:g} s; not run"
                   if wait_s else "this rule is already running (started by the scheduler or "
                                  "someone else); not run this time")
            log.warning("Rule %s not run by hand: %s", rule_id, why)
            result = {"rule_id": rule_id, **dict.fromkeys(COUNTS, 0), "status": "busy",
                      "error": why}
        results.append(result)
    return results


def flags_changed(results: list[dict[str, Any]]) -> bool:
    """Whether any run changed a flag (then the tasking clusters need recomputing)."""
    return any(r.get(k) for r in results if not r.get("error") for k in COUNTS[1:])

