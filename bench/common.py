"""Helpers the benchmarks share: a throwaway data dir with its own engine, and percentiles."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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

    Waits until the port answers and the server's start-up search-index warm-up has finished
    (a production server is measured warm, not while it builds its indexes), and terminates the
    server (killing it if it hangs) on exit.
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
    output = _ServerOutput(process)
    try:
        _wait_for(port, process, output, timeout)
        if not output.warm.wait(timeout):
            raise RuntimeError(f"`graphsvc serve` did not finish its warm-up within {timeout:g} s")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _ServerOutput:
    """Drains the server's stderr (so it never blocks on a full pipe) and notes its warm-up."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.warm = threading.Event()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stderr:
            self.lines = [*self.lines[-50:], line]
            if "Search index" in line:  # "Search indexes ready" or "Search index warm-up failed"
                self.warm.set()

    def tail(self) -> str:
        return "".join(self.lines)[-800:]


def _wait_for(port: int, process: subprocess.Popen, output: _ServerOutput,
              timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            time.sleep(0.2)  # let the reader thread collect the last lines
            raise RuntimeError(f"`graphsvc serve` stopped: {output.tail()}")
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
