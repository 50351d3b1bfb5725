"""The synthetic county a benchmark measures: built once per graph and reused, but rebuilt when
the graph holds another county (another scale, seed or date), so that no bench measures data it
did not ask for. The graph itself records which county it holds (a BenchCounty node): on Neo4j
every bench shares one database, whatever its graph name."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from graphsvc.importer import import_folder
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.base import GraphStore
from graphsvc.synth import generate


def ensure_county(store: GraphStore, settings: Settings, *, scale: str, seed: int,
                  as_of: date) -> dict:
    """The county of this scale, seed and date in `store`: reused if it is there already,
    otherwise generated and imported into a cleared graph. Says which, with the timings."""
    wanted = {"scale": scale, "seed": seed, "as_of": as_of.isoformat()}
    people = (store.read_one("bench/person_count") or {}).get("people") or 0
    if people and store.read_one("bench/county_marker") == wanted:
        return {"county": "reused", "people": people, **wanted}
    store.clear()
    store.apply_schema()
    with tempfile.TemporaryDirectory(prefix="graphsvc-county-") as tmp:
        folder = Path(tmp) / "county"
        started = time.perf_counter()
        generate(folder, scale=scale, seed=seed, as_of=as_of)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        import_folder(store, folder, settings=settings)
        imported = time.perf_counter() - started
    store.write("bench/mark_county", **wanted)
    people = (store.read_one("bench/person_count") or {}).get("people") or 0
    return {"county": "built", "people": people, "generate_s": round(generated, 1),
            "import_s": round(imported, 1), **wanted}


def county_date(args: Any) -> date:
    """The county's date a bench asked for (`--as-of`), else today."""
    given = getattr(args, "as_of", None)
    return date.fromisoformat(given) if given else date.today()


def county_in(settings: Settings, *, scale: str, seed: int, as_of: date) -> dict:
    """As `ensure_county`, opening the graph of `settings` for it."""
    with open_store(settings) as store:
        return ensure_county(store, settings, scale=scale, seed=seed, as_of=as_of)
