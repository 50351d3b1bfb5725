"""Commands for the graph itself: schema, status, and the embedded engine."""

from __future__ import annotations

import json

import click

from graphsvc import appdata
from graphsvc.appdata import migrate
from graphsvc.errors import ConfigError
from graphsvc.settings import Settings
from graphsvc.store import open_store


def register(main: click.Group) -> None:
    main.add_command(init_db)
    main.add_command(status)
    main.add_command(engine)


@click.command("init-db")
def init_db() -> None:
    """Create the graph's constraints and indexes, and bring the application database's
    schema up to date (safe to run again)."""
    with open_store() as store:
        done = store.apply_schema()
        click.echo(f"Schema ready on {store.describe()['engine']} "
                   f"({len(done)} constraints and indexes created or confirmed).")
    settings = Settings.from_env()
    versions = {store: migrate.upgrade(settings, store) for store in appdata.STORES}
    click.echo("Application database ready (" + ", ".join(
        f"{store} store at version {v}" for store, v in versions.items()) +
        f"; {appdata.where(settings) if appdata.postgres(settings) else settings.app_dir}).")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def status(as_json: bool) -> None:
    """Show the engine, where its data lives, and node and relationship counts."""
    with open_store() as store:
        info = {**store.describe(), **store.counts()}
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    for key in ("engine", "graph", "data", "uri", "database"):
        if key in info:
            click.echo(f"{key:<10} {info[key]}")
    click.echo("nodes:" if info["nodes"] else "nodes:     none")
    for label, count in info["nodes"].items():
        click.echo(f"  {label:<22} {count:>10,}")
    click.echo("relationships:" if info["relationships"] else "relationships: none")
    for rtype, count in info["relationships"].items():
        click.echo(f"  {rtype:<22} {count:>10,}")


@click.group()
def engine() -> None:
    """Start or stop the embedded graph engine."""


def _embedded() -> Settings:
    settings = Settings.from_env()
    if not settings.embedded:
        raise ConfigError("GRAPHSVC_GRAPH_URI points at Neo4j; there is no embedded engine to "
                          "manage.")
    return settings


@engine.command("start")
def engine_start() -> None:
    """Start the embedded engine (does nothing if it already runs)."""
    from graphsvc.store.engine import EmbeddedEngine

    process = EmbeddedEngine(_embedded())
    process.clear_restarts()  # a person is looking after it now
    started = process.ensure_running()
    click.echo(("Started" if started else "Already running:") +
               f" embedded graph engine (pid {process.pid()}, data in {process.dir}).")


@engine.command("stop")
def engine_stop() -> None:
    """Stop the embedded engine cleanly."""
    from graphsvc.store.engine import EmbeddedEngine

    process = EmbeddedEngine(_embedded())
    if process.stop():
        click.echo("Stopped the embedded graph engine.")
    else:
        click.echo("The embedded graph engine was not running.")


@engine.command("status")
def engine_status() -> None:
    """Say whether the embedded engine runs."""
    from graphsvc.store.engine import EmbeddedEngine

    process = EmbeddedEngine(_embedded())
    if process.is_running():
        click.echo(f"Running (pid {process.pid()}, data in {process.dir}).")
    else:
        click.echo(f"Not running (data in {process.dir}).")
        raise SystemExit(3)
