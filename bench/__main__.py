"""Run one benchmark by name and print its figures as JSON, with the machine's load."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

BENCHES = {
    "store": "bench.store",
    "import": "bench.importing",
    "rules": "bench.rules",
    "address": "bench.address",
    "address_engine": "bench.address_engine",
    "search": "bench.search",
    "clusters": "bench.clusters",
    "decisions": "bench.decisions",
    "identities": "bench.identities",
    "scale": "bench.scale",
    "incremental": "bench.incremental",
    "appdata": "bench.appdata",
    "planning": "bench.planning",
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=sorted(BENCHES))
    parser.add_argument("--scale", choices=["small", "county"], default="small")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", default=None, help="where to keep the bench's data")
    parser.add_argument("--engine", choices=["falkordb", "neo4j", "both"], default="falkordb",
                        help="the graph engine (neo4j: the server NEO4J_URI names); both: one "
                             "run on each, one after the other, in one JSON")
    parser.add_argument("--counties", default=None,
                        help="scale: the sizes to measure, in counties (default 1,2; e.g. "
                             "1,2,4); incremental: the N-county graph and folder a scale run "
                             "left in --data-dir")
    parser.add_argument("--as-of", default=None, metavar="YYYY-MM-DD",
                        help="address, appdata, search: the county's date (default today), so "
                             "that a county built before midnight is reused after it")
    parser.add_argument("--plot", default=None,
                        help="scale: where to write the PNG of the curve (bench-scale.png)")
    parser.add_argument("--runs-only", action="store_true",
                        help="rules: only the first and second full run (no change import, no "
                             "k-d tree), for comparing server settings on just-started servers")
    parser.add_argument("--workers", type=int, default=None,
                        help="rules: run every rule in one run, this many at once (as "
                             "`graphsvc rules run` does), instead of each rule on its own")
    parser.add_argument("--in-flight", type=int, default=None,
                        help="Neo4j: batches of one file every import of the bench writes at once "
                             "(GRAPHSVC_IMPORT_IN_FLIGHT; default 2, 1 writes them in turn)")
    args = parser.parse_args()
    if args.in_flight:
        from bench.common import IN_FLIGHT
        IN_FLIGHT["batches"] = args.in_flight
    try:
        module = importlib.import_module(BENCHES[args.name])
    except ModuleNotFoundError:
        print(json.dumps({"bench": args.name, "error": "not built yet"}))
        return 2
    # As the product's long-running processes do when they start (graphsvc/collector.py).
    from graphsvc.collector import RULE_RUNNER_MODULES, settle

    settle(*RULE_RUNNER_MODULES)
    load_before = os.getloadavg()
    if args.engine == "both":
        figures = {}
        for engine in ("falkordb", "neo4j"):
            figures[engine] = module.run(argparse.Namespace(**{**vars(args), "engine": engine}))
    else:
        figures = {"engine": args.engine, **module.run(args)}
    figures = {"bench": args.name, **figures, "machine": {
        "cpus": os.cpu_count(), "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()]}}
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
