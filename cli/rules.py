"""Commands for the rule pack: `jobs run|list`, `flags list|show|decide`, `scheduler`."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from graphsvc import flags as flag_domain
from graphsvc import model
from graphsvc.collector import RULE_RUNNER_MODULES, settle
from graphsvc.decisions import decide_flags
from graphsvc.errors import InputError
from graphsvc.flag_text import describe_flag, describe_flags
from graphsvc.locks import LockHeld
from graphsvc.rules import RuleRun, run_rules
from graphsvc.rules.catalogue import get_rule
from graphsvc.rules.config import parse_param_options
from graphsvc.rules.overview import list_jobs
from graphsvc.settings import Settings
from graphsvc.store import open_store
from jobs.scheduler import next_run_times, run_scheduler


def register(main: click.Group) -> None:
    main.add_command(jobs)
    main.add_command(flags)
    main.add_command(scheduler)


@click.group()
def jobs() -> None:
    """Run the rules now, or see when they ran and will run."""


@jobs.command("run")
@click.argument("rule_ids", nargs=-1, metavar="[RULE]...")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Evaluate as of this date (YYYY-MM-DD); default today.")
@click.option("--param", "param_options", multiple=True, metavar="RULE.NAME=VALUE",
              help="Override a rule parameter for this run (repeatable).")
@click.option("--wait", "wait_s", default=600, show_default=True, type=int,
              help="Seconds to wait for a rule another process is running.")
def jobs_run(rule_ids: tuple[str, ...], as_of: str | None, param_options: tuple[str, ...],
             wait_s: int) -> None:
    """Run rules now (default: all) and show what changed in their flags."""
    settings = Settings.from_env()
    overrides = parse_param_options(param_options)
    log_path = _log_runs_to_file(settings)
    settle(*RULE_RUNNER_MODULES)  # what is loaded now stays: the collector leaves it alone
    with open_store(settings) as store:
        report = run_rules(store, settings, list(rule_ids), as_of=as_of, overrides=overrides,
                           wait_s=wait_s, trigger="cli",
                           announce=lambda rule_id: click.echo(f"Running {rule_id} ...",
                                                               err=True))
    _print_summary(report.runs)
    if report.clusters:
        click.echo(f"Tasking clusters recomputed: {report.clusters['clusters']} clusters of "
                   f"{report.clusters['open_flags']} open flags.")
    for r in report.failed:
        click.secho(f"Rule {r.rule_id} failed: {r.error}", err=True, fg="red")
    if report.regroup_error:
        click.secho("The tasking clusters could not be recomputed; the board shows the previous "
                    "clustering until the next run.", err=True, fg="red")
    if report.failed or report.regroup_error:
        click.echo(f"The details are in {log_path}.", err=True)
        raise SystemExit(1)


def _log_runs_to_file(settings: Settings) -> Path:
    """Send the runner's log (with any traceback) to `<data_dir>/logs/jobs.log`, not the screen."""
    folder = Path(settings.data_dir) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jobs.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    runner = logging.getLogger("graphsvc.rules")
    runner.addHandler(handler)
    runner.propagate = False
    return path


def _print_summary(results: list[RuleRun]) -> None:
    head = f"{'rule':<40} {'rows':>6} {'new':>5} {'updated':>8} {'resolved':>9} {'reopened':>9}"
    click.echo(head)
    for r in results:
        mark = "  FAILED" if r.error else ""
        click.echo(f"{r.rule_id:<40} {r.rows:>6} {r.flags_new:>5} "
                   f"{r.flags_updated:>8} {r.flags_resolved:>9} {r.flags_reopened:>9}{mark}")


@jobs.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def jobs_list(fmt: str) -> None:
    """Each rule: its schedule, its last run and result, and its next scheduled run."""
    settings = Settings.from_env()
    with open_store(settings) as store:
        found = list_jobs(store, settings, next_run_times(settings))
    rows = [{"rule_id": j["rule_id"], "schedule": j["schedule"], "last_run": _when(j["last_run"]),
             "result": j["result"],
             "next_run": _when(j["next_run"]) or "(scheduler not started)"} for j in found]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'rule':<40} {'schedule':<11} {'last run':<20} {'next run':<24} result")
    for r in rows:
        click.echo(f"{r['rule_id']:<40} {r['schedule']:<11} {r['last_run'] or '-':<20} "
                   f"{r['next_run']:<24} {r['result']}")


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value) if value else ""


@click.group()
def flags() -> None:
    """List flags, show one with its history, record a decision."""


