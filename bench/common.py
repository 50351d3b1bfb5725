"""Helpers the benchmarks share: a throwaway data dir with its own engine, and percentiles."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_app(settings: Settings, *, timeout: float = 120) -> Iterator[int]:
    """Run `graphsvc serve` (waitress, as in production) on a free local port; yield the port.

    Waits until the port answers, and terminates the server (killing it if it hangs) on exit.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_DATA_DIR=str(settings.data_dir), GRAPHSVC_GRAPH_NAME=settings.graph_name,
               GRAPHSVC_WEB_HOST="127.0.0.1", GRAPHSVC_WEB_PORT=str(port),
               GRAPHSVC_SECRET_KEY="bench-secret-key-not-for-production",
               GRAPHSVC_COOKIE_SECURE="false")
    command = [str(Path(sys.executable).parent / "graphsvc"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(port, process, timeout)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(port: int, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`graphsvc serve` stopped: {process.stderr.read()[-800:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"`graphsvc serve` did not start listening within {timeout:g} s")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 3), "p95_ms": round(q[94], 3), "max_ms": round(ordered[-1], 3),
            "n": len(ordered)}
