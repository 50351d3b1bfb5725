"""Schemathesis over the whole API, generated from its OpenAPI document: whatever a client
sends, no answer is a 500, every status is one the contract lists, and every body matches its
schema. The graph is the real engine with the address check's test county."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from graphsvc import tokens
from tests.factories import load_graph
from tests.integration.test_address_check import TABLES
from web.openapi import build_document

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 60  # per operation and role; bounded so the run stays in seconds
# Ways of finding addresses the test county holds (random ids would nearly all be 404s).
KNOWN = [{"uprn": "100010001"}, {"address_id": "A2"}, {"address_id": "H1"},
         {"postcode": "NR1 3FF"}, {"lat": 52.63, "lon": 1.3}, {"q": "elm road"}]
FINDERS = ("address_id", "uprn", "postcode", "q", "lat", "lon", "easting", "northing")


def _known_address(case, pick: int):
    """The generated case (radius, date, reason and all) asked of an address that exists."""
    rest = {k: v for k, v in (case.query or {}).items() if k not in FINDERS}
    case.query = {**rest, **KNOWN[pick % len(KNOWN)]}
    return case


@pytest.mark.slow
@pytest.mark.parametrize("role", ["control_room", "intelligence"])
def test_the_whole_api_keeps_its_contract_whatever_it_is_sent(store, settings, tmp_path, app,
                                                              web_settings, role):
    load_graph(store, settings, tmp_path, TABLES)
    _info, secret = tokens.issue_token(web_settings, f"fuzz-{role}", role, by="test")
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_dict(build_document())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {"/api/v1/address-check", "/api/v1/openapi.json"}
    seen: dict[tuple[str, int], int] = {}
    for operation in operations:
        strategy = operation.as_strategy()
        if operation.path == "/api/v1/address-check":
            strategy = st.one_of(strategy, st.builds(_known_address, strategy,
                                                     st.integers(0, 100)))

        @given(case=strategy)
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             derandomize=True,
                             suppress_health_check=list(HealthCheck))
        def call(case):
            response = case.call(headers=auth)
            key = (case.operation.path, response.status_code)
            seen[key] = seen.get(key, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=auth)

        call()
    check = "/api/v1/address-check"
    assert seen.get((check, 200), 0) >= 10 and seen.get((check, 400), 0) >= 10, seen
