"""The address check's typed answers and the API's contract describe the same fields: each view's
type (FullBriefing, ControlRoomBriefing, Candidates) has exactly the properties its OpenAPI schema
lists, plus `shown` (kept for the audit log, never returned by the API)."""

from __future__ import annotations

from dataclasses import fields
from typing import get_args

import pytest

from graphsvc.address_check import answer
from web.openapi import build_document

SCHEMAS = build_document()["components"]["schemas"]


@pytest.mark.parametrize(("answer_type", "schema"), [
    (answer.FullBriefing, "AddressCheckFull"),
    (answer.ControlRoomBriefing, "AddressCheckRestricted"),
    (answer.Candidates, "AddressCheckCandidates"),
])
def test_each_view_type_has_the_fields_its_contract_lists(answer_type, schema):
    names = [f.name for f in fields(answer_type)]
    assert "shown" in names
    assert set(names) - {"shown"} == set(SCHEMAS[schema]["properties"])


def test_the_control_room_type_cannot_carry_the_list_of_residents():
    assert "residents" in {f.name for f in fields(answer.FullBriefing)}
    assert "residents" not in {f.name for f in fields(answer.ControlRoomBriefing)}
    assert "residents" not in SCHEMAS["AddressCheckRestricted"]["properties"]


def test_counts_and_warnings_are_typed_as_the_contract_describes_them():
    for schema in ("AddressCheckFull", "AddressCheckRestricted"):
        props = SCHEMAS[schema]["properties"]
        assert set(answer.Counts.__annotations__) == set(props["counts"]["properties"])
        warning = props["warnings"]["items"]
        assert set(answer.Warning.__annotations__) == set(warning["properties"])
        assert set(get_args(answer.Level)) == set(warning["properties"]["level"]["enum"])


def test_as_json_gives_every_field_and_leaves_out_shown_when_asked():
    # The front doors sort the keys (web/api.py), so only which keys there are matters.
    candidates = answer.Candidates(view="restricted",
                                   query={"by": "postcode", "postcode": "NR1 3FF"},
                                   candidates=[{"address_id": "F1"}], shown=["address_id=F1"])
    assert set(answer.as_json(candidates)) == {"schema_version", "status", "view", "query",
                                               "candidates", "shown"}
    assert "shown" not in answer.as_json(candidates, shown=False)
    assert answer.as_json(candidates)["status"] == "ambiguous"
