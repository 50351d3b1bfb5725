"""The address check's typed answers and the API's contract describe the same fields: each view's
type (FullBriefing, ControlRoomBriefing, Candidates) has exactly the properties its OpenAPI schema
lists, plus `shown` (kept for the audit log, never returned by the API)."""

from __future__ import annotations

from dataclasses import fields
from typing import get_args

import pytest

from graphsvc.address_check import (
    Candidates,
    ControlRoomBriefing,
    Counts,
    FullBriefing,
    Warning,
    as_json,
)
from graphsvc.address_check.answer import Level
from web.openapi import build_document

SCHEMAS = build_document()["components"]["schemas"]


@pytest.mark.parametrize(("answer_type", "schema"), [
    (FullBriefing, "AddressCheckFull"),
    (ControlRoomBriefing, "AddressCheckRestricted"),
    (Candidates, "AddressCheckCandidates"),
])
def test_each_view_type_has_the_fields_its_contract_lists(answer_type, schema):
    names = [f.name for f in fields(answer_type)]
    assert "shown" in names
    assert set(names) - {"shown"} == set(SCHEMAS[schema]["properties"])


def test_the_control_room_type_cannot_carry_the_list_of_residents():
    assert "residents" in {f.name for f in fields(FullBriefing)}
    assert "residents" not in {f.name for f in fields(ControlRoomBriefing)}
    assert "residents" not in SCHEMAS["AddressCheckRestricted"]["properties"]


def test_counts_and_warnings_are_typed_as_the_contract_describes_them():
    for schema in ("AddressCheckFull", "AddressCheckRestricted"):
        props = SCHEMAS[schema]["properties"]
        assert set(Counts.__annotations__) == set(props["counts"]["properties"])
        warning = props["warnings"]["items"]
        assert set(Warning.__annotations__) == set(warning["properties"])
        assert set(get_args(Level)) == set(warning["properties"]["level"]["enum"])


def test_as_json_keeps_field_order_and_leaves_out_shown_when_asked():
    answer = Candidates(view="restricted", query={"by": "postcode", "postcode": "NR1 3FF"},
                        candidates=[{"address_id": "F1"}], shown=["address_id=F1"])
    assert list(as_json(answer)) == ["schema_version", "status", "view", "query", "candidates",
                                     "shown"]
    assert "shown" not in as_json(answer, shown=False)
    assert as_json(answer)["status"] == "ambiguous"
