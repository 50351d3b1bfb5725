"""`graphsvc synth`: write a synthetic county in the import format, with planted scenarios."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import click

from graphsvc import dates
from graphsvc.errors import InputError


def register(main: click.Group) -> None:
    main.add_command(synth)


def _as_of(value: str | None) -> date:
    if not value:
        return dates.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of must be a date written YYYY-MM-DD, not {value!r}.") from None


@click.command()
@click.option("--scale", type=click.Choice(["small", "county"]), default="small",
              show_default=True, help="small: ~2,000 people, seconds; county: ~200,000 people.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Folder to write the files and expected_flags.json to.")
@click.option("--seed", type=int, default=7, show_default=True,
              help="The same seed and date always give the same files.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Date the data is generated relative to (default: today).")
@click.option("--counties", type=int, default=1, show_default=True,
              help="Adjacent counties, each its own postcode area, with children placed and "
                   "offenders moved across county lines (docs/scale.md).")
@click.option("--id-spaces", is_flag=True,
              help="Instead: people in three id spaces (visor, rms, childrens_services) with "
                   "a truth file, for record linkage (small: ~3,000 people; county: ~100,000).")
def synth(scale: str, out: Path, seed: int, as_of: str | None, counties: int,
          id_spaces: bool) -> None:
    """Generate a synthetic county for demos, tests and benchmarks (no real people)."""
    from graphsvc.synth import EXPECTED_FILE, generate
    from graphsvc.synth.write import file_name

    day = _as_of(as_of)
    started = time.monotonic()
    if id_spaces:
        from graphsvc.synth.linkage import TRUTH_FILE, generate_linkage_county

        counts = generate_linkage_county(out, scale=scale, seed=seed, as_of=day)
        click.echo(f"Synthetic county in three id spaces ({scale}, seed {seed}) written to "
                   f"{out} in {time.monotonic() - started:.1f} s: "
                   + ", ".join(f"{k} {v:,}" for k, v in counts.items()) + f"; {TRUTH_FILE} "
                   "says which records are one person.")
        return
    interactive = sys.stderr.isatty()

    def progress(message: str) -> None:
        if interactive:
            click.echo(f"  {message}", err=True)

    if counties != 1:
        from graphsvc.synth.counties import generate_counties

        counts = generate_counties(out, counties=counties, scale=scale, seed=seed, as_of=day,
                                   progress=progress)
    else:
        counts = generate(out, scale=scale, seed=seed, as_of=day, progress=progress)
    what = f"{counties} synthetic counties" if counties != 1 else "Synthetic county"
    click.echo(f"{what} ({scale}, seed {seed}, as of {day.isoformat()}) written to "
               f"{out} in {time.monotonic() - started:.1f} s:")
    for name, count in counts.items():
        click.echo(f"  {file_name(name):<24} {count:>10,} rows")
    click.echo(f"  {EXPECTED_FILE:<24} what the rules must flag, and the near misses they must "
               f"not")
