"""Helpers the benchmarks share: a throwaway data dir with its own engine, and percentiles."""

from __future__ import annotations

import statistics
import tempfile
from contextlib import contextmanager
from pathlib import Path

from graphsvc.settings import Settings
from graphsvc.store.engine import EmbeddedEngine


@contextmanager
def bench_settings(data_dir: str | None, graph_name: str = "bench"):
    """Settings for a benchmark's own engine; a temporary data dir unless one is given."""
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as tmp:
        settings = Settings(data_dir=Path(data_dir or tmp).absolute(), graph_name=graph_name)
        try:
            yield settings
        finally:
            if data_dir is None:
                EmbeddedEngine(settings).stop()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 3), "p95_ms": round(q[94], 3), "max_ms": round(ordered[-1], 3),
            "n": len(ordered)}
