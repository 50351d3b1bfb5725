"""Scale benchmark: how import, rules, address check, search and clusters grow with counties.

For each size in --counties (e.g. 1,2,4): generate that many adjacent synthetic counties
(`graphsvc synth --counties N`, at --scale), import them into an empty graph, run every rule
twice (the second, steady-state run is `full_rules_s`), change 1,000 rows (dates, places,
grades, births: as a day's feed would) and import them collecting the change set, then time the
incremental run of every rule over it (a warm-up, then three timed runs, each over its own
1,000 rows: `incremental_rules_s` is their median, `incremental_runs_s` each); then
p95 of 200 address checks and 200 searches after 20 untimed (domain calls, no HTTP) and one
cluster recompute; and the engine's memory (FalkorDB's RSS; for a local Neo4j the RSS of the
process listening on its bolt port).
Prints `sizes`, one object per size, and writes a PNG of the curve (`--plot`, default
bench-scale.png). Each step's start is logged to stderr with the load. With --data-dir the
generated folders (`counties-N`) and graphs (`scale-N`) stay there, for `bench incremental
--counties N` to measure again.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import bench_settings, percentiles
from bench.jvm import engine_memory_bytes
from graphsvc.changes import ChangeSet
from graphsvc.store import open_store

AS_OF = date(2025, 6, 30)
CHANGED_ROWS = 1000
SAMPLES = 200
WARM_UP = 20  # address checks and searches made first and not counted
TIMED_TURNS = 3  # incremental runs timed after the warm-up, each over its own changed rows
# Of the 1,000 changed rows, how many of each file (a day's feed is mostly new events and moves).
CHANGE_MIX = {"incidents": 300, "residences": 250, "people": 200, "placements": 100,
              "addresses": 100, "offenders": 50}


def _changed_rows(folder: Path, out: Path, rng: random.Random) -> int:
    """Write 1,000 changed rows of the imported folder into `out`; return how many."""
    from graphsvc.synth.write import FolderWriter, read_rows

    out.mkdir(parents=True, exist_ok=True)
    with FolderWriter(out) as writer:
        for name, count in CHANGE_MIX.items():
            rows = list(read_rows(folder, name))
            for row in rng.sample(rows, min(count, len(rows))):
                writer.write(name, _changed(name, dict(row), rng))
    for name, written in writer.counts.items():
        if not written:
            for path in out.glob(f"{name}.*"):
                path.unlink()
    return sum(writer.counts.values())


def _shift(text: str, days: int) -> str:
    if not text:
        return text
    stamp = date.fromisoformat(text[:10]) + timedelta(days=days)
    return stamp.isoformat() + text[10:]


def _changed(name: str, row: dict, rng: random.Random) -> dict:
    """The row as a later feed might send it: one field moved."""
    if name == "incidents":
        row["occurred_at"] = _shift(row["occurred_at"], -1)
    elif name == "residences":
        row["end_date"] = row["end_date"] or (AS_OF - timedelta(days=rng.randint(0, 30))
                                              ).isoformat()
    elif name == "people":
        row["date_of_birth"] = _shift(row["date_of_birth"], 1)
    elif name == "placements":
        row["end_date"] = "" if row["end_date"] else AS_OF.isoformat()
    elif name == "addresses":
        if row.get("easting"):
            row["easting"] = f"{float(row['easting']) + 300:.1f}"
        elif row.get("longitude"):
            row["longitude"] = f"{float(row['longitude']) + 0.004:.8f}"
    elif name == "offenders":
        row["rosh_level"] = {"high": "very_high"}.get(row["rosh_level"], "high")
    return row


def _p95(samples: list[float]) -> float:
    return percentiles(samples)["p95_ms"]


def _step(counties: int, what: str) -> None:
    """Log the step a size is starting, with the time and load (a long run shows progress)."""
    print(json.dumps({"counties": counties, "step": what, "at": time.strftime("%H:%M:%S"),
                      "load": os.getloadavg()}), file=sys.stderr, flush=True)


def _one_size(args, counties: int, work: Path) -> dict:
    from graphsvc import clusters
    from graphsvc.address_check import check_address
    from graphsvc.importer import import_folder
    from graphsvc.rules import run_rules
    from graphsvc.search import search
    from graphsvc.synth.counties import generate_counties

    rng = random.Random(f"{args.seed}-{counties}")
    folder = work / f"counties-{counties}"
    _step(counties, "generate")
    started = time.perf_counter()
    generate_counties(folder, counties=counties, scale=args.scale, seed=args.seed, as_of=AS_OF)
    generated = time.perf_counter() - started
    with bench_settings(args.data_dir and str(Path(args.data_dir) / f"scale-{counties}"),
                        graph_name=f"bench_scale_{counties}", engine=args.engine) as settings, \
            open_store(settings) as store:
        store.clear()  # the Neo4j bench server holds one graph: start each size empty
        store.apply_schema()
        _step(counties, "import")
        started = time.perf_counter()
        report = import_folder(store, folder, settings=settings, as_of=AS_OF)
        imported = time.perf_counter() - started
        rows = report["totals"]["imported"]
        _step(counties, "full rules")
        run_rules(store, settings, as_of=AS_OF, trigger="bench", regroup=False)
        started = time.perf_counter()
        run_rules(store, settings, as_of=AS_OF, trigger="bench", regroup=False)
        full = time.perf_counter() - started
        incremental: list[float] = []
        keys_changed: list[int] = []
        # The first compiles the scope plans, as a day's first run does; then TIMED_TURNS, each
        # with its own 1,000 rows (one run's time varies with what changed: the median is kept).
        for turn in ["warm-up"] + [f"timed-{n}" for n in range(1, TIMED_TURNS + 1)]:
            _step(counties, f"incremental rules, {turn}")
            changed = ChangeSet()
            written = _changed_rows(folder, work / f"changes-{counties}-{turn}", rng)
            import_folder(store, work / f"changes-{counties}-{turn}", settings=settings,
                          as_of=AS_OF, changed=changed)
            started = time.perf_counter()
            run_rules(store, settings, as_of=AS_OF, trigger="bench", changed=changed,
                      regroup=False)
            if turn != "warm-up":
                incremental.append(round(time.perf_counter() - started, 3))
                keys_changed.append(len(changed))
        keys = store.read("read/search_addresses_keys")
        people = store.read("read/search_people_keys")
        checks, searches = [], []
        _step(counties, "address checks, searches, clusters")
        for row in rng.sample(keys, min(SAMPLES + WARM_UP, len(keys))):
            started = time.perf_counter()
            check_address(store, {"address_id": row["address_id"]}, role="control_room",
                          as_of=AS_OF)
            checks.append((time.perf_counter() - started) * 1000)
        for row in rng.sample(people, min(SAMPLES + WARM_UP, len(people))):
            text = f"{row.get('given_name_key') or ''} {row.get('family_name_key') or ''}"
            started = time.perf_counter()
            search(store, text.strip())
            searches.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        clusters.recompute(store, settings, as_of=AS_OF)
        clustered = time.perf_counter() - started
        memory = engine_memory_bytes(store, settings.graph_uri)
    return {"counties": counties, "generate_s": round(generated, 1),
            "rows_imported": rows, "import_s": round(imported, 1),
            "import_rows_per_s": round(rows / max(imported, 1e-9)),
            "full_rules_s": round(full, 2), "changed_rows": written,
            "changed_keys": keys_changed,
            "incremental_rules_s": round(statistics.median(incremental), 2),
            "incremental_runs_s": incremental,
            "address_check_p95_ms": _p95(checks[WARM_UP:]),
            "search_p95_ms": _p95(searches[WARM_UP:]),
            "cluster_recompute_s": round(clustered, 2),
            "engine_memory_mb": round(memory / 2**20, 1) if memory else None}


def _plot(sizes: list[dict], path: Path) -> str | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    counties = [s["counties"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for key in ("full_rules_s", "incremental_rules_s", "cluster_recompute_s"):
        left.plot(counties, [s[key] for s in sizes], marker="o", label=key)
    left.set_xlabel("counties")
    left.set_ylabel("seconds")
    left.legend()
    for key in ("address_check_p95_ms", "search_p95_ms"):
        right.plot(counties, [s[key] for s in sizes], marker="o", label=key)
    right.set_xlabel("counties")
    right.set_ylabel("milliseconds (p95)")
    right.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(path)


def run(args) -> dict:
    counties = [int(c) for c in str(args.counties or "1,2").split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="graphsvc-scale-") as tmp:
        work = Path(args.data_dir).absolute() if args.data_dir else Path(tmp)
        sizes = []
        for n in counties:
            sizes.append(_one_size(args, n, work))
            # each size as it finishes (a long run cut short keeps what it measured)
            print(json.dumps({"size_done": sizes[-1], "load": os.getloadavg()}), file=sys.stderr,
                  flush=True)
    plot = _plot(sizes, Path(args.plot or "bench-scale.png").absolute())
    first, last = sizes[0], sizes[-1]
    growth = last["counties"] / first["counties"]
    return {"scale": args.scale, "as_of": AS_OF.isoformat(), "sizes": sizes, "plot": plot,
            "ratios_last_over_first": {
                key: round(last[key] / first[key], 2) if first[key] else None
                for key in ("full_rules_s", "incremental_rules_s", "address_check_p95_ms",
                            "search_p95_ms", "cluster_recompute_s")},
            "graph_growth": growth}
