"""Clusters benchmark: clustering every open flag of a county, and the tasking board over HTTP.

Builds the county (graphsvc.synth.generate, the importer, every rule) unless `--data-dir`
already holds a graph with flags, then times `clusters.recompute` (graph read, networkx
clustering, app.db write) and the board and top cluster pages served by `graphsvc serve`
(signed in as a tasking user, so each view also writes its audit entry).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import statistics
import time
import urllib.parse
import urllib.request
from datetime import date

from bench.common import bench_settings, percentiles, serve_app
from bench.county import ensure_county
from graphsvc import clusters, users
from graphsvc.model import LIVE
from graphsvc.rules import run_rules
from graphsvc.settings import Settings
from graphsvc.store import open_store

RECOMPUTES = 3
PAGE_REQUESTS = 40
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _build_county(store, settings: Settings, args) -> dict:
    """Today's county with its flags raised (the rules run when the county is new or has none)."""
    built = ensure_county(store, settings, scale=args.scale, seed=args.seed, as_of=date.today())
    if built["county"] == "reused" and store.read("read/cluster_open_flags", statuses=list(LIVE)):
        return built
    start = time.perf_counter()
    runs = run_rules(store, settings, as_of=date.today(), trigger="bench", regroup=False).runs
    return {**built, "rules_s": round(time.perf_counter() - start, 1),
            "flags_raised": sum(r.flags_new for r in runs),
            "rule_errors": {r.rule_id: r.error for r in runs if r.error}}


class _Browser:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as answer:
            return answer.read().decode()

    def post(self, path: str, data: dict, token_from: str) -> str:
        token = _CSRF.search(self.get(token_from)).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        with self.opener.open(self.base + path, data=body, timeout=60) as answer:
            return answer.read().decode()


def _time_pages(settings: Settings, top_cluster: str | None) -> dict:
    password = "bench password for the tasking board"
    name = f"bench-tasking-{os.getpid()}"
    users.add_user(settings, name, "tasking", password)
    with serve_app(settings) as port:
        browser = _Browser(f"http://127.0.0.1:{port}")
        browser.post("/sign-in", {"name": name, "password": password}, "/sign-in")
        browser.post("/tasking/reason", {"justification": "benchmark"}, "/tasking/")
        figures = {}
        for label, path in (("board", "/tasking/"),
                            ("cluster", f"/tasking/clusters/{top_cluster}")):
            if label == "cluster" and not top_cluster:
                continue
            browser.get(path)  # warm: first use opens the graph store
            samples = []
            for _ in range(PAGE_REQUESTS):
                start = time.perf_counter()
                page = browser.get(path)
                samples.append((time.perf_counter() - start) * 1000)
            figures[f"{label}_page"] = {**percentiles(samples), "bytes": len(page)}
        return figures


def run(args) -> dict:
    with bench_settings(args.data_dir, graph_name="bench_clusters",
                        engine=args.engine) as settings, \
            open_store(settings) as store:
        built = _build_county(store, settings, args)
        timings = [clusters.recompute(store, settings) for _ in range(RECOMPUTES)]
        found = clusters.list_clusters(settings)
        sizes = sorted((len(c["flags"]) for c in found), reverse=True)
        pages = _time_pages(settings, found[0]["cluster_id"] if found else None)
    return {
        "scale": args.scale, "built": built,
        "open_flags": timings[-1]["open_flags"], "clusters": len(found),
        "largest_clusters_flags": sizes[:5], "single_flag_clusters": sizes.count(1),
        "recompute_s": {"median": statistics.median(t["seconds"] for t in timings),
                        "runs": [t["seconds"] for t in timings]},
        "graph_read_s": statistics.median(t["read_s"] for t in timings),
        "networkx_cluster_s": statistics.median(t["cluster_s"] for t in timings),
        "target": "recompute under 3 s",
        **pages,
    }
