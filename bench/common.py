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

GRAPHSVC = str(Path(sys.executable).parent / "graphsvc")  # the installed command


# `--in-flight N`: the batches of a file every import of this bench writes at once on Neo4j.
IN_FLIGHT: dict[str, int] = {}


@contextmanager
def bench_settings(data_dir: str | None, graph_name: str = "bench",
                   engine: str = "falkordb"):
    """Settings for a benchmark: its own embedded engine in a data dir (temporary unless one is
    given), or the Neo4j server NEO4J_URI names (its one database; app data in the data dir)."""
    with tempfile.TemporaryDirectory(prefix="graphsvc-bench-") as tmp:
        folder = Path(data_dir or tmp).absolute()
        if engine == "neo4j":
            settings = Settings(data_dir=folder / "neo4j-app", graph_name=graph_name,
                                graph_uri=_neo4j_uri(),
                                neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                                neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
                                import_in_flight=IN_FLIGHT.get("batches", 2))
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            yield settings
            return
        settings = Settings(data_dir=folder, graph_name=graph_name)
        try:
            yield settings
        finally:
            if data_dir is None:
                EmbeddedEngine(settings).stop()


def _neo4j_uri() -> str:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        raise SystemExit('The Neo4j bench needs a server: eval "$(scripts/neo4j.sh start)" '
                         "first (it sets NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD).")
    return uri


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment for a `graphsvc` child process on the bench's graph and data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_DATA_DIR=str(settings.data_dir), GRAPHSVC_GRAPH_NAME=settings.graph_name,
               GRAPHSVC_GRAPH_URI=settings.graph_uri, GRAPHSVC_BATCH_SIZE=str(settings.batch_size),
               GRAPHSVC_IMPORT_IN_FLIGHT=str(settings.import_in_flight),
               NEO4J_USER=settings.neo4j_user, NEO4J_PASSWORD=settings.neo4j_password,
               GRAPHSVC_APP_DB=settings.app_db, **extra)
    if settings.app_data_dir:
        env["GRAPHSVC_APP_DIR"] = str(settings.app_data_dir)
    if settings.audit_key:
        env["GRAPHSVC_AUDIT_KEY"] = settings.audit_key
    return env


def free_port() -> int:
    """A free local port: the first free one of BENCH_PORTS (e.g. 8651-8659, on a machine
    where ports are shared out), else any."""
    low, _, high = os.environ.get("BENCH_PORTS", "").partition("-")
    candidates = range(int(low), int(high or low) + 1) if low else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"No port of BENCH_PORTS={os.environ['BENCH_PORTS']} is free.")


_served: dict[int, int] = {}  # port: pid of the `graphsvc serve` listening there


def server_pid(port: int) -> int:
    """The pid of the `graphsvc serve` that serve_app runs on this port (to read its CPU)."""
    return _served[port]


@contextmanager
def serve_app(settings: Settings, *, timeout: float = 120, workers: int = 1,
              server_timing: bool = False) -> Iterator[int]:
    """Run `graphsvc serve` (waitress, as in production) on a free local port; yield the port.

    Waits until the port answers and the server's start-up search-index warm-up has finished
    (a production server is measured warm, not while it builds its indexes), and terminates the
    server (killing it if it hangs) on exit. `server_timing`: each response says where its
    time went (a Server-Timing header; see `timing_split`).
    """
    port = free_port()
    env = child_env(settings, GRAPHSVC_WEB_HOST="127.0.0.1", GRAPHSVC_WEB_PORT=str(port),
                    GRAPHSVC_SECRET_KEY="bench-secret-key-not-for-production",
                    GRAPHSVC_COOKIE_SECURE="false",
                    GRAPHSVC_SERVER_TIMING="true" if server_timing else "false")
    command = [GRAPHSVC, "serve", "--port", str(port),
               "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    output = _ServerOutput(process)
    try:
        _wait_for(port, process, output, timeout)
        if not output.warm.wait(timeout):
            raise RuntimeError(f"`graphsvc serve` did not finish its warm-up within {timeout:g} s")
        _served[port] = process.pid
        yield port
    finally:
        _served.pop(port, None)
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


def server_timing(header: str | None) -> dict[str, tuple[float, int]]:
    """A Server-Timing header (web/timing.py) as part name → (milliseconds, times run)."""
    parts: dict[str, tuple[float, int]] = {}
    for item in (header or "").split(","):
        name, *params = [x.strip() for x in item.split(";")]
        values = dict(p.partition("=")[::2] for p in params)
        if name and "dur" in values:
            parts[name] = (float(values["dur"]), int(values.get("desc") or 1))
    return parts


def timing_split(requests: list[tuple[float, dict[str, tuple[float, int]]]]) -> dict:
    """Where the requests' time went, from (client milliseconds, server parts) per request.

    Parts: `outside_app` (client time less the app's: waitress, the socket, the client),
    `graph` (every statement's round trip), `audit` (the audit write), `app_other` (the app less
    those two: Python work, templates, JSON, the sign-in or token check), then each part the
    server named (`search`, `flags`, `page`, one per graph statement; nested parts overlap).
    Each gets its p50 and p95 over all requests and its mean over the slowest 5% (by client
    time), which is what the p95 is made of; statements also their calls per request."""
    rows = []
    for client_ms, parts in requests:
        app = parts.get("app", (client_ms, 1))[0]
        graph = sum(ms for name, (ms, _) in parts.items() if name.startswith("graph."))
        audit_ms = parts.get("audit", (0.0, 0))[0]
        row = {"client": client_ms, "outside_app": client_ms - app, "app": app, "graph": graph,
               "audit": audit_ms, "app_other": app - graph - audit_ms,
               "graph_statements": float(sum(n for name, (_, n) in parts.items()
                                             if name.startswith("graph.")))}
        row.update({name: ms for name, (ms, _) in parts.items() if name not in row})
        rows.append(row)
    if not rows:
        return {}
    rows.sort(key=lambda r: r["client"])
    slowest = rows[-max(1, len(rows) // 20):]
    names = list(dict.fromkeys(k for r in rows for k in r))
    out = {}
    for name in names:
        values = [r.get(name, 0.0) for r in rows]
        q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [
            values[0]] * 99
        out[name] = {"p50": round(q[49], 2), "p95": round(q[94], 2),
                     "slowest_5pct_mean": round(statistics.fmean(
                         r.get(name, 0.0) for r in slowest), 2)}
    return out
