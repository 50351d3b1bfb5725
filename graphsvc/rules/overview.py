"""Rules as jobs: what `graphsvc jobs list` and the admin jobs page show (runs are started
through graphsvc.rules.run.run_rules)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graphsvc.rules.catalogue import catalogue
from graphsvc.rules.config import load_config
from graphsvc.rules.runner import latest_runs
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


def list_jobs(store: GraphStore, settings: Settings,
              upcoming: Mapping[str, datetime] | None = None) -> list[dict[str, Any]]:
    """Each rule with its schedule, its last run and result, and its next run if scheduled.

    `upcoming` is each scheduled rule's next run as the scheduler reports it (the front door
    asks jobs.scheduler); `next_run` is None for a rule not in it (scheduler never started, or
    the rule not scheduled).
    """
    upcoming = upcoming or {}
    config = load_config(settings)
    last = latest_runs(store)
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
