"""Application data benchmark: audit chain verification and web processes sharing PostgreSQL.

- audit verification: a log of AUDIT_ENTRIES keyed entries (written in bulk, chained as
  `audit.record` chains them), then `audit.check` timed on SQLite and on the PostgreSQL that
  GRAPHSVC_APP_DB names (each in a schema of its own, dropped after). Target ≤ 30 s.
- web processes: the address check API (each check writes its audit entry) with 16
  concurrent clients against `graphsvc serve` with one process and with `--workers 2`, both
  on the PostgreSQL application database. Targets: two processes ≥ 1.5× one; p95 ≤ 150 ms.
  The method, so that the two are measured alike:
  - first the graph engine is let settle: a county just built (and its rules just run) is
    still being saved, which took CPU from whichever run came first. The bench waits until
    the engine's processes use less than SETTLE_BUSY of a core over SETTLE_WINDOW_S
    (at most SETTLE_MAX_S), and reports how long that took and the engine's idle CPU;
  - then one and two processes alternate on the same data, PAIRS times (1, 2, 1, 2, ...;
    BENCH_APPDATA_PAIRS), each run with the machine's load before and after;
  - the speedup is given for each adjacent pair of runs (1-2, 2-1, 1-2, ...), and their
    median is the figure the target is checked against (p95: the worst two-process run).
  Each run reports the CPU per check of each party on this machine (web processes,
  PostgreSQL, graph engine, load generator, and the rest of the machine): on 2 cores they
  all share them. The load generator is bench/load.py (one thread, raw sockets);
  BENCH_CLIENT=threads uses the address bench's client instead (a thread per client with
  http.client, 50 checks each).

Without GRAPHSVC_APP_DB the PostgreSQL figures are reported as not run.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from bench import cpu, load
from bench.address import CLIENTS, _addresses, _concurrent, _ensure_flags, _path, _token
from bench.common import bench_settings, percentiles, serve_app, server_pid
from bench.county import county_date, county_in
from graphsvc import appdata, audit
from graphsvc.settings import Settings
from graphsvc.store.engine import EmbeddedEngine

AUDIT_ENTRIES = {"small": 100_000, "county": 1_000_000}
PER_CLIENT = 120  # checks each of the CLIENTS asks, per measured run
PAIRS = int(os.environ.get("BENCH_APPDATA_PAIRS", "2"))  # one-process, two-process pairs
SETTLE_BUSY = 0.05  # the engine is settled below this share of one core...
SETTLE_WINDOW_S = 5.0  # ...over this long
SETTLE_MAX_S = 300.0  # given up (and said so) after this long
_BATCH = 20_000
_KEY = "b" * 64


def _pg_schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _psql(base: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(statement)


def _fill(settings: Settings, n: int) -> float:
    """Write n chained entries in bulk (as record() would chain them); seconds taken."""
    audit.count(settings)  # the schema exists
    key = audit.audit_key(settings)
    started = time.perf_counter()
    prev, batch = audit.GENESIS, []
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    with appdata.transaction(settings, "audit") as conn:
        for seq in range(1, n + 1):
            content = {"seq": seq, "at": at, "user": f"officer{seq % 97}", "role": "control_room",
                       "kind": "consultation", "action": "address check",
                       "asked": f'{{"uprn":"{100000 + seq}"}}',
                       "shown": f'["address_id=A{seq}"]', "justification": "BENCH-1"}
            digest = audit.entry_hash(key, prev, content)
            batch.append({**content, "prev_hash": prev, "hash": digest})
            prev = digest
            if len(batch) == _BATCH:
                appdata.run_many(conn, "audit/insert_entry", batch)
                batch = []
        if batch:
            appdata.run_many(conn, "audit/insert_entry", batch)
        if appdata.postgres(settings):
            appdata.run(conn, "audit/set_head", seq=n, hash=prev)
    if not appdata.postgres(settings):
        (settings.app_dir / "audit.head").write_text(f"{n} {prev}\n")
    return time.perf_counter() - started


def _verify(settings: Settings, n: int) -> dict:
    fill_s = _fill(settings, n)
    started = time.perf_counter()
    problems, read = audit.check(settings)
    seconds = time.perf_counter() - started
    return {"entries": read, "fill_seconds": round(fill_s, 1),
            "verify_seconds": round(seconds, 1), "intact": not problems,
            "entries_per_s": round(read / seconds)}


def _audit_verification(n: int) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        out["sqlite"] = _verify(Settings(data_dir=Path(tmp), audit_key=_KEY), n)
    base = os.environ.get("GRAPHSVC_APP_DB", "")
    if not base:
        out["postgresql"] = "not run: GRAPHSVC_APP_DB is not set"
        return out
    schema = f"bench_audit_{os.getpid()}"
    _psql(base, f"CREATE SCHEMA {schema}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), audit_key=_KEY,
                                app_db=_pg_schema_url(base, schema))
            out["postgresql"] = _verify(settings, n)
    finally:
        appdata.dispose_all()
        _psql(base, f"DROP SCHEMA {schema} CASCADE")
    return out


def _engine_process(settings: Settings) -> psutil.Process | None:
    """The graph engine's process, when it runs on this machine."""
    if not settings.embedded:
        return cpu.listener(urlsplit(settings.graph_uri).port or 7687)
    pid = EmbeddedEngine(settings).pid()
    return psutil.Process(pid) if pid else None


