"""Import benchmark: `graphsvc import` of a synthetic county, end to end from files.

Generates the county with `graphsvc.synth`, then runs the real CLI in a child process, twice: a
first load into an empty graph and a re-import of the same folder (which must change nothing).
Prints rows/s, the peak RSS of the import's writer and reader processes (from its report; their
sum is the figure given) and the engine's memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import bench_settings
from graphsvc.settings import Settings
from graphsvc.store import open_store


def _import_once(folder: Path, settings: Settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_DATA_DIR=str(settings.data_dir), GRAPHSVC_GRAPH_NAME=settings.graph_name,
               GRAPHSVC_BATCH_SIZE=str(settings.batch_size))
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "graphsvc", "import", str(folder)],
                            capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
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
            "per_file": {n: f["read"] for n, f in report["files"].items()}}


def measure(folder: Path, settings: Settings) -> dict:
    """Import the folder into an empty graph, then again; figures for both."""
    with open_store(settings) as store:
        store.clear()
        store.apply_schema()
    first = _import_once(folder, settings)
    with open_store(settings) as store:
        counts = store.counts()
        memory = store.memory_bytes()
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
    with bench_settings(args.data_dir) as settings, \
            tempfile.TemporaryDirectory(prefix="graphsvc-county-") as tmp:
        folder = Path(tmp) / "county"
        start = time.perf_counter()
        generate(folder, scale=args.scale, seed=args.seed, as_of=date.today())
        generated_s = time.perf_counter() - start
        figures = measure(folder, settings)
    return {"scale": args.scale, "generate_seconds": round(generated_s, 1), **figures}
