"""The graph engine's CPU per address check, whole and by statement, on the county graph.

The address check's throughput with two web processes is bound by the whole machine: every
millisecond the embedded engine (FalkorDB's redis-server) spends per check is taken from the
web processes. This measures it without HTTP, on the addresses `bench address` checks:

- whole: the engine's CPU seconds (psutil, all its threads) over 500 checks made by calling
  `check_address`, divided by the checks; the version reads of the in-memory caches made
  meanwhile are in it;
- by statement: every statement those checks sent, recorded with its parameters, sent again
  REPEATS times, statement by statement; the engine's CPU per check it costs, and how many
  times a check sends it.

FalkorDB only (the engine must be a local process to read its CPU).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from typing import Any

import psutil

from bench.address import WARM_UP, _addresses, _ensure_flags
from bench.common import bench_settings
from bench.county import county_date, county_in
from graphsvc.address_check import check_address
from graphsvc.errors import NotFound
from graphsvc.store import open_store

REPEATS = 3


def _check_all(store, queries: list[dict[str, str]]) -> None:
    for query in queries:
        try:
            check_address(store, query, role="control_room")
        except NotFound:
            pass


def run(args) -> dict:
    if args.engine != "falkordb":
        raise SystemExit("bench address_engine measures the embedded FalkorDB engine only.")
    rng = random.Random(args.seed)
    with bench_settings(args.data_dir, graph_name="county") as settings:
        built = county_in(settings, scale=args.scale, seed=args.seed, as_of=county_date(args))
        built.update(_ensure_flags(settings))
        queries = _addresses(settings, rng)
        with open_store(settings) as store:
            engine = psutil.Process(store.process.pid())

            def cpu() -> float:
                t = engine.cpu_times()
                return float(t.user + t.system)

            sent: list[tuple[str, dict[str, Any]]] = []
            read = store.read

            def recording(name: str, **params: Any) -> Any:
                sent.append((name, params))
                return read(name, **params)

            store.read = recording  # type: ignore[method-assign]
            _check_all(store, queries[:WARM_UP])
            sent.clear()
            measured = queries[WARM_UP:]
            cpu_before, started = cpu(), time.perf_counter()
            _check_all(store, measured)
            whole_ms = (cpu() - cpu_before) / len(measured) * 1000
            wall_ms = (time.perf_counter() - started) / len(measured) * 1000
            store.read = read  # type: ignore[method-assign]
            by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for name, params in sent:
                by_name[name].append(params)
            statements = {}
            for name, calls in sorted(by_name.items()):
                cpu_before = cpu()
                for _ in range(REPEATS):
                    for params in calls:
                        read(name, **params)
                ms = (cpu() - cpu_before) / REPEATS / len(measured) * 1000
                statements[name] = {"sent_per_check": round(len(calls) / len(measured), 3),
                                    "engine_cpu_ms_per_check": round(ms, 3)}
    return {"scale": args.scale, **built, "checks": len(measured),
            "engine_cpu_ms_per_check": round(whole_ms, 3),
            "check_wall_ms": round(wall_ms, 2),
            "by_statement": statements,
            "by_statement_sum_ms": round(sum(s["engine_cpu_ms_per_check"]
                                             for s in statements.values()), 3)}
