"""Commands for the audit log: `audit verify`, `anchor`, `seal` and `export`."""

from __future__ import annotations

import sys
from datetime import date

import click

from graphsvc import audit
from graphsvc.dates import parse_date
from graphsvc.settings import Settings


def register(main: click.Group) -> None:
    main.add_command(audit_group)


@click.group("audit")
def audit_group() -> None:
    """Check the audit log's hash chain, or export entries."""


@audit_group.command("verify")
@click.option("--expect-head", default="", metavar="HEAD",
              help="A head line kept elsewhere ('#SEQ HASH'): that entry must be in the log.")
def audit_verify(expect_head: str) -> None:
    """Check that no entry was edited, deleted or inserted (exit code 1 when one was)."""
    settings = Settings.from_env()
    problems, total = audit.check(settings, expect_head=expect_head)
    if problems:
        click.secho(f"The audit log has been tampered with or lost ({len(problems)} problem"
                    f"{'' if len(problems) == 1 else 's'}, {total} entries read):", fg="red",
                    err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    head = audit.head(settings)
    click.echo(f"The audit log is intact: {total} entries, each chained to the one before.")
    if expect_head:
        click.echo(f"It holds the head you gave ({expect_head.strip()}), unchanged.")
    if head:
        click.echo(f"Chain head: #{head[0]} {head[1]} (keep a copy elsewhere to anchor it).")


@audit_group.command("anchor")
def audit_anchor() -> None:
    """Write a checkpoint of the newest entry to GRAPHSVC_AUDIT_ANCHOR_DIR now."""
    seq, digest, path = audit.anchor(Settings.from_env())
    click.echo(f"Checkpoint #{seq} {digest} written to {path}.")


@audit_group.command("seal")
def audit_seal() -> None:
    """Migrate a log begun before the chain was keyed: its older entries are checked as they
    were written, then sealed by one keyed entry (once; later runs change nothing)."""
    from graphsvc.cli.web import cli_user

    sealed, seq = audit.seal_legacy(Settings.from_env(), by=cli_user())
    if not sealed:
        click.echo("Nothing to seal: every entry is on the keyed chain (or already sealed).")
    else:
        click.echo(f"{sealed} entries written before the chain was keyed are sealed by entry "
                   f"#{seq}; `graphsvc audit verify` now checks them as written.")


def _day(value: str | None, name: str) -> date | None:
    return parse_date(value, f"--{name} date")


@audit_group.command("export")
@click.option("--user", default="", help="Only this user's entries.")
@click.option("--kind", default="", help=f"Only this kind ({', '.join(audit.KINDS)}).")
@click.option("--since", default=None, help="From this date (YYYY-MM-DD, UK local).")
@click.option("--until", default=None, help="To this date, inclusive.")
@click.option("--record", "record_key", default="", help="Only entries about this record key "
              "(e.g. person_id=P1).")
@click.option("--reason", required=True, help="Why the log is exported (recorded in it).")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this CSV file (default standard output).")
def audit_export(user: str, kind: str, since: str | None, until: str | None, record_key: str,
                 reason: str, out: str | None) -> None:
    """Export entries as CSV; the export itself is recorded as a disclosure."""
    from graphsvc.cli.web import cli_user

    settings = Settings.from_env()
    filters = {"user": user, "kind": kind, "since": _day(since, "since"),
               "until": _day(until, "until"), "record_key": record_key}
    entries = audit.search(settings, **filters, limit=None)
    audit.record(settings, user=cli_user(), role="admin", kind="disclosure",
                 action="audit log exported (CSV)",
                 asked={k: str(v) for k, v in filters.items() if v},
                 shown=[f"audit={e.seq}" for e in entries], justification=reason)
    if out:
        with open(out, "w", newline="", encoding="utf-8") as handle:
            n = audit.write_csv(entries, handle)
        click.echo(f"Wrote {n} entries to {out}.", err=True)
    else:
        audit.write_csv(entries, sys.stdout)
