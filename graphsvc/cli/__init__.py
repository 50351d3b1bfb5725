"""The `graphsvc` command line. Every error ends in one plain message and a non-zero exit code."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import traceback
from datetime import datetime

import click

from graphsvc.errors import GraphsvcError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

# Modules that each add their commands to `main` through `register(main)`.
COMMAND_MODULES = [
    "graphsvc.cli.db",  # init-db, status, engine
    "graphsvc.cli.importing",  # import
    "graphsvc.cli.synth",  # synth
    "graphsvc.cli.rules",  # jobs, flags, scheduler
    "graphsvc.cli.web",  # serve, users, tokens
    "graphsvc.cli.audit",  # audit verify / export
    "graphsvc.cli.tasking",  # clusters
    "graphsvc.cli.identities",  # identities list / decide / resolve
]


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
        path = folder / f"error-{datetime.now():%Y%m%d-%H%M%S}.log"
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


for _module in COMMAND_MODULES:
    if importlib.util.find_spec(_module) is not None:  # areas not yet built add no commands
        importlib.import_module(_module).register(main)
