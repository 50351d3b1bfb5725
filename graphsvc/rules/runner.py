"""The rule runner: run a rule as of a date, turn its rows into flags, record each run."""

from __future__ import annotations

import json
import logging
import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from time import time_ns
from typing import Any

from graphsvc import dates, flags
from graphsvc.changes import ChangeSet, full_run_anchors
from graphsvc.dates import ADULT_AGE, add_years, parse_date
from graphsvc.errors import GraphsvcError, InputError
from graphsvc.flags.keys import material_of
from graphsvc.identities.persons import with_linked_records
from graphsvc.rules import incremental
from graphsvc.rules.catalogue import get_rule
from graphsvc.rules.hubs import CHILD_ANCHORS
from graphsvc.rules.pairs import rule_rows
from graphsvc.rules.phases import Phases
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


def as_of_date(value: date | str | None) -> date:
    """The day rules look at: today when not given; a plain error for a bad or future date."""
    if value is None:
        return dates.today()
    value = parse_date(value, "as-of date", required=True)
    if value > dates.today():
        raise InputError(f"The as-of date {value.isoformat()} is in the future; rules look at "
                         "what is known up to a date, today at the latest.")
    return value


def moment_of(as_of: date, now: datetime | None = None) -> datetime:
    """The moment a rule looks at: now when as_of is today, else the last second of as_of."""
    now = (now or dates.graph_now()).replace(microsecond=0)
    return now if as_of >= now.date() else datetime.combine(as_of, time(23, 59, 59))


def query_params(values: dict[str, Any], as_of: date, now: datetime | None = None
                 ) -> dict[str, Any]:
    """Everything a rule statement receives: its parameters plus dates worked out here.

    Date arithmetic is done in Python because FalkorDB's `date - duration({days: n})` is not
    exact for spans of weeks or more: `$as_of`, `$as_at` (the moment looked at), `$born_after`
    (a child was born after it), and for each `X_days` parameter `$X_days_since` (as_of minus
    X days), for each `X_hours` parameter `$X_hours_before` (as_at minus X hours), and
    `$anchors` and the entry lists `$anchor_person_ids`, `$anchor_address_ids`, ... null (a full
    run; incremental runs pass the keys they re-evaluate, graphsvc/rules/incremental.py), as
    is `$anchor_child_ids` (the changed children a hub's flag is compared with first,
    graphsvc/rules/hubs.py).
    """
    as_at = moment_of(as_of, now)
    out = {**values, "as_of": as_of, "as_at": as_at, "born_after": add_years(as_of, -ADULT_AGE),
           "anchors": None, **full_run_anchors(), CHILD_ANCHORS: None}
    for name, value in values.items():
        if name.endswith("_days"):
            out[f"{name}_since"] = as_of - timedelta(days=value)
        elif name.endswith("_hours"):
            out[f"{name}_before"] = as_at - timedelta(hours=value)
    return out


