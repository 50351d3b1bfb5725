"""`graphsvc import FOLDER`: load a folder in the import format, print a summary and the report."""

from __future__ import annotations

import getpass
import logging
import sys
from pathlib import Path
from typing import Any

import click

from graphsvc import audit
from graphsvc.changes import ChangeSet
from graphsvc.collector import RULE_RUNNER_MODULES, settle
from graphsvc.errors import GraphsvcError
from graphsvc.rules import run_rules
from graphsvc.settings import Settings
from graphsvc.store import open_store

log = logging.getLogger(__name__)

EXIT_REJECTS = 3  # some rows (or whole files) were rejected; the rest imported


def register(main: click.Group) -> None:
    main.add_command(import_command)


class _Bars:
    """One click progress bar per file, shown only on a terminal."""

    def __init__(self) -> None:
        self.name = ""
        self.bar: Any = None  # a click progress bar
        self.done = 0

    def __call__(self, name: str, done: int, total: int) -> None:
        if name != self.name:
            self.close()
            self.name, self.done = name, 0
            self.bar = click.progressbar(length=max(total, 1), label=f"{name:<22}",
                                         file=sys.stderr, show_eta=True)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _summary(report: dict) -> list[str]:
    lines = [f"{'file':<24}{'read':>10}{'imported':>10}{'rejected':>10}"]
    for stats in report["files"].values():
        if stats["refused"]:
            lines.append(f"{stats['file']:<24} refused: {stats['refused']}")
        else:
            lines.append(f"{stats['file']:<24}{stats['read']:>10,}{stats['imported']:>10,}"
                         f"{stats['rejected']:>10,}")
    totals = report["totals"]
    lines.append(f"{'total':<24}{totals['read']:>10,}{totals['imported']:>10,}"
                 f"{totals['rejected']:>10,}")
    lines += [f"Warning: {w}" for w in report["warnings"]]
    shown = report["rejects"][:10]
    for r in shown:
        lines.append(f"Rejected: {r['file']} line {r['line']}"
                     + (f", field {r['field']}" if r["field"] else "") + f": {r['reason']}")
    if totals["rejected"] > len(shown):
        lines.append(f"... {totals['rejected'] - len(shown):,} more rejected rows in "
                     f"{report['rejects_path']}")
    return lines


@click.command("import")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the data describes (default today): a birth date after it is rejected.")
@click.option("--run-rules", is_flag=True,
              help="Then run the rules on what this import changed (an incremental run; the "
                   "scheduled runs stay full).")
def import_command(folder: Path, as_of, run_rules: bool) -> None:  # noqa: F811 - the option
    """Import FOLDER of CSV or JSON Lines files in the import format (upserts; safe to repeat).

    Exit code 0 when every row was imported, 3 when some rows or files were rejected (the rest
    were imported; see the rejects file), 2 when nothing could be imported.
    """
    from graphsvc.importer import import_folder

    settings = Settings.from_env()
    bars = _Bars() if sys.stderr.isatty() else None
    # Only a rule run reads what changed; collecting it costs the writer time.
    changed = ChangeSet() if run_rules else None
    with open_store(settings) as store:
        store.apply_schema()  # idempotent; without its key indexes every upsert scans its label
        try:
            report = import_folder(store, folder, settings=settings, progress=bars,
                                   as_of=as_of.date() if as_of else None, changed=changed)
        except GraphsvcError as exc:
            if folder.is_dir():  # rows may have landed before the failure: record the attempt
                _record_audit(settings, folder, {"outcome": f"failed: {exc}"})
            raise
        finally:
            if bars:
                bars.close()
    _record_audit(settings, folder, {"outcome": "clean" if report["clean"] else "rejects",
                                     "report": report["report_path"], **report["totals"]})
    for line in _summary(report):
        click.echo(line)
    _link_new_records(settings)
    if changed is not None:
        _run_rules_on(settings, changed)
    click.echo(f"Report: {report['report_path']}")
    if not report["clean"]:
        click.echo(f"Rejected rows: {report['rejects_path']}")
        raise SystemExit(EXIT_REJECTS)


def _run_rules_on(settings: Settings, changed: ChangeSet) -> None:
    """Run every rule on what the import changed, then regroup the tasking clusters."""
    settle(*RULE_RUNNER_MODULES)  # what is loaded now stays: the collector leaves it alone
    with open_store(settings) as store:
        report = run_rules(store, settings, trigger="import", changed=changed, wait_s=600)
    results = report.runs
    failed = [r.rule_id for r in report.failed]
    click.echo(f"Rules on {len(changed):,} changed records: "
               f"{sum(r.flags_new for r in results):,} flags new, "
               f"{sum(r.flags_resolved for r in results):,} resolved"
               + (f"; failed: {', '.join(failed)}" if failed else "") + ".")


def _link_new_records(settings: Settings) -> None:
    """Link the records this import added or changed, once a linkage model has been trained."""
    from graphsvc.identities.resolve import has_model, resolve_identities

    if not has_model(settings):
        return
    with open_store(settings) as store:
        linked = resolve_identities(store, settings, by=getpass.getuser(), role="cli",
                                    incremental=True)
    click.echo(f"Linkage: {linked.compared:,} new or changed records compared; "
               f"{len(linked.new_links):,} links new or changed.")


def _record_audit(settings: Settings, folder: Path, outcome: dict) -> None:
    """Record the import in the audit log as an alteration of the graph, by the OS user."""
    audit.record(settings, user=getpass.getuser(), role="cli", kind="alteration",
                 action="import", asked={"folder": str(folder.absolute()), **outcome},
                 shown=[])
