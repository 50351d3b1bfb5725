"""The synthetic county: realistic background data plus planted scenarios for every rule.

`generate` writes a folder in the import format and `expected_flags.json`, the contract with
the rules: what each planted case must raise, and near misses that must raise nothing.
Deterministic for a seed and an as_of date.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

from graphsvc import dates
from graphsvc.errors import InputError

log = logging.getLogger(__name__)

SCALES = {"small": 0.01, "county": 1.0}
EXPECTED_FILE = "expected_flags.json"


def generate(out: Path, *, scale: str = "small", seed: int = 7, as_of: date | None = None,
             progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the county into `out` and return the number of rows written per file."""
    from graphsvc.synth.cases import plant_all, site_plan
    from graphsvc.synth.population import Background
    from graphsvc.synth.scenarios import Planter, choose_sites
    from graphsvc.synth.verify import (
        SynthCheckFailed,
        check_expectations,
        planted_keys_of,
        verify_folder,
    )
    from graphsvc.synth.write import FILES, FolderWriter

    if scale not in SCALES:
        raise InputError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder: choose a folder to write the county to.")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot create the folder {out}: {exc.strerror}.") from None
    as_of = as_of or dates.today()
    say = progress or (lambda message: None)
    count, quiet = site_plan()
    sites = choose_sites(random.Random(f"{seed}-sites"), count)
    planted = plant_all(Planter(random.Random(f"{seed}-scenarios"), as_of, sites, quiet))
    say(f"planted {len(planted.expected)} scenarios and {len(planted.near_misses)} near misses")
    with FolderWriter(out) as writer:
        Background(random.Random(f"{seed}-background"), as_of, SCALES[scale], writer,
                   planted.quiet_sites, say).run()
        for name in FILES:
            for row in planted.rows.get(name, []):
                writer.write(name, row)
    counts = dict(writer.counts)
    expected = {"as_of": as_of.isoformat(), "seed": seed, "scale": scale,
                "expected": planted.expected, "near_misses": planted.near_misses}
    say("checking that the background leaves every planted case as planted")
    verify_folder(out, as_of, planted_keys_of(itertools.chain(*planted.rows.values())))
    problems = check_expectations(expected, out)
    if problems:
        raise SynthCheckFailed("Planted distances are wrong: " + "; ".join(problems))
    (out / EXPECTED_FILE).write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    log.info("synthetic county (%s, seed %s, as of %s) written to %s", scale, seed, as_of, out)
    return counts
