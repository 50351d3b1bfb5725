"""Task functions the scheduler runs: importable, with serialisable arguments, each its own unit.

Each task takes the per-rule lock, so the scheduler and `graphsvc jobs run` (or a second
scheduler started by mistake) never run the same rule at once.
"""

from __future__ import annotations

import logging
from typing import Any

from graphsvc import clusters
from graphsvc.identities.resolve import link_changed_records
from graphsvc.locks import LockHeld, rule_lock
from graphsvc.rules import run_rule
from graphsvc.rules.config import load_config
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


def recompute_clusters(store: GraphStore, settings: Settings) -> dict:
    """Recompute the tasking clusters after flags changed."""
    return clusters.recompute(store, settings)


def run_rule_task(rule_id: str, as_of: str | None = None) -> dict[str, Any]:
    """Run one rule now under its lock, then recompute clusters; never raises (a job boundary)."""
    settings = Settings.from_env()
    try:
        params = load_config(settings).params.get(rule_id)
        with rule_lock(settings, rule_id), open_store(settings) as store:
            link_changed_records(store, settings, by="scheduler")  # rules see linked records
            result = run_rule(store, rule_id, as_of=as_of, params=params, trigger="scheduler")
            if result["error"] is None and (result["flags_new"] or result["flags_resolved"]
                                            or result["flags_reopened"]
                                            or result["flags_updated"]):
                try:
                    recompute_clusters(store, settings)
                except Exception:  # clusters failing must not hide that the rule ran
                    log.exception("Recomputing clusters after %s failed", rule_id)
            return result
    except LockHeld:
        log.warning("Rule %s is already running in another process; this turn is skipped.",
                    rule_id)
        return {"rule_id": rule_id, "skipped": True, "error": None}
    except Exception as exc:
        log.exception("The scheduled run of %s failed", rule_id)
        return {"rule_id": rule_id, "error": f"{type(exc).__name__}: {exc}"}
