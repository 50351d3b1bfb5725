"""Loading Cypher files: good ones by name, bad ones refused with their path."""

import re
from pathlib import Path

import pytest

from graphsvc import queries
from graphsvc.errors import QueryFileError


def _parse(tmp_path: Path, text: str):
    path = tmp_path / "x.cypher"
    path.write_text(text)
    return queries.parse_query("x", path, text)


def test_every_shipped_statement_loads_and_has_a_header():
    loaded = queries.load_all()
    assert "admin/count_labels" in loaded
    assert all(q.header for q in loaded.values())


def test_a_missing_query_names_the_file_it_expected():
    with pytest.raises(QueryFileError, match=r"read/nope\.cypher"):
        queries.get("read/nope")


def test_two_statements_in_one_file_are_refused(tmp_path):
    with pytest.raises(QueryFileError, match="more than one statement"):
        _parse(tmp_path, "// two\nMATCH (n) RETURN n; MATCH (m) RETURN m")


def test_a_semicolon_inside_a_string_is_fine(tmp_path):
    query = _parse(tmp_path, "// splits lists\nRETURN split($s, ';') AS parts;\n")
    assert query.text.endswith("AS parts")


@pytest.mark.parametrize("text, reason", [
    ("// unbalanced\nMATCH (n RETURN n", "unbalanced"),
    ("// unclosed\nRETURN 'abc", "never closed"),
    ("// positional\nRETURN $1", "positional"),
    ("// empty\n", "no statement"),
    ("MATCH (n) RETURN n", "no header"),
])
def test_malformed_files_are_refused_with_their_path(tmp_path, text, reason):
    with pytest.raises(QueryFileError, match=reason) as info:
        _parse(tmp_path, text)
    assert str(tmp_path / "x.cypher") in str(info.value)


def test_header_metadata_is_parsed(tmp_path):
    query = _parse(tmp_path, "// id: demo\n// param radius_m: 1000\n// param days: 90\nRETURN 1")
    assert query.first("id") == "demo"
    assert query.meta["param"] == ["radius_m: 1000", "days: 90"]


def test_schema_scripts_split_on_semicolons():
    statements = queries.load_script("schema/neo4j")
    assert len(statements) > 10
    assert all(";" not in s for s in statements)


def test_a_first_load_on_neo4j_drops_exactly_the_lookup_indexes_of_its_schema():
    created = [re.match(r"CREATE (?:POINT )?INDEX (\w+) IF NOT EXISTS", s)
               for s in queries.load_script("schema/neo4j")]
    dropped = [re.fullmatch(r"DROP INDEX (\w+) IF EXISTS", s)
               for s in queries.load_script("schema/neo4j_lookup_indexes_drop")]
    assert all(dropped)
    assert sorted(m.group(1) for m in dropped) == sorted(m.group(1) for m in created if m)
