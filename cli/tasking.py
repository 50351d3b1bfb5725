"""Commands for clusters and tasking meetings: `graphsvc clusters recompute|list|show|history`."""

from __future__ import annotations

import json

import click

from graphsvc import clusters
from graphsvc.settings import Settings
from graphsvc.store import open_store


def register(main: click.Group) -> None:
    main.add_command(clusters_group)


@click.group("clusters")
def clusters_group() -> None:
    """Group open flags into clusters for the tasking board."""


@clusters_group.command("recompute")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def recompute(as_json: bool) -> None:
    """Cluster the open flags now (the scheduler does this after every rule run)."""
    settings = Settings.from_env()
    with open_store(settings) as store:
        summary = clusters.recompute(store, settings)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    events = ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in summary["events"].items())
    click.echo(f"{summary['clusters']} clusters from {summary['open_flags']} open flags "
               f"in {summary['seconds']:.2f} s (clustering {summary['cluster_s']:.2f} s)."
               + (f" Changes: {events}." if events else " No change since the last run."))


@clusters_group.command("list")
@click.option("--limit", default=50, show_default=True, help="How many clusters to show.")
def list_clusters(limit: int) -> None:
    """Show the latest clusters, best first."""
    settings = Settings.from_env()
    run = clusters.latest_run(settings)
    if run is None:
        click.echo("No clusters yet: run `graphsvc clusters recompute`.")
        return
    found = clusters.list_clusters(settings)
    click.echo(f"{'rank':>4}  {'cluster':<8} {'score':>7}  {'severity':<9} {'flags':>5}  "
               "key people / rules")
    for c in found[:limit]:
        people = ", ".join(p["name"] for p in c["key_people"]) or "-"
        click.echo(f"{c['rank']:>4}  {c['cluster_id']:<8} {c['score']:>7.1f}  "
                   f"{c['severity']:<9} {len(c['flags']):>5}  {people} / {', '.join(c['rules'])}")
    click.echo(f"{len(found)} clusters, computed {run['computed_at']} as of {run['as_of']}.")


@clusters_group.command("show")
@click.argument("cluster_id")
def show(cluster_id: str) -> None:
    """Show one cluster: its flags, entities, score working and key people."""
    settings = Settings.from_env()
    c = clusters.get_cluster(settings, cluster_id)
    click.echo(f"{c['cluster_id']}  rank {c['rank']}  score {c['score']}  ({c['severity']})")
    click.echo(c["score_method"])
    for line in c["score_lines"]:
        age = "?" if line["age_days"] is None else line["age_days"]
        click.echo(f"  {line['flag_id']:<40} {line['severity']:<8} {line['weight']:g} x "
                   f"{line['recency']} ({age} days) = {line['points']}")
    click.echo("Key people: " + (", ".join(f"{p['name']} ({p['key']}, betweenness "
                                            f"{p['betweenness']})" for p in c["key_people"])
                                 or "none"))
    click.echo("Entities: " + ", ".join(f"{e['name']} ({e['key']})" for e in c["entities"]))


@clusters_group.command("history")
@click.argument("cluster_id", required=False)
@click.option("--limit", default=50, show_default=True)
def history(cluster_id: str | None, limit: int) -> None:
    """Show what happened to clusters (new, changed, split, merged, closed), newest first."""
    for event in clusters.cluster_history(Settings.from_env(), cluster_id, limit):
        click.echo(f"{event['at']}  {event['cluster_id']:<8} {event['kind']:<12} {event['note']}")
