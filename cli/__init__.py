"""The `graphsvc` command line. Every error ends in one plain message and a non-zero exit code."""

from __future__ import annotations

import logging
import os
import sys
import traceback

import click

from graphsvc import dates
from graphsvc.errors import GraphsvcError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)



class GraphsvcGroup(click.Group):
    """A click group that turns every failure into a plain message instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GraphsvcError as exc:
            click.secho(f"Error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the last line of defence: log the trace, show a sentence
            path = _save_trace()
            click.secho(f"Error: something unexpected went wrong ({type(exc).__name__}: {exc}). "
                        f"The details are in {path}.", err=True, fg="red")
            ctx.exit(70)


def _save_trace() -> str:
    try:
        folder = Settings.from_env().data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"error-{dates.now():%Y%m%d-%H%M%S}.log"
        path.write_text(traceback.format_exc())
        return str(path)
    except (OSError, GraphsvcError):
        return "(the trace could not be saved)"


@click.group(cls=GraphsvcGroup)
@click.option("-v", "--verbose", is_flag=True, help="Show progress messages from every module.")
@click.version_option(package_name="graphsvc")
def main(verbose: bool) -> None:
    """graphsvc: risk linkage for child protection and sex offender intelligence."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


# Modules that each add their commands to `main` through `register(main)`; imported after
# `main` exists because they register on it.
from cli import (  # noqa: E402
    audit,  # audit verify / export
    db,  # init-db, status, engine
    identities,  # identities list / decide / resolve
    importing,  # import
    rules,  # jobs, flags, scheduler
    synth,  # synth
    tasking,  # clusters
    web,  # serve, users, tokens
)

for _module in (db, importing, synth, rules, web, audit, tasking, identities):
    _module.register(main)
