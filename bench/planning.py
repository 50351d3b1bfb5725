"""Planning benchmark (Neo4j only): how long Cypher takes to plan the rule pack, nothing run.

On the server NEO4J_URI names, `EXPLAIN`s every statement a full rule run plans (each rule's,
and the two pair sides of the proximity rule), one after the other, three times: as the server
finds them (on a just-started server, its planner running cold: classes loaded, code interpreted
and then JIT-compiled), again (plans from its cache), and with each text made new so that it is
planned afresh on the now-warm JVM. Each statement gets the parameters a full run gives it, so
the plans are those the rules use. Start a server just before it to measure the cold case
(docs/neo4j.md, "A cold server"); the graph may be empty or hold a county.
"""

from __future__ import annotations

import time
import uuid
from datetime import date

from bench.common import bench_settings
from graphsvc.rules import catalogue
from graphsvc.rules.pairs import sides
from graphsvc.rules.runner import query_params
from graphsvc.store import open_store
from graphsvc.store.neo4j import Neo4jStore

AS_OF = date(2025, 6, 30)


def rule_statements() -> dict[str, dict]:
    """Every statement a full run of the rule pack plans, with the parameters it gets."""
    out = {}
    for rule in catalogue().values():
        params = query_params(rule.values(), AS_OF)
        for name in (sides(rule) or {}).values():
            out[name] = params
        out[rule.query] = ({**params, "pairs": [], "child_ids": []} if sides(rule) else params)
    return out


def plan_all(store: Neo4jStore, fresh: str = "") -> dict[str, float]:
    """Plan every rule statement once; the seconds each took."""
    spent = {}
    for name, params in rule_statements().items():
        started = time.perf_counter()
        store.plan(name, fresh, **params)
        spent[name] = round(time.perf_counter() - started, 3)
    return spent


def run(args) -> dict:
    if args.engine != "neo4j":
        raise SystemExit("The planning bench measures Neo4j's planner: use --engine neo4j.")
    with bench_settings(args.data_dir, engine="neo4j") as settings, \
            open_store(settings) as store:
        assert isinstance(store, Neo4jStore)
        turns = {"as_found": plan_all(store), "cached": plan_all(store),
                 "fresh_text": plan_all(store, f"fresh {uuid.uuid4().hex}")}
    return {"statements": len(turns["as_found"]),
            **{f"{turn}_s": round(sum(spent.values()), 2) for turn, spent in turns.items()},
            "per_statement_s": turns}
