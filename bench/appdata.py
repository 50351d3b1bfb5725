"""Application data benchmark: audit chain verification and web processes sharing PostgreSQL.

- audit verification: a log of AUDIT_ENTRIES keyed entries (written in bulk, chained as
  `audit.record` chains them), then `audit.check` timed on SQLite and on the PostgreSQL that
  GRAPHSVC_APP_DB names (each in a schema of its own, dropped after). Target ≤ 30 s.
- web processes: the address check API (each check writes its audit entry) with 16
  concurrent clients against `graphsvc serve` with one process, then `--workers 2`, both on
  the PostgreSQL application database. Targets: two processes ≥ 1.5× one; p95 ≤ 150 ms.

Without GRAPHSVC_APP_DB the PostgreSQL figures are reported as not run.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.address import _addresses, _concurrent, _ensure_flags, _token
from bench.common import bench_settings, serve_app
from bench.county import county_date, county_in
from graphsvc import appdata, audit
from graphsvc.settings import Settings

AUDIT_ENTRIES = {"small": 100_000, "county": 1_000_000}
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


def _web_processes(args) -> dict:
    base = os.environ.get("GRAPHSVC_APP_DB", "")
    if not base:
        return {"not_run": "GRAPHSVC_APP_DB is not set"}
    rng = random.Random(args.seed)
    schema = f"bench_web_{os.getpid()}"
    _psql(base, f"CREATE SCHEMA {schema}")
    try:
        with bench_settings(args.data_dir, graph_name="county", engine=args.engine) as graph:
            built = county_in(graph, scale=args.scale, seed=args.seed, as_of=county_date(args))
            built.update(_ensure_flags(graph))
            settings = replace(graph, app_db=_pg_schema_url(base, schema), audit_key=_KEY)
            queries = _addresses(settings, rng)
            secret = _token(settings)
            runs = {}
            for workers in (1, 2):
                with serve_app(replace(settings), workers=workers) as port:
                    _concurrent(port, secret, queries[:40])  # warm both processes
                    runs[f"processes_{workers}"] = _concurrent(port, secret, queries)
            problems = audit.verify(settings)
    finally:
        appdata.dispose_all()
        _psql(base, f"DROP SCHEMA {schema} CASCADE")
    one, two = runs["processes_1"], runs["processes_2"]
    speedup = round(two["checks_per_s"] / one["checks_per_s"], 2)
    return {"scale": args.scale, **built, **runs, "speedup_two_over_one": speedup,
            "audit_chain_intact": not problems,
            "meets": {"speedup_1_5x": speedup >= 1.5, "p95_150ms": two["p95_ms"] <= 150}}


def run(args) -> dict:
    n = AUDIT_ENTRIES[args.scale]
    return {"audit_verification": _audit_verification(n),
            "targets": {"verify_seconds_per_million": 30, "speedup_two_over_one": 1.5,
                        "p95_ms": 150},
            "web_processes_postgresql": _web_processes(args)}
