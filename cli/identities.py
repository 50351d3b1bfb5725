"""Commands for linked person records: `identities list|decide|resolve`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from cli.web import cli_user
from graphsvc.errors import InputError
from graphsvc.identities import STATUSES
from graphsvc.identities.links import Identity, decide_link, list_identities
from graphsvc.settings import Settings
from graphsvc.store import open_store


def register(main: click.Group) -> None:
    main.add_command(identities)


@click.group()
def identities() -> None:
    """Records of one person across source systems: link them, list them, decide on them."""


def _identity_json(identity: Identity) -> dict:
    return {"kind": identity.kind, "key": identity.key, "records": identity.records,
            "links": [{**asdict(x), "decided_at": str(x.decided_at) if x.decided_at else None}
                      for x in identity.links]}


@identities.command("list")
@click.option("--status", default=None, type=click.Choice(list(STATUSES)),
              help="Only groups with a link of this status.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def identities_list(status: str | None, fmt: str) -> None:
    """People of linked records, then pairs for review or rejected, with probability and status."""
    with open_store() as store:
        found = list_identities(store, status=status)
    if fmt == "json":
        click.echo(json.dumps([_identity_json(i) for i in found], indent=2, default=str))
        return
    if not found:
        click.echo("No linked records.")
        return
    for identity in found:
        ids = ", ".join(f"{r['person_id']} ({r['source'] or 'no source'})"
                        for r in identity.records)
        click.echo(f"{identity.kind} {identity.key}: {ids}")
        for x in identity.links:
            click.echo(f"    {x.describe()}")
    click.echo(f"{sum(i.kind == 'person' for i in found)} person(s) of linked records, "
               f"{sum(i.kind == 'pair' for i in found)} other pair(s).")


@identities.command("decide")
@click.argument("first")
@click.argument("second")
@click.option("--confirm", "decision", flag_value="confirm", help="They are one person.")
@click.option("--reject", "decision", flag_value="reject", help="They are not one person.")
@click.option("--undo", "decision", flag_value="undo", help="Withdraw the last decision.")
@click.option("--reason", required=True, help="Why (recorded in the audit log).")
@click.option("--by", default=None, help="Who decided (default: the signed-in system user).")
def identities_decide(first: str, second: str, decision: str | None, reason: str,
                      by: str | None) -> None:
    """Confirm, reject or undo the link between two person records."""
    if decision is None:
        raise InputError("Say what to decide: --confirm, --reject or --undo.")
    settings = Settings.from_env()
    with open_store(settings) as store:
        done = decide_link(store, settings, first, second, decision=decision, reason=reason,
                           by=by or cli_user(), role="intelligence")
    now = {None: "no longer linked", "confirmed": "confirmed as one person",
           "rejected": "recorded as two people", "automatic": "linked automatically again",
           "for_review": "back in the review queue"}[done.to_status]
    click.echo(f"{done.a} and {done.b}: {now} (audit entry #{done.audit_seq}).")


@identities.command("resolve")
@click.option("--train", is_flag=True,
              help="Train the model's weights on the records again (first run always does).")
@click.option("--model", "model_path", default=None, type=click.Path(dir_okay=False),
              help="Use this saved model instead of the latest one.")
@click.option("--changed-only", is_flag=True,
              help="Compare only records new or changed since the last run (as after an "
                   "import).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def identities_resolve(train: bool, model_path: str | None, changed_only: bool,
                       fmt: str) -> None:
    """Link the graph's person records across sources (officers' decisions are kept)."""
    from graphsvc.identities.resolve import resolve_identities

    settings = Settings.from_env()
    with open_store(settings) as store:
        report = resolve_identities(store, settings, by=cli_user(), role="intelligence",
                                    train=train, incremental=changed_only,
                                    model_path=Path(model_path) if model_path else None)
    if fmt == "json":
        click.echo(json.dumps(asdict(report), indent=2, default=str))
        return
    click.echo(f"Linked {report.records} records: {report.automatic} pairs linked "
               f"automatically, {report.for_review} for review, {len(report.new_links)} new or "
               f"changed, {len(report.dropped)} no longer found, {report.kept_decisions} "
               f"officer decisions kept.")
    click.echo(f"Model: {report.model_path}{' (trained now)' if report.trained else ''}; "
               f"{report.seconds.get('total', 0):.1f} s.")
