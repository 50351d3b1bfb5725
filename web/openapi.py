"""The API's contract: an OpenAPI 3.1 document for command-and-control systems to build on.

`build_document()` writes it from the same vocabulary the answers are made of (incident types,
markers, RoSH levels, the schema version), so the contract cannot drift from one list to
another. Served at /api/v1/openapi.json and kept in docs/openapi.json
(`python -m web.openapi > docs/openapi.json`; a test checks the copy is current). Every object
forbids properties it does not list: a field added to an answer fails the tests until the
contract says so, and the control room's view cannot grow a field by accident.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from graphsvc.address_check import (
    CARE_SETTINGS,
    MAX_RADIUS_M,
    QUERY_KEYS,
    SAFETY_TYPES,
    SCHEMA_VERSION,
)
from graphsvc.address_check import GB_LATITUDE as LAT
from graphsvc.address_check import GB_LONGITUDE as LON
from graphsvc.markers import WARNING_MARKERS

STR: dict = {"type": "string"}
NSTR: dict = {"type": ["string", "null"]}
INT: dict = {"type": "integer"}
NINT: dict = {"type": ["integer", "null"]}
NUM: dict = {"type": "number"}
NNUM: dict = {"type": ["number", "null"]}
BOOL: dict = {"type": "boolean"}
NBOOL: dict = {"type": ["boolean", "null"]}
DATE: dict = {"type": "string", "format": "date"}
NDATE: dict = {"type": ["string", "null"], "format": "date"}
NDATETIME: dict = {"type": ["string", "null"], "description": "ISO 8601 local date and time"}
ROSH: dict = {"type": ["string", "null"], "enum": ["low", "medium", "high", "very_high", None]}
LABELS: dict = {"type": "array", "items": {"type": "string", "enum": list(
    WARNING_MARKERS.values())}, "description": "warning markers in plain words"}


def obj(props: dict[str, Any], optional: tuple[str, ...] = (), **extra: Any) -> dict:
    """An object that requires its listed properties (but `optional`) and allows no others."""
    return {"type": "object", "properties": props,
            "required": [k for k in props if k not in optional], "additionalProperties": False,
            **extra}


def arr(items: dict, **extra: Any) -> dict:
    return {"type": "array", "items": items, **extra}


def _ids(full: bool, **ids: dict) -> dict:
    """Id and other fields only the full view carries."""
    return ids if full else {}


def _plan(full: bool) -> dict:
    return obj({**_ids(full, plan_id=STR), "category": {
        "type": "string", "enum": ["neglect", "physical_abuse", "sexual_abuse", "emotional_abuse",
                                   "multiple"]},
        "start_date": NDATE, "local_authority": NSTR, "lead_professional": NSTR,
        "lead_contact": NSTR})


def _order(full: bool) -> dict:
    return obj({**_ids(full, order_id=STR), "order_type": STR, "end_date": NDATE,
                "conditions": NSTR, "prohibits_child_contact": BOOL})


def _found(full: bool) -> dict:
    """The answer for one address: the control room's view (`full` False) or everyone else's."""
    plan, order = _plan(full), _order(full)
    safety_type = obj({"incident_type": {"type": "string", "enum": list(SAFETY_TYPES)},
                       "label": STR, "count": INT, "last_date": NDATE, "highest_grade": NSTR},
                      optional=("highest_grade",))
    domestic = obj({"count": INT, "highest_grade": NSTR, "last_date": NDATE,
                    **_ids(full, incidents=arr(obj({
                        "incident_id": STR, "occurred_at": NDATETIME, "risk_grade": NSTR,
                        "dash_score": NINT, "crime_ref": NSTR})))})
    props = {
        "schema_version": {"type": "string", "const": SCHEMA_VERSION},
        "status": {"const": "found"},
        "view": {"const": "full" if full else "restricted"},
        "query": {"$ref": "#/components/schemas/Query"},
        "as_of": DATE, "since": DATE,
        "radius_m": {"type": "integer", "minimum": 1, "maximum": MAX_RADIUS_M},
        "located": {"type": "boolean", "description": "false: the address has no coordinates, "
                                                      "so nobody nearby could be measured"},
        "address": {"$ref": "#/components/schemas/Address"},
        "warnings": arr(obj({"level": {"enum": ["critical", "high", "medium", "info"]},
                             "text": STR})),
        "counts": obj({k: INT for k in (
            "people_living_here", "children_living_here", "children_on_protection_plans",
            "looked_after_children_placed_here", "offenders_living_here",
            "offenders_tied_to_address", "active_orders", "domestic_abuse_incidents_12_months",
            "incidents_12_months", "missing_children_placed_here_90_days", "open_flags")}
            | {"offenders_nearby": {**NINT, "description": "null when the address has no "
                                                           "coordinates: never a false 0"}}),
        "children_on_protection_plans": arr(obj({
            **_ids(full, person_id=STR, date_of_birth=NDATE), "name": STR, "age": NINT,
            "plans": arr(plan)})),
        "looked_after_children": arr(obj({
            **_ids(full, person_id=STR, date_of_birth=NDATE, placement_id=STR),
            "name": STR, "age": NINT, "placing_authority": NSTR, "out_of_area": NBOOL,
            "placement_type": NSTR, "legal_basis": NSTR, "start_date": NDATE,
            "plans": arr(plan),
            "missing_last_90_days": obj({"count": INT, "last_date": NDATE, "episodes": arr(obj({
                **_ids(full, incident_id=STR), "occurred_at": NDATETIME,
                "returned_at": NDATETIME}))})})),
        "offenders_here": arr(obj({
            **_ids(full, person_id=STR, date_of_birth=NDATE, visor_ref=NSTR),
            "name": STR, "description": STR, "rosh_level": ROSH, "mappa_category": NSTR,
            "mappa_level": NSTR, "residence_type": NSTR, "risk_management_summary": NSTR,
            "warning_markers": LABELS, "orders": arr(order)})),
        "offenders_nearby": arr(obj({
            **_ids(full, person_id=STR, address_id=NSTR),
            "name": {**NSTR, "description": "null unless an order protecting someone here or "
                                            "an open flag about this address ties them to it"},
            "named": BOOL, "why_named": NSTR, "description": STR, "rosh_level": ROSH,
            "distance_m": NINT, "bearing_deg": NNUM, "direction": NSTR, "within_radius": BOOL,
            "label": {**STR, "examples": ["RoSH high, 600 m north"]}, "orders": arr(order)})),
        "orders": arr(obj({
            **_ids(full, order_id=STR, subject_id=NSTR), "order_type": STR,
            "start_date": NDATE, "end_date": NDATE, "prohibits_child_contact": NBOOL,
            "conditions": NSTR, "relation": {"enum": ["subject_lives_here",
                                                      "protects_someone_here", "both"]},
            "subject_name": STR,
            "protected": arr(obj({**_ids(full, person_id=STR), "name": STR, "child": BOOL}))})),
        "officer_safety": obj({"types": arr(safety_type), "domestic_abuse": domestic}),
        "domestic_abuse": domestic,
        "warning_markers": obj({"address": LABELS, "people": arr(obj({
            **_ids(full, person_id=STR), "name": STR, "age": NINT, "markers": LABELS}))}),
        "care_settings_nearby": arr(obj({
            **_ids(full, address_id=STR), "address_type": {"enum": list(CARE_SETTINGS)},
            "distance_m": NINT, "bearing_deg": NNUM, "direction": NSTR, "label": STR})),
        "flags": arr(obj({**_ids(full, flag_id=STR, status=NSTR, summary=NSTR,
                                 last_seen=NDATETIME),
                          "rule_id": STR, "severity": NSTR, "title": NSTR})),
        "picture": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Picture"}]},
    }
    if full:
        props["residents"] = arr(obj({
            "person_id": STR, "given_name": NSTR, "family_name": NSTR, "name": STR,
            "date_of_birth": NDATE, "age": NINT, "child": BOOL, "gender": NSTR,
            "residence_type": NSTR, "offender": NBOOL, "plans": arr(plan),
            "warning_markers": LABELS}))
    title = "everyone but the control room" if full else "the control room (docs/roles.md)"
    return obj(props, description=f"The briefing for one address, as {title} sees it.")


def _address() -> dict:
    return obj({"address_id": STR, "uprn": NSTR, "line1": NSTR, "line2": NSTR, "town": NSTR,
                "postcode": NSTR, "address_type": NSTR, "latitude": NNUM, "longitude": NNUM,
                "label": STR, "distance_m": INT, "why": STR, "warning_markers": LABELS},
               optional=("distance_m", "why", "warning_markers"))


def _picture() -> dict:
    return obj({
        "size": INT, "centre": NUM, "extent_m": INT, "radius_m": INT,
        "rings": arr(obj({"metres": INT, "r": NUM, "label": STR, "radius": BOOL})),
        "points": arr(obj({"kind": {"enum": ["offender", "care_setting"]}, "level": STR,
                           "label": STR, "name": NSTR, "named": BOOL, "distance_m": INT,
                           "bearing_deg": NUM, "x": NUM, "y": NUM}, optional=("name",))),
        "tiles": arr(obj({"href": STR, "x": NUM, "y": NUM, "size": NUM}))},
        description="Geometry of the picture of the surroundings: a square of `size` units "
                    "with the address at (`centre`, `centre`) and north up.")


def _parameters() -> list[dict]:
    def q(name: str, schema: dict, description: str, required: bool = False) -> dict:
        return {"name": name, "in": "query", "required": required, "schema": schema,
                "description": description}

    return [
        q("address_id", {"type": "string", "maxLength": 100}, "the address's id"),
        q("uprn", {"type": "string", "pattern": "^[0-9]{1,12}$"}, "Unique Property Reference "
                                                                 "Number"),
        q("postcode", {"type": "string", "maxLength": 20}, "a full UK postcode, e.g. NR1 3AB"),
        q("q", {"type": "string", "maxLength": 200}, "words of the address"),
        q("lat", {"type": "number", "minimum": LAT[0], "maximum": LAT[1]},
          "WGS84 latitude (with lon)"),
        q("lon", {"type": "number", "minimum": LON[0], "maximum": LON[1]},
          "WGS84 longitude (with lat)"),
        q("easting", {"type": "number", "minimum": 0, "maximum": 700000},
          "British National Grid easting in metres (with northing), converted by OSTN15"),
        q("northing", {"type": "number", "minimum": 0, "maximum": 1300000},
          "British National Grid northing in metres (with easting)"),
        q("justification", {"type": "string", "minLength": 3, "maxLength": 500},
          "the reason or incident number; recorded in the audit log", required=True),
        q("radius_m", {"type": "integer", "minimum": 1, "maximum": MAX_RADIUS_M},
          "offenders within this many metres; default: the proximity rule's radius"),
        q("as_of", {"type": "string", "format": "date"}, "the day (1900 to today); default "
                                                         "today"),
    ]


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def build_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of /api/v1."""
    found_or_listed = {"oneOf": [{"$ref": "#/components/schemas/AddressCheckRestricted"},
                                 {"$ref": "#/components/schemas/AddressCheckFull"},
                                 {"$ref": "#/components/schemas/AddressCheckCandidates"}]}
    return {
        "openapi": "3.1.0",
        "info": {"title": "graphsvc address check", "version": f"{SCHEMA_VERSION}.0",
                 "description": "What officers going to an address must know, for "
                                "command-and-control systems. Every call is audited with its "
                                "justification and the records shown. Each answer carries "
                                "`schema_version`; a minor version adds fields, a major one "
                                "changes them."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/v1/address-check": {"get": {
                "operationId": "checkAddress",
                "summary": "The briefing for one address, or the candidates when the query "
                           "fits several",
                "description": "Give exactly one way of finding the address: address_id, uprn, "
                               "postcode, q, lat and lon, or easting and northing. "
                               f"Query keys: {', '.join(QUERY_KEYS)}.",
                "parameters": _parameters(),
                "responses": {
                    "200": {"description": "the briefing (the view depends on the caller's "
                                           "role) or the candidates",
                            "content": {"application/json": {"schema": found_or_listed}}},
                    "400": _error("bad input: the message names the parameter"),
                    "401": _error("no valid bearer token or session"),
                    "403": _error("the caller's role may not use the address check"),
                    "404": _error("no address matches"),
                }}},
            "/api/v1/openapi.json": {"get": {
                "operationId": "getOpenApi", "summary": "This document",
                "responses": {
                    "200": {"description": "the OpenAPI 3.1 document",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "401": _error("no valid bearer token or session"),
                    "403": _error("the caller's role may not use the API")}}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token from `graphsvc tokens issue NAME --role control_room`"}},
            "schemas": {
                "Error": obj({"error": STR, "status": INT}),
                "Query": obj({"by": {"enum": ["address_id", "uprn", "postcode", "q", "point"]},
                              "address_id": STR, "uprn": STR, "postcode": STR, "q": STR,
                              "lat": NUM, "lon": NUM, "easting": NUM, "northing": NUM},
                             optional=("address_id", "uprn", "postcode", "q", "lat", "lon",
                                       "easting", "northing")),
                "Address": _address(),
                "Picture": _picture(),
                "AddressCheckRestricted": _found(full=False),
                "AddressCheckFull": _found(full=True),
                "AddressCheckCandidates": obj({
                    "schema_version": {"type": "string", "const": SCHEMA_VERSION},
                    "status": {"const": "ambiguous"},
                    "view": {"enum": ["restricted", "full"]},
                    "query": {"$ref": "#/components/schemas/Query"},
                    "candidates": arr({"$ref": "#/components/schemas/Address"})}),
            }},
    }


def document_text() -> str:
    """The document as kept in docs/openapi.json."""
    return json.dumps(build_document(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document_text())
