"""Several adjacent synthetic counties in one import folder, for the scale benchmark.

County 1 is the synthetic county itself (its ids, places and `expected_flags.json` unchanged).
County k (k > 1) is another county made the same way with its own seed, moved west by k - 1
county widths so that the counties sit side by side; every id gets the prefix `K<k>-`, postcodes
their own area (`WX`, `KB`, `KC`, ...), UPRNs their own range. Across the county lines, a share
of each county's out-of-area placements come from the neighbouring county to its east, and a
share of its registered offenders have moved there (their home ended, a new one there begun).
See docs/scale.md for the shares and the published figures they follow.
"""

from __future__ import annotations

import logging
import random
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from graphsvc import dates
from graphsvc.errors import InputError
from graphsvc.synth.places import COUNTY_COUNCIL, EAST, POSTCODE_AREA, WEST
from graphsvc.synth.write import FILES, FolderWriter, read_rows

log = logging.getLogger(__name__)

MAX_COUNTIES = 9  # UPRN ranges and postcode areas are allotted for this many
WIDTH_DEG = EAST - WEST
WIDTH_M = 89_300.0  # the county's width in grid metres at its middle latitude (52.6° N)
# Of a county's out-of-area placements, the share whose placing authority is its neighbour: about
# two in five looked-after children in England live outside their own authority (DfE, from
# memory), most of them in a neighbouring one.
NEIGHBOUR_PLACEMENT_SHARE = 0.4
# Of a county's registered offenders, the share who moved to the neighbouring county in the last
# year (an assumption: no published figure for moves between force areas).
MOVED_OFFENDER_SHARE = 0.02
_ID_COLUMNS = ("person_id", "address_id", "placement_id", "plan_id", "order_id",
               "incident_id", "found_address_id")
_AREAS = [POSTCODE_AREA, "KB", "KC", "KD", "KE", "KF", "KG", "KH", "KJ"]


def council(k: int) -> str:
    return COUNTY_COUNCIL if k == 1 else f"County {k} Council"


def generate_counties(out: Path, *, counties: int, scale: str = "small", seed: int = 7,
                      as_of: date | None = None,
                      progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write `counties` adjacent counties into `out`; return the rows written per file."""
    from graphsvc.synth import EXPECTED_FILE, generate

    if not 1 <= counties <= MAX_COUNTIES:
        raise InputError(f"--counties must be between 1 and {MAX_COUNTIES}, not {counties}.")
    as_of = as_of or dates.today()
    say = progress or (lambda message: None)
    if counties == 1:
        return generate(out, scale=scale, seed=seed, as_of=as_of, progress=progress)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}-counties")
    with tempfile.TemporaryDirectory(prefix="graphsvc-counties-", dir=out) as tmp, \
            FolderWriter(out) as writer:
        for k in range(1, counties + 1):
            say(f"county {k} of {counties}")
            folder = Path(tmp) / f"county-{k}"
            generate(folder, scale=scale, seed=seed + k - 1, as_of=as_of, progress=progress)
            if k == 1:
                (out / EXPECTED_FILE).write_bytes((folder / EXPECTED_FILE).read_bytes())
            _copy_county(folder, writer, k, counties, rng, as_of)
    return dict(writer.counts)


def _copy_county(folder: Path, writer: FolderWriter, k: int, counties: int,
                 rng: random.Random, as_of: date) -> None:
    east = k - 1 if k > 1 else None  # the neighbour this county's cross-border links go to
    east_addresses: list[str] = []
    if east:
        east_addresses = [_prefixed(row["address_id"], east)
                          for row in read_rows(folder, "addresses")][::50]
    movers = {_prefixed(row["person_id"], k): as_of - timedelta(days=rng.randint(10, 360))
              for row in read_rows(folder, "offenders")
              if east and "SCN-" not in row["person_id"]
              and rng.random() < MOVED_OFFENDER_SHARE}
    for name in FILES:
        for row in read_rows(folder, name):
            row = _moved_row(name, dict(row), k)
            if east and name == "placements" and "SCN-" not in row["placement_id"] \
                    and row["placing_authority"] != council(k) \
                    and rng.random() < NEIGHBOUR_PLACEMENT_SHARE:
                row["placing_authority"] = council(east)
            moved_on = movers.get(row["person_id"]) if name == "residences" else None
            if moved_on and not row["end_date"] and row["residence_type"] == "home":
                writer.write(name, {**row, "end_date": moved_on.isoformat()})
                row = {**row, "address_id": rng.choice(east_addresses),
                       "start_date": (moved_on + timedelta(days=1)).isoformat(),
                       "source_ref": f"{row['source_ref']}-MOVED"}
            writer.write(name, row)


def _prefixed(value: str, k: int) -> str:
    return value if k == 1 or not value else f"K{k}-{value}"


def _moved_row(name: str, row: dict[str, str], k: int) -> dict[str, str]:
    """The row of a county as county k holds it: ids prefixed, places moved west."""
    if k == 1:
        return row
    for column in _ID_COLUMNS:
        if row.get(column):
            row[column] = _prefixed(row[column], k)
    if name == "orders" and row.get("protected_person_ids"):
        row["protected_person_ids"] = ";".join(
            _prefixed(p, k) for p in row["protected_person_ids"].split(";") if p)
    if name == "associations" and row.get("target_type") in ("person", "address"):
        row["target_id"] = _prefixed(row["target_id"], k)
    if name == "addresses":
        if row.get("longitude"):
            row["longitude"] = f"{float(row['longitude']) - WIDTH_DEG * (k - 1):.8f}"
        if row.get("easting"):
            row["easting"] = f"{float(row['easting']) - WIDTH_M * (k - 1):.1f}"
        if row.get("postcode", "").startswith(POSTCODE_AREA):
            row["postcode"] = _AREAS[k - 1] + row["postcode"][len(POSTCODE_AREA):]
        if row.get("uprn"):
            row["uprn"] = f"{k}{row['uprn'][-11:].zfill(11)}"  # 12 digits, the county's first
    if name == "placements":
        for column in ("placing_authority", "area_authority"):
            if row.get(column) == COUNTY_COUNCIL:
                row[column] = council(k)
    return row
