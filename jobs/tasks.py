"""Task functions the scheduler runs: importable, with serialisable arguments, each its own unit.

Each task runs its rule through graphsvc.rules.run_rules, which takes the per-rule lock, so the
scheduler and `graphsvc jobs run` (or a second scheduler started by mistake) never run the same
rule at once.
"""

from __future__ import annotations

import logging
from typing import Any

from graphsvc.rules import run_rules
from graphsvc.settings import Settings
from graphsvc.store import open_store

log = logging.getLogger(__name__)


def run_rule_task(rule_id: str, as_of: str | None = None) -> dict[str, Any]:
    """Run one rule now under its lock, then regroup clusters; never raises (a job boundary)."""
    settings = Settings.from_env()
    try:
        with open_store(settings) as store:
            report = run_rules(store, settings, [rule_id], as_of=as_of, trigger="scheduler")
    except Exception as exc:
        log.exception("The scheduled run of %s failed", rule_id)
        return {"rule_id": rule_id, "status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    (run,) = report.runs
    if run.status == "busy":
        log.warning("Rule %s is already running in another process; this turn is skipped.",
                    rule_id)
    return run.as_dict()
