"""Cypher families: one template per family, rendered per kind of the vocabulary at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphsvc import model, queries
from graphsvc.errors import QueryFileError

TEMPLATE = """// family: flaggable
// Returns one __Label__ by __key__.
MATCH (n:__Label__ {__key__: $key}) RETURN n
"""


def test_a_family_gives_one_statement_per_kind_with_its_label_and_key():
    rendered = queries.render_family("x/one_{kind}", Path("x/one_{kind}.cypher"), TEMPLATE)
    assert sorted(rendered) == sorted(f"x/one_{k.kind}" for k in model.FLAGGABLE.values())
    assert rendered["x/one_plan"] == ("// Returns one ProtectionPlan by plan_id.\n"
                                      "MATCH (n:ProtectionPlan {plan_id: $key}) RETURN n\n")


def test_every_entity_kind_has_its_page_statements_loaded():
    for kind in model.KINDS:
        assert f"MATCH (n:{model.KINDS[kind].label} " in queries.get(f"read/entity_{kind}").text
        assert queries.get(f"read/entity_{kind}_links").name == f"read/entity_{kind}_links"
    for kind in model.FLAGGABLE.values():
        assert f"(e:{kind.label} {{{kind.key}: row.key}})" in queries.get(kind.flag_link).text


@pytest.mark.parametrize("header", ["", "// family: vehicles\n"])
def test_a_template_without_a_known_family_fails_naming_its_file(header):
    with pytest.raises(QueryFileError, match=r"one_\{kind\}.cypher needs a header line"):
        queries.render_family("x/one_{kind}", Path("x/one_{kind}.cypher"),
                              header + TEMPLATE.split("\n", 1)[1])


def test_the_rendered_statements_are_written_for_the_linter(tmp_path):
    written = queries.write_rendered(tmp_path)
    # entity_{kind} and entity_{kind}_links per kind; flags/concerns_{kind},
    # ingest/neighbours_{kind} and ingest/stored_{kind} per flaggable kind; people_new_{kind}
    # twice (new_person)
    assert len(written) == 2 * len(model.KINDS) + 3 * len(model.FLAGGABLE) + 2
    assert (tmp_path / "flags" / "concerns_vehicle.cypher").read_text().count("Vehicle {vrm:") == 1


def test_a_new_person_is_created_as_a_person_or_as_an_offender_at_once():
    person = queries.get("ingest/people_new_person").text.split("UNWIND", 1)[1]
    offender = queries.get("ingest/people_new_offender").text.split("UNWIND", 1)[1]
    assert "CREATE (p:Person {" in person and "Offender" not in person
    assert "CREATE (p:Person:Offender {" in offender
    assert offender.replace("Person:Offender", "Person") == person
