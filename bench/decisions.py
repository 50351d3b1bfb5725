"""Decisions benchmark: how long a tasking decision takes to reach the board.

Builds the county (as the clusters bench does) on a graph of its own, clusters it, then
records decisions as a meeting would (`graphsvc.decisions.decide_flags`: one atomic write in
the graph, then the incremental re-clustering of the clusters touched) and compares the
re-clustering with a full `clusters.recompute`. The decisions change the graph: keep
`--data-dir` only for re-runs of this bench.
"""

from __future__ import annotations

import statistics
import time

from bench.clusters import _build_county
from bench.common import bench_settings, percentiles
from graphsvc import clusters
from graphsvc.decisions import decide_flags
from graphsvc.store import open_store

DECISIONS = 30


def run(args) -> dict:
    with bench_settings(args.data_dir, graph_name="bench_decisions") as settings, \
            open_store(settings) as store:
        built = _build_county(store, settings, args)
        full = clusters.recompute(store, settings)
        ranked = clusters.list_clusters(settings)
        one_flag, recluster = [], []
        # A flag of each of the top clusters put under review (stays on the board), then one
        # closed (leaves its cluster, which may split).
        for i, cluster in enumerate(ranked[:DECISIONS]):
            status = "under_review" if i % 2 == 0 else "no_further_action"
            start = time.perf_counter()
            done = decide_flags(store, settings, [cluster["flags"][0]], by="bench",
                                status=status, reason="benchmark")
            one_flag.append((time.perf_counter() - start) * 1000)
            recluster.append(done.board["seconds"] * 1000)
        biggest = max(clusters.list_clusters(settings), key=lambda c: len(c["flags"]))
        start = time.perf_counter()
        whole = decide_flags(store, settings, biggest["flags"], by="bench",
                             status="no_further_action", reason="benchmark")
        whole_ms = (time.perf_counter() - start) * 1000
        after = clusters.recompute(store, settings)
    return {
        "scale": args.scale, "built": built, "open_flags": full["open_flags"],
        "clusters": full["clusters"],
        "full_recompute_s": full["seconds"], "full_recompute_after_s": after["seconds"],
        "decision_one_flag_ms": percentiles(one_flag),
        "incremental_recluster_ms": {**percentiles(recluster),
                                     "median": round(statistics.median(recluster), 1)},
        "whole_cluster_decision": {"flags": len(biggest["flags"]), "ms": round(whole_ms, 1),
                                   "recluster_ms": round(whole.board["seconds"] * 1000, 1)},
        "target": "a decision reaches the board in well under a second",
    }
