"""Each FalkorDB rewrite of a Neo4j spelling, one test apiece; the Neo4j query options."""

import pytest

from graphsvc import queries
from graphsvc.store.translate import planned_only, to_falkordb, to_neo4j, unique_constraint


def test_point_distance_becomes_distance():
    text = "WHERE point.distance(a.location, b.location) <= $radius"
    assert to_falkordb(text) == "WHERE distance(a.location, b.location) <= $radius"


def test_rewrites_leave_strings_and_comments_alone():
    text = "// uses point.distance(x)\nRETURN 'point.distance(a)' AS s, point.distance(a, b)"
    expected = "// uses point.distance(x)\nRETURN 'point.distance(a)' AS s, distance(a, b)"
    assert to_falkordb(text) == expected


def test_text_without_neo4j_spellings_is_unchanged():
    text = "MATCH (p:Person {person_id: $id}) RETURN p.given_name AS name"
    assert to_falkordb(text) == text


def test_a_neo4j_uniqueness_constraint_is_recognised():
    statement = ("CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) "
                 "REQUIRE n.person_id IS UNIQUE")
    assert unique_constraint(statement) == ("Person", "person_id")
    assert unique_constraint("CREATE INDEX FOR (n:Person) ON (n.pnc_id)") is None


def test_a_subquery_scope_clause_becomes_a_leading_with():
    text = "CALL (a, p) {\n  MATCH (p)-[:AT]->(a) RETURN count(*) AS n\n}"
    assert to_falkordb(text) == "CALL { WITH a, p\n  MATCH (p)-[:AT]->(a) RETURN count(*) AS n\n}"


def test_an_empty_scope_clause_is_dropped():
    assert to_falkordb("CALL () { MATCH (h) RETURN h }") == "CALL { MATCH (h) RETURN h }"


def test_a_neo4j_replan_option_goes_in_front():
    text = "UNWIND $rows AS row\nMATCH (p:Person {person_id: row.person_id}) RETURN p"
    assert to_neo4j(text, ("replan: skip",)) == f"CYPHER replan=skip\n{text}"


def test_a_statement_without_neo4j_options_is_unchanged():
    text = "MATCH (p:Person) RETURN count(p) AS n"
    assert to_neo4j(text) == text


@pytest.mark.parametrize("line", ["replan: sometimes", "runtime: pipelined", "replan"])
def test_an_unknown_neo4j_option_is_named(line):
    with pytest.raises(ValueError, match="not a Neo4j query option"):
        to_neo4j("RETURN 1 AS one", (line,))


def test_every_file_s_neo4j_options_are_ones_neo4j_takes():
    asked = {name: tuple(q.meta["neo4j"]) for name, q in queries.load_all().items()
             if "neo4j" in q.meta}
    for name, options in asked.items():
        assert to_neo4j(queries.get(name).text, options).startswith("CYPHER "), name


def test_planned_only_explains_and_a_fresh_text_differs():
    text = "MATCH (n:Person) RETURN n"
    assert planned_only(text) == f"EXPLAIN {text}"
    assert planned_only(text, "fresh 1") != planned_only(text, "fresh 2")
    assert planned_only(text, "fresh 1").startswith(f"EXPLAIN {text}\n//")
