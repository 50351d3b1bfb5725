"""The rule runner: run a rule as of a date, turn its rows into flags, record each run."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from graphsvc import flags
from graphsvc.changes import ChangeSet
from graphsvc.dates import parse_date
from graphsvc.errors import GraphsvcError, InputError
from graphsvc.rules import incremental
from graphsvc.rules.catalogue import catalogue, get_rule
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


def as_of_date(value: date | str | None) -> date:
    """The day rules look at: today when not given; a plain error for a bad or future date."""
    if value is None:
        return date.today()
    value = parse_date(value, "as-of date", required=True)
    if value > date.today():
        raise InputError(f"The as-of date {value.isoformat()} is in the future; rules look at "
                         "what is known up to a date, today at the latest.")
    return value


def moment_of(as_of: date, now: datetime | None = None) -> datetime:
    """The moment a rule looks at: now when as_of is today, else the last second of as_of."""
    now = (now or datetime.now()).replace(microsecond=0)
    return now if as_of >= now.date() else datetime.combine(as_of, time(23, 59, 59))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def query_params(values: dict[str, Any], as_of: date, now: datetime | None = None
                 ) -> dict[str, Any]:
    """Everything a rule statement receives: its parameters plus dates worked out here.

    Date arithmetic is done in Python because FalkorDB's `date - duration({days: n})` is not
    exact for spans of weeks or more: `$as_of`, `$as_at` (the moment looked at), `$born_after`
    (a child was born after it), and for each `X_days` parameter `$X_days_since` (as_of minus
    X days), for each `X_hours` parameter `$X_hours_before` (as_at minus X hours), and
    `$anchors` null (a full run; incremental runs pass the keys they re-evaluate).
    """
    as_at = moment_of(as_of, now)
    out = {**values, "as_of": as_of, "as_at": as_at, "born_after": years_before(as_of, 18),
           "anchors": None}
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
    rows = store.read(rule.query, **query_params(rule.values(params), day))
    return flags.found_from_rows(rule.id, rows)


def run_rule(store: GraphStore, rule_id: str, *, as_of: date | str | None = None,
             params: dict[str, Any] | None = None, trigger: str = "manual",
             batch_size: int = 5000, changed: ChangeSet | None = None) -> dict[str, Any]:
    """Run one rule as of a date (default today) and bring its flags up to date.

    `changed`: only what these changed records can affect is re-evaluated and compared with the
    standing flags (graphsvc/rules/incremental.py); None runs the rule in full.

    Returns the run's summary; a failure inside the run is logged, stored on its JobRun and
    returned as `error` (an unknown rule or a bad parameter is raised as InputError).
    """
    rule = get_rule(rule_id)
    day = as_of_date(as_of)
    values = rule.values(params)
    run_id = uuid.uuid4().hex
    started = datetime.now().replace(microsecond=0)
    result: dict[str, Any] = {"run_id": run_id, "rule_id": rule.id, "as_of": day.isoformat(),
                              "started_at": started.isoformat(), "rows": 0, "flags_new": 0,
                              "flags_updated": 0, "flags_resolved": 0, "flags_reopened": 0,
                              "error": None, "status": "running"}
    store.write("flags/run_start", run_id=run_id, rule_id=rule.id, as_of=day, at=started,
                params_json=json.dumps(values, sort_keys=True), trigger=trigger)
    try:
        found, standing, rows = incremental.evaluate(store, rule, query_params(values, day),
                                                     changed)
        changes = flags.plan_changes(standing, found)
        flags.apply_changes(store, changes, found, as_of=day, at=started, run_id=run_id,
                            batch_size=batch_size)
        result.update(rows=rows, flags_new=changes.new, flags_updated=changes.updated,
                      flags_resolved=changes.resolved, flags_reopened=changes.reopened,
                      flags=len(found), status="ok")
    except Exception as exc:  # the job boundary: record the failure, let the other rules run
        log.exception("Rule %s failed (run %s)", rule.id, run_id)
        result.update(status="failed", error=_plain(exc))
    ended = datetime.now().replace(microsecond=0)
    result["ended_at"] = ended.isoformat()
    try:
        store.write("flags/run_finish", run_id=run_id, at=ended, status=result["status"],
                    rows=result["rows"], flags_new=result["flags_new"],
                    flags_updated=result["flags_updated"],
                    flags_resolved=result["flags_resolved"],
                    flags_reopened=result["flags_reopened"], error=result["error"])
    except GraphsvcError as exc:
        log.error("Could not record the end of run %s of %s: %s", run_id, rule.id, exc)
        if result["error"] is None:
            result.update(status="failed", error=_plain(exc))
    log.info("Rule %s as of %s: %s rows, %s new, %s updated, %s resolved, %s reopened%s",
             rule.id, day, result["rows"], result["flags_new"], result["flags_updated"],
             result["flags_resolved"], result["flags_reopened"],
             f" (failed: {result['error']})" if result["error"] else "")
    return result


def run_rules(store: GraphStore, rule_ids: list[str] | None = None, *,
              as_of: date | str | None = None,
              progress: Callable[[dict[str, Any]], None] | None = None,
              params: dict[str, dict[str, Any]] | None = None,
              trigger: str = "manual", changed: ChangeSet | None = None
              ) -> list[dict[str, Any]]:
    """Run several rules (default: all); one failing rule does not stop the others.

    `changed`: an incremental run over these changed records (see `run_rule`)."""
    ids = list(rule_ids) if rule_ids else list(catalogue())
    for rule_id in ids:
        get_rule(rule_id).values((params or {}).get(rule_id))  # bad input fails before any run
    unknown = sorted(set(params or {}) - set(catalogue()))
    if unknown:
        get_rule(unknown[0])
    as_of_date(as_of)
    results = []
    for rule_id in ids:
        result = run_rule(store, rule_id, as_of=as_of, params=(params or {}).get(rule_id),
                          trigger=trigger, changed=changed)
        results.append(result)
        if progress:
            progress(result)
    return results


def latest_runs(store: GraphStore) -> dict[str, dict[str, Any]]:
    """The most recent JobRun of each rule, by rule id."""
    return {r["rule_id"]: r["run"] for r in store.read("flags/runs_latest")}


def runs_of(store: GraphStore, rule_id: str) -> list[dict[str, Any]]:
    """Every JobRun of one rule, oldest first."""
    get_rule(rule_id)
    return [r["run"] for r in store.read("flags/runs_for_rule", rule_id=rule_id)]
