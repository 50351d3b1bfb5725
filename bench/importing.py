"""Import benchmark: `graphsvc import` of a synthetic county, end to end from files.

Generates the county with `graphsvc.synth`, then runs the real CLI in a child process, twice: a
first load into an empty graph and a re-import of the same folder (which must change nothing).
Prints rows/s, the peak RSS of the import's writer and reader processes (from its report; their
sum is the figure given), their CPU seconds, the CPU seconds of a local Neo4j's JVM by kind of
thread (bench/jvm.py), and the engine's memory.
"""

from __future__ import annotations

import csv
import json
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import GRAPHSVC, bench_settings, child_env
from bench.county import county_date
from bench.jvm import engine_memory_bytes, server_pid, spent, thread_seconds
from graphsvc.settings import Settings
from graphsvc.store import open_store


def _import_once(folder: Path, settings: Settings) -> dict:
    env = child_env(settings)
    jvm = None if settings.embedded else server_pid(settings.graph_uri)
    jvm_before = thread_seconds(jvm)
    start = time.perf_counter()
    result = subprocess.run([GRAPHSVC, "import", str(folder)],
                            capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    jvm_after = thread_seconds(jvm)
    lines = result.stdout.strip().splitlines()
    reports = [ln.removeprefix("Report: ") for ln in lines if ln.startswith("Report: ")]
    if not reports:
        return {"error": (result.stderr or result.stdout).strip()[-500:],
                "exit_code": result.returncode}
    report = json.loads(Path(reports[0]).read_text())
    rows = report["totals"]["read"]
    return {"exit_code": result.returncode, "rows": rows,
            "imported": report["totals"]["imported"], "rejected": report["totals"]["rejected"],
            "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds),
            # the import's two processes (writer, reader), each at its peak: an upper bound
            "peak_rss_mb": round(sum(report.get("peak_memory_mb", {}).values()), 1),
            "peak_rss_by_process_mb": report.get("peak_memory_mb"),
            # where the CPU went: the import's writer and reader processes, and (Neo4j on this
            # machine) the server's JVM by kind of thread
            "client_cpu_s": report.get("cpu_seconds"),
            **({"server_cpu_s": spent(jvm_before, jvm_after)} if jvm_after else {}),
            "per_file": {n: f["read"] for n, f in report["files"].items()},
            "per_file_rows_per_s": {n: round(f["read"] / f["seconds"])
                                    for n, f in report["files"].items() if f.get("seconds")}}


def measure(folder: Path, settings: Settings) -> dict:
    """Import the folder into an empty graph, then again; figures for both."""
    with open_store(settings) as store:
        store.clear()
        store.apply_schema()
    first = _import_once(folder, settings)
    with open_store(settings) as store:
        counts = store.counts()
        memory = engine_memory_bytes(store, settings.graph_uri)
    again = _import_once(folder, settings)
    with open_store(settings) as store:
        unchanged = store.counts() == counts
        store.clear()
    return {"first_import": first, "reimport": {**again, "counts_unchanged": unchanged},
            "engine_rss_mb_after_import": round(memory / 2**20, 1), "graph": counts}


def run(args) -> dict:
    try:
        from graphsvc.synth import generate
    except ImportError:
        return {"error": "graphsvc.synth.generate is not built yet"}
    as_of = county_date(args)
    with bench_settings(args.data_dir, engine=args.engine) as settings, \
            tempfile.TemporaryDirectory(prefix="graphsvc-county-") as tmp:
        # With --data-dir the generated files are kept there and reused by a later run of the
        # same scale, seed and date (--as-of), so runs on a restarted server import the same rows.
        folder = (Path(args.data_dir).absolute() / f"county-{args.scale}-{args.seed}-{as_of}"
                  if args.data_dir else Path(tmp) / "county")
        start = time.perf_counter()
        if not (folder / ".complete").exists():
            generate(folder, scale=args.scale, seed=args.seed, as_of=as_of)
            (folder / ".complete").touch()
        generated_s = time.perf_counter() - start
        figures = measure(folder, settings)
        floor = bare_merge(folder, settings)
    people_per_s = figures["first_import"].get("per_file_rows_per_s", {}).get("people")
    return {"scale": args.scale, "generate_seconds": round(generated_s, 1),
            "in_flight": settings.import_in_flight, **figures,
            "floor_bare_merge_people": floor,
            "people_file_over_floor": (round(floor["rows_per_s"] / people_per_s, 2)
                                       if people_per_s else None)}


def bare_merge(folder: Path, settings: Settings) -> dict:
    """The floor on this engine: people.csv's rows sent as they are to a bare
    `UNWIND … MERGE … SET` (no checks, no search keys, no phones) in the import's batch size."""
    with (folder / "people.csv").open(encoding="utf-8", newline="") as handle:
        rows = [{"person_id": r["person_id"], "given_name": r["given_name"] or None,
                 "family_name": r["family_name"] or None,
                 "date_of_birth": r["date_of_birth"] or None} for r in csv.DictReader(handle)]
    with open_store(settings) as store:
        store.clear()
        store.apply_schema()
        start = time.perf_counter()
        store.write_rows("bench/upsert_people", rows, batch_size=settings.batch_size)
        seconds = time.perf_counter() - start
        store.clear()
    return {"rows": len(rows), "seconds": round(seconds, 1),
            "rows_per_s": round(len(rows) / seconds)}
