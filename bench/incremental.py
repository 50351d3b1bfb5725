"""Incremental rules benchmark: each rule's incremental run after 1,000 changed rows, with where
its time goes.

Reuses the county and standing flags the rules bench left in the same graph (bench/county.py;
built and flagged by a full run if absent), regenerates the county's
folder (the generator is seeded) to draw the changed rows from, then twice (a warm-up that
compiles the plans, then the timed one) imports 1,000 changed rows as the scale bench does
(bench/scale.py) collecting the change set, and runs each rule incrementally over it on its
own. Prints per rule the seconds, rows, flags changed, the seconds of each phase of the run
(scope, standing flags read, rule statement, linked records, comparison, writes; summed over
the rules too), the time of each statement it ran (reads and writes by name, summed),
slowest first, and the rows sent to each batched write (`rows_written`: flags/upsert for flags
new or changed, flags/touch for flags found again unchanged).

With `--counties N` it measures instead the N-county graph, flags and generated folder that
`bench scale --counties ...,N,... --data-dir D` left in the same data dir (D/scale-N and
D/counties-N), so that the incremental cost can be compared across sizes with the same code.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import bench_settings
from bench.county import ensure_county
from bench.scale import AS_OF, _changed_rows
from graphsvc.changes import ChangeSet
from graphsvc.importer import import_folder
from graphsvc.rules import catalogue, run_rules
from graphsvc.store import open_store
from graphsvc.synth import generate


def _timed_statements(store: Any) -> tuple[dict[str, float], dict[str, int]]:
    """Time every read and write of the store by statement name, and count the rows sent to
    each batched write (until the store is closed)."""
    spent: dict[str, float] = defaultdict(float)
    rows_sent: dict[str, int] = defaultdict(int)
    for method in ("read", "write"):
        original = getattr(store, method)

        def timed(name: str, _original=original, **params: Any) -> Any:
            started = time.perf_counter()
            try:
                return _original(name, **params)
            finally:
                spent[name] += time.perf_counter() - started

        setattr(store, method, timed)
    original_rows = store.write_rows

    def timed_rows(name: str, rows: Any, **params: Any) -> Any:
        rows = list(rows)
        started = time.perf_counter()
        try:
            return original_rows(name, rows, **params)
        finally:
            spent[name] += time.perf_counter() - started
            rows_sent[name] += len(rows)

    store.write_rows = timed_rows
    return spent, rows_sent


def run(args) -> dict:
    # A fresh draw each run: rows drawn before are already in the graph, and re-importing them
    # changes nothing (a second run with the same draw measured a change set half the size).
    draw = random.SystemRandom().randrange(2**32)
    rng = random.Random(f"{args.seed}-incremental-{draw}")
    counties = int(args.counties) if args.counties else None
    if counties and not args.data_dir:
        raise SystemExit("--counties N needs the --data-dir a `bench scale` run left it in.")
    data_dir = args.data_dir and (str(Path(args.data_dir) / f"scale-{counties}") if counties
                                  else args.data_dir)
    graph = f"bench_scale_{counties}" if counties else f"bench_rules_{args.scale}"
    with bench_settings(data_dir, graph_name=graph, engine=args.engine) as settings, \
            open_store(settings) as store, \
            tempfile.TemporaryDirectory(prefix="graphsvc-incremental-") as tmp:
        if counties:
            folder = Path(args.data_dir) / f"counties-{counties}"
            if not folder.is_dir():
                raise SystemExit(f"No {folder}: run `bench scale --counties {counties} "
                                 f"--data-dir {args.data_dir}` first.")
            built = {"counties": counties}
        else:
            built = ensure_county(store, settings, scale=args.scale, seed=args.seed, as_of=AS_OF)
            if built["county"] == "built":  # else the rules bench left its flags standing
                run_rules(store, settings, as_of=AS_OF, trigger="bench", regroup=False)
            folder = Path(tmp) / "county"
            generate(folder, scale=args.scale, seed=args.seed, as_of=AS_OF)
        spent, rows_sent = _timed_statements(store)
        turns = {}
        for turn in ("warm-up", "timed"):
            changed = ChangeSet()
            written = _changed_rows(folder, Path(tmp) / f"changes-{turn}", rng)
            import_folder(store, Path(tmp) / f"changes-{turn}", settings=settings, as_of=AS_OF,
                          changed=changed)
            per_rule: dict[str, dict[str, Any]] = {}
            total = 0.0
            for rule_id in catalogue():
                spent.clear()
                rows_sent.clear()
                started = time.perf_counter()
                (result,) = run_rules(store, settings, [rule_id], as_of=AS_OF, trigger="bench",
                                      changed=changed, regroup=False).runs
                elapsed = time.perf_counter() - started
                total += elapsed
                per_rule[rule_id] = {
                    "seconds": round(elapsed, 3), "rows": result.rows,
                    "new": result.flags_new, "updated": result.flags_updated,
                    "resolved": result.flags_resolved, "error": result.error,
                    # graphsvc/rules/phases.py: scope, standing (flags read), statement,
                    # linked (records of linked persons), compare, write; the rest of
                    # `seconds` is the run's start and finish records
                    "phases_s": result.seconds,
                    "statements_s": {name: round(s, 3) for name, s in
                                     sorted(spent.items(), key=lambda x: -x[1]) if s >= 0.005},
                    # rows sent to each batched write: flags/upsert (content changed or new)
                    # against flags/touch (found again unchanged: last sighting only)
                    "rows_written": {name: n for name, n in sorted(rows_sent.items()) if n}}
            phases: dict[str, float] = defaultdict(float)
            for figures in per_rule.values():
                for phase, seconds in figures["phases_s"].items():
                    phases[phase] += seconds
            turns[turn] = {"changed_rows": written, "changed_keys": len(changed),
                           "total_s": round(total, 2),
                           "phases_s": {p: round(s, 3) for p, s in sorted(phases.items())},
                           "rules": per_rule}
        together = _together(store, settings, folder, Path(tmp), rng)
    return {"scale": args.scale, "as_of": AS_OF.isoformat(), "draw": draw, **built, **turns,
            "together": together}


def _together(store: Any, settings: Any, folder: Path, tmp: Path, rng: random.Random
              ) -> dict[str, Any]:
    """Every rule in one run over a change set, as `graphsvc import --run-rules` runs them: one
    rule at a time against `settings.rule_workers` at once, alternately, twice each, each turn
    over its own 1,000 changed rows. (The per-rule turns above run each rule on its own, so they
    show where the time goes, not what sharing scope reads and running rules side by side
    save.)"""
    workers = sorted({1, settings.rule_workers})
    runs: dict[int, list[float]] = {w: [] for w in workers}
    for turn in range(2):
        for w in workers:
            changed = ChangeSet()
            where = tmp / f"changes-together-{w}-{turn}"
            _changed_rows(folder, where, rng)
            import_folder(store, where, settings=settings, as_of=AS_OF, changed=changed)
            started = time.perf_counter()
            report = run_rules(store, settings, as_of=AS_OF, trigger="bench", changed=changed,
                               regroup=False, workers=w)
            runs[w].append(round(time.perf_counter() - started, 3))
            if report.failed:
                raise SystemExit(f"rules failed: {[(r.rule_id, r.error) for r in report.failed]}")
    return {f"workers_{w}_s": seconds for w, seconds in runs.items()}
