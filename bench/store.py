"""Store benchmark: batch-write rows/s and point-lookup latency on the embedded engine."""

from __future__ import annotations

import random
import time

from bench.common import bench_settings, percentiles
from bench.jvm import engine_memory_bytes
from graphsvc.store import open_store

ROWS = 200_000
LOOKUPS = 2_000


def run(args) -> dict:
    with bench_settings(args.data_dir, engine=args.engine) as settings, \
            open_store(settings) as store:
        store.clear()
        store.apply_schema()
        rows = [{"person_id": f"P{i:07d}", "given_name": "Alex", "family_name": f"Name{i % 977}",
                 "date_of_birth": f"19{50 + i % 50}-0{1 + i % 9}-1{i % 9}"} for i in range(ROWS)]
        start = time.perf_counter()
        store.write_rows("bench/upsert_people", rows, batch_size=settings.batch_size)
        write_s = time.perf_counter() - start
        rng = random.Random(args.seed)
        samples = []
        for _ in range(LOOKUPS):
            key = f"P{rng.randrange(ROWS):07d}"
            t = time.perf_counter()
            store.read("bench/person_by_id", person_id=key)
            samples.append((time.perf_counter() - t) * 1000)
        memory = engine_memory_bytes(store, settings.graph_uri)
        store.clear()
    return {"batch_write": {
        "rows": ROWS, "seconds": round(write_s, 2), "rows_per_s": round(ROWS / write_s)},
        "point_lookup": percentiles(samples), "engine_rss_mb": round(memory / 2**20, 1)}