def _plain(exc: BaseException) -> str:
    if isinstance(exc, GraphsvcError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def evaluate_rule(store: GraphStore, rule_id: str, *, as_of: date | str | None = None,
                  params: dict[str, Any] | None = None) -> list[flags.Found]:
    """What the rule finds as of a date, merged by flag identity, without writing anything."""
    rule = get_rule(rule_id)
    day = as_of_date(as_of)
    rows = with_linked_records(store, rule_rows(store, rule,
                                                query_params(rule.values(params), day)))
    return flags.found_from_rows(rule.id, rows)


@dataclass
class RuleRun:
    """One rule's run: what it found and changed, or why it failed or did not run.

    `status` is "ok", "failed" (`error` says why) or "busy" (another process held the rule's
    lock, so it was not run; `error` says so). Attribute names match the JobRun node's.
    """

    rule_id: str
    status: str = "running"
    error: str | None = None
    run_id: str = ""
    as_of: str = ""
    started_at: str = ""
    ended_at: str = ""
    rows: int = 0
    flags_new: int = 0
    flags_updated: int = 0
    flags_resolved: int = 0
    flags_reopened: int = 0
    flags: int = 0  # flags the rule finds now
    # Seconds per phase of the run (graphsvc/rules/phases.py): scope, statement, linked,
    # standing, compare, write.
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def changed_flags(self) -> bool:
        """Whether the run changed a flag (then the tasking clusters need regrouping)."""
        return self.error is None and bool(self.flags_new or self.flags_updated
                                           or self.flags_resolved or self.flags_reopened)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_rule(store: GraphStore, rule_id: str, *, as_of: date | str | None = None,
             params: dict[str, Any] | None = None, trigger: str = "manual",
             batch_size: int = 5000, changed: ChangeSet | None = None,
             scope_reads: incremental.ScopeReads | None = None,
             write_lock: AbstractContextManager[Any] | None = None) -> RuleRun:
    """Run one rule as of a date (default today) and bring its flags up to date.

    `changed`: only what these changed records can affect is re-evaluated and compared with the
    standing flags (graphsvc/rules/incremental.py); None runs the rule in full.
    `scope_reads`: scope statements already read in this run of several rules (run_rules).
    `write_lock`: held for each of the run's writes, when several rules run at once (run_rules).

    A failure inside the run is logged, stored on its JobRun and returned in `error` (an
    unknown rule or a bad parameter is raised as InputError). Without locks, configuration or
    clusters: front doors call graphsvc.rules.run.run_rules, which adds them.
    """
    rule = get_rule(rule_id)
    day = as_of_date(as_of)
    values = rule.values(params)
    started, started_ns = dates.graph_now(), time_ns()
    result = RuleRun(rule_id=rule.id, run_id=uuid.uuid4().hex, as_of=day.isoformat(),
                     started_at=started.isoformat())
    writing = write_lock or nullcontext()
    with writing:
        store.write("flags/run_start", run_id=result.run_id, rule_id=rule.id, as_of=day,
                    at=started, started_ns=started_ns,
                    params_json=json.dumps(values, sort_keys=True), trigger=trigger)
    phases = Phases()
    try:
        found, standing, rows = incremental.evaluate(store, rule, query_params(values, day),
                                                     changed, phases, scope_reads)
        with phases("compare"):
            changes = flags.plan_changes(standing, found,
                                         lambda ids: material_of(store, ids))
        with writing, phases("write"):
            flags.apply_changes(store, changes, found, as_of=day, at=started,
                                run_id=result.run_id, batch_size=batch_size)
        result.rows, result.flags = rows, len(found)
        result.flags_new, result.flags_updated = changes.new, changes.updated
        result.flags_resolved, result.flags_reopened = changes.resolved, changes.reopened
        result.status = "ok"
        result.seconds = phases.rounded()
    except Exception as exc:  # the job boundary: record the failure, let the other rules run
        log.exception("Rule %s failed (run %s)", rule.id, result.run_id)
        result.status, result.error = "failed", _plain(exc)
    ended = dates.graph_now()
    result.ended_at = ended.isoformat()
    try:
        with writing:
            store.write("flags/run_finish", run_id=result.run_id, at=ended,
                        status=result.status, rows=result.rows, flags_new=result.flags_new,
                        flags_updated=result.flags_updated,
                        flags_resolved=result.flags_resolved,
                        flags_reopened=result.flags_reopened, error=result.error)
    except GraphsvcError as exc:
        log.error("Could not record the end of run %s of %s: %s", result.run_id, rule.id, exc)
        if result.error is None:
            result.status, result.error = "failed", _plain(exc)
    log.info("Rule %s as of %s: %s rows, %s new, %s updated, %s resolved, %s reopened%s",
             rule.id, day, result.rows, result.flags_new, result.flags_updated,
             result.flags_resolved, result.flags_reopened,
             f" (failed: {result.error})" if result.error else "")
    return result


# What `run_finish` sets. A run still going, or one whose process was killed, has none of them:
# Neo4j stores no null property, so each is given here as None on both engines.
_FINISH_FIELDS = ("ended_at", "rows", "flags_new", "flags_updated", "flags_resolved",
                  "flags_reopened", "error")


def _run_record(run: dict[str, Any]) -> dict[str, Any]:
    return {**dict.fromkeys(_FINISH_FIELDS), **run}


def latest_runs(store: GraphStore) -> dict[str, dict[str, Any]]:
    """The most recent JobRun of each rule, by rule id."""
    return {r["rule_id"]: _run_record(r["run"]) for r in store.read("flags/runs_latest")}


def runs_of(store: GraphStore, rule_id: str) -> list[dict[str, Any]]:
    """Every JobRun of one rule, oldest first; a run not finished has `ended_at` None."""
    get_rule(rule_id)
    return [_run_record(r["run"]) for r in store.read("flags/runs_for_rule", rule_id=rule_id)]
