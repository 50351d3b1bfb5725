"""Running the rules: the one path every front door takes (scheduler, jobs page, CLI, tests,
benches).

Checks every rule and parameter before anything runs, reads rules.toml, links new records,
runs each rule under its lock (a rule another process is running is reported busy, not run
twice), tolerates a failing rule, then regroups the tasking clusters if any flag changed. A
failure to regroup is reported, never raised: the rules ran and the board says it is stale.

Rules run `settings.rule_workers` at a time (default 2): while one waits for the engine, another
turns its rows into flags, and the engine answers two statements at once. Their writes go one at
a time (a lock), so no two rules' writes interleave. Rules never read what another rule writes
(each compares only its own flags), so the order does not change what they find: the slowest
first, by what each took the last time this process ran it, so that no long rule starts last.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graphsvc import clusters
from graphsvc.changes import ChangeSet
from graphsvc.flags.keys import ensure_keyed
from graphsvc.locks import LockHeld, rule_lock
from graphsvc.rules.catalogue import catalogue, get_rule
from graphsvc.rules.config import load_config, merged_params
from graphsvc.rules.incremental import ScopeReads
from graphsvc.rules.runner import RuleRun, as_of_date, run_rule
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# Seconds each rule took the last time this process ran it, in full (False) or incrementally
# (True): a run of several starts the slowest first.
_last_seconds: dict[tuple[str, bool], float] = {}

REGROUP_FAILED = ("The tasking clusters could not be recomputed; the board shows the previous "
                  "clustering until the next run. The details are in the server log.")


@dataclass
class RunReport:
    """What a run of the rules did: each rule's run, and the clusters regrouped after them."""

    runs: list[RuleRun] = field(default_factory=list)
    clusters: clusters.Recomputed | None = None  # what regrouping did, when it ran
    regroup_error: str | None = None  # REGROUP_FAILED when regrouping failed

    @property
    def failed(self) -> list[RuleRun]:
        return [r for r in self.runs if r.error]

    @property
    def changed_flags(self) -> bool:
        return any(r.changed_flags for r in self.runs)


def run_rules(store: GraphStore, settings: Settings, rule_ids: list[str] | None = None, *,
              as_of: date | str | None = None,
              overrides: dict[str, dict[str, Any]] | None = None, wait_s: float = 0,
              trigger: str = "manual", announce: Callable[[str], None] | None = None,
              regroup: bool = True, changed: ChangeSet | None = None,
              workers: int | None = None) -> RunReport:
    """Run rules now (default: all), each under its lock, with rules.toml parameters and
    `overrides`; then regroup the clusters if a flag changed (`regroup=False` only for a bench
    that times clustering apart). `changed`: an incremental run over these changed records
    (graphsvc/rules/incremental.py); None runs every rule in full. `workers`: rules evaluated
    at once (default settings.rule_workers). The report lists the runs in the order asked.

    Unknown rules, bad parameters and a bad date are InputErrors raised before anything runs.
    """
    ids = list(rule_ids) if rule_ids else list(catalogue())
    for rule_id in ids:
        get_rule(rule_id)  # an unknown id fails before anything runs
    params = merged_params(load_config(settings), overrides)
    for rule_id in ids:
        get_rule(rule_id).values(params.get(rule_id))
    as_of_date(as_of)
    # Imported here: record linkage loads pandas and Splink, which listing jobs never needs.
    from graphsvc.identities.resolve import link_changed_records

    linked = link_changed_records(store, settings, by=f"rules:{trigger}")  # rules see links
    if changed is not None and linked is not None:  # a new or dropped link changes both records
        changed = _with_links(changed, linked.new_links, linked.dropped)
    if changed is not None:
        ensure_keyed(store)  # once, before the rules that read flags by their keys start
    scope_reads = ScopeReads()  # a scope statement shared by rules is read once per turn
    write_lock = threading.Lock()

    def one(rule_id: str) -> RuleRun:
        if announce:
            announce(rule_id)
        started = time.perf_counter()
        run = _run_locked(store, settings, rule_id, as_of=as_of, params=params.get(rule_id),
                          wait_s=wait_s, trigger=trigger, changed=changed,
                          scope_reads=scope_reads, write_lock=write_lock)
        _last_seconds[(rule_id, changed is not None)] = time.perf_counter() - started
        return run

    slowest_first = sorted(ids, key=lambda r: -_last_seconds.get((r, changed is not None), 0))
    with ThreadPoolExecutor(max_workers=min(workers or settings.rule_workers, len(ids)),
                            thread_name_prefix="rule") as pool:
        done = dict(zip(slowest_first, pool.map(one, slowest_first), strict=True))
    report = RunReport(runs=[done[rule_id] for rule_id in ids])
    if regroup and report.changed_flags:
        try:
            report.clusters = clusters.recompute(store, settings)
        except Exception:  # the rules ran: say the board is stale, do not hide the results
            log.exception("Recomputing clusters after a %s rule run failed", trigger)
            report.regroup_error = REGROUP_FAILED
    return report


def _with_links(changed: ChangeSet, new_links: list[tuple[str, str, str]],
                dropped: list[tuple[str, str]]) -> ChangeSet:
    """The change set plus the records of every SAME_AS link the linkage made or dropped."""
    out = ChangeSet()
    out.update(changed)
    for link in [*new_links, *dropped]:
        out.add("person_id", link[0])
        out.add("person_id", link[1])
    return out


def _run_locked(store: GraphStore, settings: Settings, rule_id: str, *,
                as_of: date | str | None, params: dict[str, Any] | None, wait_s: float,
                trigger: str, changed: ChangeSet | None, scope_reads: ScopeReads,
                write_lock: threading.Lock) -> RuleRun:
    try:
        with rule_lock(settings, rule_id, wait_s=wait_s):
            return run_rule(store, rule_id, as_of=as_of, params=params, trigger=trigger,
                            changed=changed, scope_reads=scope_reads, write_lock=write_lock)
    except LockHeld:
        why = (f"another process kept running this rule for more than {wait_s:g} s; not run"
               if wait_s else "this rule is already running (started by the scheduler or "
                              "someone else); not run this time")
        log.warning("Rule %s not run (%s): %s", rule_id, trigger, why)
        return RuleRun(rule_id=rule_id, status="busy", error=why)