def _parties(port: int, settings: Settings, base: str) -> cpu.CpuMeter:
    """Who spends CPU on a check: the web processes, PostgreSQL, the graph engine, and the
    load generator (this process)."""
    server, engine = psutil.Process(server_pid(port)), _engine_process(settings)
    postgres = cpu.postgres_server(base)

    def of(proc: psutil.Process | None):
        return (lambda: cpu.tree_seconds(proc)) if proc else None

    return cpu.CpuMeter({"web": of(server), "postgresql": of(postgres),
                         "graph_engine": of(engine), "load_generator": cpu.own_seconds})


def _measured(port: int, settings: Settings, base: str, secret: str,
              queries: list[dict[str, str]], client: str) -> dict:
    """CLIENTS concurrent clients asking PER_CLIENT checks each (the threads client: the address
    bench's, 50 each); the CPU each party spent."""
    meter = _parties(port, settings, base)
    load_before = os.getloadavg()[0]
    meter.start()
    if client == "threads":
        run = _concurrent(port, secret, queries)
    else:
        paths = [_path(q) for q in queries]
        per_client = [[paths[(k * PER_CLIENT + j) % len(paths)] for j in range(PER_CLIENT)]
                      for k in range(CLIENTS)]
        latencies, failures, seconds = load.run(port, per_client,
                                                {"Authorization": f"Bearer {secret}"})
        run = {"clients": CLIENTS, "checks": len(latencies), "seconds": round(seconds, 2),
               "checks_per_s": round(len(latencies) / seconds, 1), **percentiles(latencies),
               "failures": failures[:5]}
    return {**run, "cpu_ms_per_check": meter.stop(run["checks"]),
            "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def _settle(settings: Settings) -> dict:
    """Wait until the graph engine is idle (its save of a county just built has finished):
    less than SETTLE_BUSY of a core over SETTLE_WINDOW_S. Returns the wait and that CPU."""
    engine = _engine_process(settings)
    if engine is None:
        return {"engine_settled": "not measured: the engine runs elsewhere"}
    started = time.monotonic()
    busy = 1.0
    while time.monotonic() - started < SETTLE_MAX_S:
        before = cpu.tree_seconds(engine)
        time.sleep(SETTLE_WINDOW_S)
        busy = (cpu.tree_seconds(engine) - before) / SETTLE_WINDOW_S
        if busy < SETTLE_BUSY:
            break
    return {"engine_settled": busy < SETTLE_BUSY,
            "engine_settle_wait_s": round(time.monotonic() - started, 1),
            "engine_idle_cpu_share": round(busy, 3)}


def _pair_figures(runs: list[dict]) -> dict:
    """The speedup (two processes over one) of each adjacent pair of runs (1-2, 2-1, 1-2...,
    so a drift of the machine's load weighs on both sides), their median, and the targets."""
    speedups = []
    for a, b in zip(runs, runs[1:], strict=False):
        one, two = (a, b) if a["processes"] == 1 else (b, a)
        speedups.append(round(two["checks_per_s"] / one["checks_per_s"], 2))
    median = round(statistics.median(speedups), 2)
    worst_p95 = max(r["p95_ms"] for r in runs if r["processes"] == 2)
    return {"speedup_each_pair": speedups, "speedup_two_over_one": median,
            "meets": {"speedup_1_5x": median >= 1.5, "p95_150ms": worst_p95 <= 150}}


def _web_processes(args) -> dict:
    base = os.environ.get("GRAPHSVC_APP_DB", "")
    if not base:
        return {"not_run": "GRAPHSVC_APP_DB is not set"}
    client = os.environ.get("BENCH_CLIENT", "lean")
    if client not in ("lean", "threads"):
        raise SystemExit("BENCH_CLIENT is lean (the default) or threads.")
    rng = random.Random(args.seed)
    schema = f"bench_web_{os.getpid()}"
    _psql(base, f"CREATE SCHEMA {schema}")
    try:
        with bench_settings(args.data_dir, graph_name="county", engine=args.engine) as graph:
            built = county_in(graph, scale=args.scale, seed=args.seed, as_of=county_date(args))
            built.update(_ensure_flags(graph))
            settings = replace(graph, app_db=_pg_schema_url(base, schema), audit_key=_KEY)
            queries = _addresses(settings, rng)
            paths = [_path(q) for q in queries]
            secret = _token(settings)
            built.update(_settle(settings))
            runs = []
            for workers in [1, 2] * PAIRS:
                with serve_app(replace(settings), workers=workers) as port:
                    load.run(port, [paths[k::CLIENTS][:5] for k in range(CLIENTS)],
                             {"Authorization": f"Bearer {secret}"})  # warm every process
                    runs.append({"processes": workers,
                                 **_measured(port, settings, base, secret, queries, client)})
            problems = audit.verify(settings)
    finally:
        appdata.dispose_all()
        _psql(base, f"DROP SCHEMA {schema} CASCADE")
    generator = load.NAME if client == "lean" else "threads: a thread per client, http.client"
    return {"scale": args.scale, **built, "load_generator": generator,
            "order": "one and two processes alternately on the same data", "runs": runs,
            **_pair_figures(runs), "audit_chain_intact": not problems}


def run(args) -> dict:
    n = AUDIT_ENTRIES[args.scale]
    return {"audit_verification": _audit_verification(n),
            "targets": {"verify_seconds_per_million": 30, "speedup_two_over_one": 1.5,
                        "p95_ms": 150},
            "web_processes_postgresql": _web_processes(args)}
