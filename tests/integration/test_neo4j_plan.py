"""Neo4j's planner asked to plan a statement without running it (Neo4jStore.plan, used by
bench/planning.py to time the rule pack's planning): nothing is written, every statement a full
rule run plans is accepted with the parameters it gets."""

from __future__ import annotations

import pytest

from bench.planning import plan_all
from graphsvc.rules import catalogue


@pytest.fixture
def neo4j_store(store):
    if store.engine != "neo4j":
        pytest.skip("Neo4j leg only: planning without running is Neo4j's EXPLAIN")
    return store


def test_planning_a_write_writes_nothing(neo4j_store):
    neo4j_store.plan("contract/batch", rows=[{"k": 5, "v": "five"}], tag="planned")
    neo4j_store.plan("contract/batch", "fresh 1", rows=[{"k": 5, "v": "five"}], tag="planned")
    assert neo4j_store.read_one("contract/lookup", k=5) is None
    neo4j_store.write("contract/batch", rows=[{"k": 5, "v": "five"}], tag="run")
    assert neo4j_store.read_one("contract/lookup", k=5) == {"v": "five"}


def test_every_statement_of_a_full_rule_run_is_planned(neo4j_store):
    planned = plan_all(neo4j_store)  # a statement Neo4j refuses raises
    assert {"pairs/ooa_placements", "pairs/ooa_homes"} <= set(planned)  # the proximity sides
    assert sum(name.startswith("rules/") for name in planned) == len(catalogue())
