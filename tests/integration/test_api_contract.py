"""The API's OpenAPI 3.1 contract: a valid document, served and kept in docs/, that every
answer of both views (and every error) matches; and a schemathesis run over the whole API."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from graphsvc import tokens
from tests.factories import load_graph
from tests.integration.test_address_check import TABLES
from web.openapi import build_document, document_text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
AS_OF = "2025-03-01"


def check_against(document: dict, component: str, body: object) -> None:
    """Validate a body against one of the document's component schemas (JSON Schema 2020-12)."""
    schema = {**document, "$ref": f"#/components/schemas/{component}"}
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(body)


def _response_schema(document: dict, status: str) -> dict:
    op = document["paths"]["/api/v1/address-check"]["get"]
    return {**document, **op["responses"][status]["content"]["application/json"]["schema"]}


@pytest.fixture
def token(web_settings):
    def issue(role: str = "control_room") -> dict[str, str]:
        _info, secret = tokens.issue_token(web_settings, f"cad-{role}", role, by="test")
        return {"Authorization": f"Bearer {secret}"}
    return issue


def test_the_document_is_valid_openapi_3_1_and_covers_the_address_check():
    document = build_document()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/address-check" in document["paths"]
    names = {p["name"] for p in document["paths"]["/api/v1/address-check"]["get"]["parameters"]}
    assert names >= {"address_id", "uprn", "postcode", "q", "lat", "lon", "easting",
                     "northing", "justification", "radius_m", "as_of"}


def test_the_copy_in_docs_is_the_document_served(client, token, web_settings):
    assert DOCS.read_text(encoding="utf-8") == document_text(), (
        "docs/openapi.json is out of date: python -m web.openapi > docs/openapi.json")
    served = client.get("/api/v1/openapi.json", headers=token())
    assert served.status_code == 200 and served.get_json() == build_document()
    validate(served.get_json())
    assert client.get("/api/v1/openapi.json").status_code == 401


@pytest.mark.parametrize("role, component", [("control_room", "AddressCheckRestricted"),
                                             ("intelligence", "AddressCheckFull")])
@pytest.mark.parametrize("query", [{"uprn": "100010001"}, {"address_id": "A2"},
                                   {"address_id": "H1"}, {"postcode": "NR1 3AD"}])
def test_each_view_of_an_answer_matches_its_schema(store, settings, tmp_path, client, token,
                                                   role, component, query):
    load_graph(store, settings, tmp_path, TABLES)
    answer = client.get("/api/v1/address-check", headers=token(role),
                        query_string={**query, "justification": "CAD 1", "as_of": AS_OF})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    document = build_document()
    check_against(document, component, body)
    jsonschema.validate(body, _response_schema(document, "200"))
    assert body["schema_version"] == answer.headers["X-Schema-Version"] == "1.0"


def test_the_candidates_and_the_errors_match_their_schemas(store, settings, tmp_path, client,
                                                           token):
    load_graph(store, settings, tmp_path, TABLES)
    document = build_document()
    headers = token()
    listed = client.get("/api/v1/address-check", headers=headers,
                        query_string={"postcode": "NR1 3FF", "justification": "CAD 1"})
    check_against(document, "AddressCheckCandidates", listed.get_json())
    for query, status in (({"uprn": "x"}, 400), ({"uprn": "4242"}, 404),
                          ({"lat": "40", "lon": "1"}, 400), ({"uprn": "1", "as_of": "1800-01-01"},
                                                             400)):
        answer = client.get("/api/v1/address-check", headers=headers,
                            query_string={**query, "justification": "CAD 1"})
        assert answer.status_code == status
        check_against(document, "Error", answer.get_json())
    refused = client.get("/api/v1/address-check?uprn=1&justification=abc")
    assert refused.status_code == 401
    check_against(document, "Error", refused.get_json())


def test_a_field_the_contract_does_not_list_fails_the_restricted_schema():
    document = build_document()
    with pytest.raises(jsonschema.ValidationError, match="person_id"):
        check_against(document, "AddressCheckRestricted", {"person_id": "C1"})
    assert json.loads(document_text()) == document