def _flag_json(flag: dict[str, Any]) -> dict[str, Any]:
    out = {k: flag.get(k) for k in ("flag_id", "rule_id", "severity", "status", "summary")}
    out["evidence"] = flag.get("evidence", {})
    out["entities"] = flag.get("entities", {})
    for key in ("first_seen", "last_seen", "status_changed_at", "resolved_at", "reopened_at"):
        if flag.get(key) is not None:
            out[key] = _when(flag[key])
    for key in ("action", "owner", "due_date"):
        if flag.get(key) is not None:
            out[key] = str(flag[key])
    return out


@flags.command("list")
@click.option("--rule", default=None, help="Only this rule's flags.")
@click.option("--status", default=None,
              type=click.Choice(list(model.STATUSES)), help="Only flags with this status.")
@click.option("--open", "open_only", is_flag=True, help="Only new and under-review flags.")
@click.option("--entity", "entity_key", default=None, metavar="KEY=VALUE",
              help="Only flags concerning this entity, e.g. person_id=P1.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def flags_list(rule: str | None, status: str | None, open_only: bool, entity_key: str | None,
               fmt: str) -> None:
    """Flags, most severe first."""
    if rule is not None:
        get_rule(rule)
    with open_store() as store:
        found = flag_domain.list_flags(store, rule=rule, status=status, open_only=open_only,
                                       entity_key=entity_key)
        if fmt == "json":
            click.echo(json.dumps([_flag_json(f) for f in found], indent=2, default=str))
            return
        words = describe_flags(store, [f["flag_id"] for f in found]) if found else {}
    if not found:
        click.echo("No flags.")
        return
    click.echo(f"{'flag':<58} {'severity':<9} {'status':<18} summary")
    for f in found:
        said = words.get(f["flag_id"])
        click.echo(f"{f['flag_id']:<58} {f['severity']:<9} {f['status']:<18} "
                   f"{said.summary if said else f['summary']}")
    click.echo(f"{len(found)} flag(s).")


@flags.command("show")
@click.argument("flag_id")
def flags_show(flag_id: str) -> None:
    """One flag: its evidence, the entities it concerns and its full history."""
    with open_store() as store:
        flag = flag_domain.get_flag(store, flag_id)
        said = describe_flag(store, flag_id)
    click.echo(f"{flag['flag_id']}  {flag['severity']}  {flag['status']}  ({said.title})")
    click.echo(str(said.summary))
    click.echo("Concerns:")
    for e in flag["concerned"]:
        click.echo(f"  {e['role']:<20} {e['entity_key']:<36} {e['name']}")
    click.echo("Evidence:")
    for line in said.evidence:
        click.echo(f"  - {line}")
    click.echo("Evidence as recorded:")
    click.echo("  " + json.dumps(flag["evidence"], indent=2, default=str).replace("\n", "\n  "))
    click.echo("History:")
    for ev in flag["history"]:
        extra = "".join(f", {k} {ev[k]}" for k in ("action", "owner", "due_date") if ev.get(k))
        click.echo(f"  {_when(ev.get('at'))}  {ev.get('by')}: {ev.get('kind')} "
                   f"{ev.get('from_status') or '-'} -> {ev.get('to_status')}: "
                   f"{ev.get('reason') or ''}{extra}")


@flags.command("decide")
@click.argument("flag_id")
@click.option("--by", required=True, help="Who decided.")
@click.option("--status", required=True,
              type=click.Choice(list(model.DECISIONS)))
@click.option("--reason", required=True, help="Why.")
@click.option("--action", default=None, help="The action agreed.")
@click.option("--owner", default=None, help="Who owns the action.")
@click.option("--due", "due_date", default=None, metavar="DATE", help="When it is due.")
def flags_decide(flag_id: str, by: str, status: str, reason: str, action: str | None,
                 owner: str | None, due_date: str | None) -> None:
    """Record a decision on a flag (the tasking board does the same); the board's clusters
    follow at once."""
    settings = Settings.from_env()
    with open_store(settings) as store:
        done = decide_flags(store, settings, [flag_id], by=by, status=status, reason=reason,
                            action=action, owner=owner, due_date=due_date)
    click.echo(f"Flag {flag_id} is now {status.replace('_', ' ')}.")
    if done.board is None:
        click.echo("The tasking board could not be updated now; it will be at the next "
                   "`graphsvc clusters recompute`.", err=True)


@click.command()
@click.option("--standby", is_flag=True,
              help="If another scheduler runs, wait and take over when it stops.")
def scheduler(standby: bool) -> None:
    """Run the rules on their schedules in this process until stopped (Ctrl-C)."""
    settings = Settings.from_env()
    settle(*RULE_RUNNER_MODULES)  # what is loaded now stays: the collector leaves it alone
    try:
        run_scheduler(settings, standby=standby,
                      announce=lambda text: click.echo(text, err=True))
    except LockHeld as exc:
        raise InputError(f"Another scheduler is already running for this application "
                         f"database ({exc}); not starting a second one. Use --standby to wait "
                         "and take over when it stops.") from None
