"""The files of the import format, in the order they are applied, with their columns and keys.

Each `FileSpec.prepare` turns a row of parsed cells into the row its Cypher statement expects
(search keys, coordinates, computed flags) and makes the checks that span several columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphsvc.importer import normalise
from graphsvc.importer.fields import (
    MAX_TEXT,
    Column,
    choice,
    flag,
    ident,
    long_text,
    moment,
    number,
    parse_datetime_or_date,
    parse_phone,
    parse_text,
    parse_uprn,
    parse_vrm,
    text,
    when,
    whole,
)
from graphsvc.markers import parse_marker

# Rough bounds of the United Kingdom (with Northern Ireland, Scilly and Shetland).
UK_LATITUDE = (49.8, 60.9)
UK_LONGITUDE = (-8.7, 1.8)
# Extent of the British National Grid, metres.
GRID_EASTING = (0.0, 700_000.0)
GRID_NORTHING = (0.0, 1_300_000.0)


class RowError(ValueError):
    """A row is rejected: which field, and why in plain English."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


Prepare = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class FileSpec:
    """One file of the format: columns, key, the statement that writes it, what it defines."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    statement: str  # cypher/ingest/<name>; associations pick one per target type
    prepare: Prepare
    defines: str = ""  # label whose ids this file creates, so later files may refer to them
    links: bool = False  # writes links owned by its node (their fingerprint is `link_hash`)
    # Returns {id, row_hash} of the records the graph holds, so unchanged rows are skipped.
    stored: str = ""
    fresh: str = ""  # writes records the graph does not hold yet (no stale links to remove)
    # As `fresh`, for the records a later file of the import labels (KnownIds.to_label): they
    # are created with that label at once.
    fresh_labelled: str = ""
    # The one link type a link file writes: when the graph held none as the file began, `fresh`
    # creates every row's link (no row's link can exist yet) instead of merging it.
    link_type: str = ""
    # Its batches may be written side by side (graphsvc/importer/inflight.py): no row refers to
    # a record of this file, and no statement creates a node that another row may create too.
    in_flight: bool = False
    columns_by_name: dict[str, Column] = field(init=False, repr=False, compare=False)
    # Per column, what the validator needs, unpacked once (it runs for every row).
    plan: tuple[tuple[Any, ...], ...] = field(init=False, repr=False, compare=False)
    refs: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {c.name for c in self.columns}
        common = tuple(c for c in (text("source"), text("source_ref")) if c.name not in names)
        object.__setattr__(self, "columns", self.columns + common)
        object.__setattr__(self, "columns_by_name", {c.name: c for c in self.columns})
        object.__setattr__(self, "refs", tuple((c.name, c.ref) for c in self.columns if c.ref))
        if self.in_flight and self.defines in {label for _name, label in self.refs}:
            raise ValueError(f"{self.name}: a file that refers to its own records cannot have "
                             "its batches written side by side")
        object.__setattr__(self, "plan", tuple(
            (c.name, None if c.parse is parse_text else c.parse, c.required, frozenset(c.choices),
             ", ".join(c.choices), c.default, c.is_list, c.max_len, c.key) for c in self.columns))

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _period(row: dict[str, Any], start: str = "start_date", end: str = "end_date") -> None:
    if row.get(start) and row.get(end) and row[end] < row[start]:
        raise RowError(end, f"{row[end]} is before {start} {row[start]}")


def _person(row: dict[str, Any]) -> dict[str, Any]:
    given, family = row["given_name"], row["family_name"]
    aliases = row["aliases"]
    alias_keys = [k for k in dict.fromkeys(normalise.text_key(a) for a in aliases or []) if k]
    given_key, family_key = normalise.text_key(given), normalise.text_key(family)
    row["given_name_key"] = given_key or None
    row["family_name_key"] = family_key or None
    # what normalise.name_key(given, family) gives, from the keys just made
    row["name_key"] = " ".join(k for k in (given_key, family_key) if k) or None
    row["alias_keys"] = alias_keys or None
    return row


def _in_uk(lat: float, lon: float) -> bool:
    return UK_LATITUDE[0] <= lat <= UK_LATITUDE[1] and UK_LONGITUDE[0] <= lon <= UK_LONGITUDE[1]


def _address(row: dict[str, Any]) -> dict[str, Any]:
    lat, lon = row["latitude"], row["longitude"]
    east, north = row.pop("easting"), row.pop("northing")
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        raise RowError(missing, "latitude and longitude must be given together")
    if lat is not None:
        if not _in_uk(lat, lon):
            raise RowError("latitude", f"{lat}, {lon} is outside the United Kingdom")
    elif east is not None or north is not None:
        if east is None or north is None:
            raise RowError("northing" if north is None else "easting",
                           "easting and northing must be given together")
        if not GRID_EASTING[0] <= east <= GRID_EASTING[1]:
            raise RowError("easting", f"{east:g} is outside the British National Grid "
                           "(0 to 700000)")
        if not GRID_NORTHING[0] <= north <= GRID_NORTHING[1]:
            raise RowError("northing", f"{north:g} is outside the British National Grid "
                           "(0 to 1300000)")
        point = normalise.grid_to_wgs84(east, north)
        if point is None or not _in_uk(*point):
            raise RowError("easting", f"{east:g}, {north:g} is outside Great Britain (the "
                           "Ordnance Survey's OSTN15 transform does not reach it)")
        lat, lon = round(point[0], 8), round(point[1], 8)
    row["latitude"], row["longitude"] = lat, lon
    code = row["postcode"]
    if code:
        row["postcode"] = normalise.postcode(code)
    row["postcode_key"] = normalise.postcode_key(code) if code else None
    parts = (row["line1"], row["line2"], row["town"], row["postcode"])
    row["text_key"] = " ".join(k for k in map(normalise.text_key, parts) if k) or None
    return row


def _residence(row: dict[str, Any]) -> dict[str, Any]:
    _period(row)
    # Relationship properties may not be null in a MERGE key: start_date may be absent.
    row["residence_key"] = f"{row['residence_type']}|{row['start_date'] or ''}"
    return row


def _offender(row: dict[str, Any]) -> dict[str, Any]:
    _period(row, "registered_from", "registered_until")
    return row


def _order(row: dict[str, Any]) -> dict[str, Any]:
    _period(row)
    if row["person_id"] in (row["protected_person_ids"] or []):
        raise RowError("protected_person_ids", "the order cannot protect the person it restricts")
    return row


def _plain_period(row: dict[str, Any]) -> dict[str, Any]:
    _period(row)
    return row


def _authority_key(value: str) -> str:
    return "".join(value.lower().split())


def _placement(row: dict[str, Any]) -> dict[str, Any]:
    _period(row)
    row["out_of_area"] = _authority_key(row["placing_authority"]) != _authority_key(
        row["area_authority"])
    return row


_DASH_GRADES = ("standard", "medium", "high")
_MISSING_GRADES = ("no_apparent_risk", "low", "medium", "high")


def _incident(row: dict[str, Any]) -> dict[str, Any]:
    grade, kind = row["risk_grade"], row["incident_type"]
    if grade and kind == "domestic_abuse" and grade not in _DASH_GRADES:
        raise RowError("risk_grade", f"'{grade}' is not a DASH grade "
                       f"({', '.join(_DASH_GRADES)}) for a domestic_abuse incident")
    if grade and kind in ("missing", "absent") and grade not in _MISSING_GRADES:
        raise RowError("risk_grade", f"'{grade}' is not a missing-person risk grade "
                       f"({', '.join(_MISSING_GRADES)})")
    score = row["dash_score"]
    if score is not None and not 0 <= score <= 24:
        raise RowError("dash_score", f"{score} is outside 0 to 24")
    row["occurred_on"] = row["occurred_at"][:10]
    if row["returned_at"] and row["returned_at"] < row["occurred_at"]:
        raise RowError("returned_at", f"{row['returned_at']} is before occurred_at "
                       f"{row['occurred_at']}")
    return row


def _involvement(row: dict[str, Any]) -> dict[str, Any]:
    return row


def _association(row: dict[str, Any]) -> dict[str, Any]:
    kind, target = row["target_type"], row["target_id"]
    try:
        if kind == "vehicle":
            row["target_id"] = parse_vrm(target)
        elif kind == "phone":
            row["target_id"] = parse_phone(target)
    except ValueError as exc:
        raise RowError("target_id", str(exc)) from None
    if kind == "person" and target == row["person_id"]:
        raise RowError("target_id", "a person cannot be associated with themselves")
    _period(row, "first_seen", "last_seen")
    return row


_RESIDENCE_TYPES = ("home", "notified_stay", "temporary", "household_contact")
_ADDRESS_TYPES = ("private", "childrens_home", "secure_home", "foster_home",
                  "supported_accommodation", "approved_premises", "hotel", "school", "commercial",
                  "other")

FILES: tuple[FileSpec, ...] = (
    FileSpec("people", (
        ident("person_id", required=True), text("given_name"), text("family_name"),
        text("aliases", is_list=True), when("date_of_birth"),
        choice("gender", "female", "male", "other", "unknown"), text("pnc_id"),
        Column("phone_numbers", parse_phone, is_list=True, max_len=MAX_TEXT),
        Column("warning_markers", parse_marker, is_list=True),
    ), key=("person_id",), statement="ingest/people", prepare=_person, defines="Person",
        stored="ingest/stored_person", fresh="ingest/people_new_person",
        fresh_labelled="ingest/people_new_offender"),
    FileSpec("addresses", (
        ident("address_id", required=True), Column("uprn", parse_uprn), text("line1"),
        text("line2"), text("town"), text("postcode"), number("latitude"), number("longitude"),
        number("easting"), number("northing"),
        choice("address_type", *_ADDRESS_TYPES, default="private"),
        Column("warning_markers", parse_marker, is_list=True),
    ), key=("address_id",), statement="ingest/addresses", prepare=_address, defines="Address",
        stored="ingest/stored_address", fresh="ingest/addresses_new", in_flight=True),
    FileSpec("residences", (
        ident("person_id", "Person", required=True), ident("address_id", "Address", required=True),
        choice("residence_type", *_RESIDENCE_TYPES, default="home"),
        when("start_date"), when("end_date"),
    ), key=("person_id", "address_id", "residence_type", "start_date"),
        statement="ingest/residences", prepare=_residence, fresh="ingest/residences_new",
        link_type="RESIDES_AT", in_flight=True),
    FileSpec("offenders", (
        ident("person_id", "Person", required=True), text("visor_ref"),
        when("registered_from", required=True), when("registered_until"),
        choice("mappa_category", "1", "2", "3"), choice("mappa_level", "1", "2", "3"),
        choice("rosh_level", "low", "medium", "high", "very_high", required=True),
        text("offender_manager"), long_text("risk_management_summary"),
    ), key=("person_id",), statement="ingest/offenders", prepare=_offender,
        stored="ingest/stored_offenders", in_flight=True),
    FileSpec("orders", (
        ident("order_id", required=True), ident("person_id", "Person", required=True),
        choice("order_type", "shpo", "sro", "cawn", "dvpo", "restraining", "non_molestation",
               required=True),
        when("start_date", required=True), when("end_date"),
        ident("protected_person_ids", "Person", is_list=True),
        flag("prohibits_child_contact", default="false"), long_text("conditions"),
    ), key=("order_id",), statement="ingest/orders", prepare=_order, links=True,
        stored="ingest/stored_order", in_flight=True),
    FileSpec("protection_plans", (
        ident("plan_id", required=True), ident("person_id", "Person", required=True),
        choice("category", "neglect", "physical_abuse", "sexual_abuse", "emotional_abuse",
               "multiple", required=True),
        when("start_date", required=True), when("end_date"), text("local_authority"),
        text("lead_professional"), text("lead_contact"),
    ), key=("plan_id",), statement="ingest/protection_plans", prepare=_plain_period, links=True,
        stored="ingest/stored_plan", in_flight=True),
    FileSpec("placements", (
        ident("placement_id", required=True), ident("person_id", "Person", required=True),
        ident("address_id", "Address", required=True),
        text("placing_authority", required=True), text("area_authority", required=True),
        choice("placement_type", "childrens_home", "secure_home", "foster", "kinship_foster",
               "supported_accommodation", "with_parents", "adoption", "other", required=True),
        choice("legal_basis", "s20", "s31", "s38", "other"),
        when("start_date", required=True), when("end_date"), when("police_notified_date"),
    ), key=("placement_id",), statement="ingest/placements", prepare=_placement, links=True,
        stored="ingest/stored_placement", in_flight=True),
    FileSpec("incidents", (
        ident("incident_id", required=True),
        choice("incident_type", "domestic_abuse", "missing", "absent", "cse_concern",
               "sexual_offence", "child_neglect", "violence", "concern_for_welfare", "other",
               required=True),
        Column("occurred_at", parse_datetime_or_date, required=True),
        ident("address_id", "Address"),
        choice("risk_grade", *dict.fromkeys(_DASH_GRADES + _MISSING_GRADES)),
        whole("dash_score"), ident("found_address_id", "Address"), moment("returned_at"),
        moment("return_interview_at"), text("crime_ref"),
        choice("status", "open", "closed", default="closed"), long_text("summary"),
    ), key=("incident_id",), statement="ingest/incidents", prepare=_incident, defines="Incident",
        links=True, stored="ingest/stored_incident", fresh="ingest/incidents_new",
        in_flight=True),
    FileSpec("incident_people", (
        ident("incident_id", "Incident", required=True),
        ident("person_id", "Person", required=True),
        choice("role", "victim", "suspect", "offender", "witness", "missing_person", "found_with",
               "child_present", "reporting_person", "subject", required=True),
    ), key=("incident_id", "person_id", "role"), statement="ingest/incident_people",
        prepare=_involvement, fresh="ingest/incident_people_new", link_type="INVOLVED_IN",
        in_flight=True),
    FileSpec("associations", (
        ident("person_id", "Person", required=True),
        choice("target_type", "person", "vehicle", "phone", "address", required=True),
        ident("target_id", required=True),
        choice("relation", "associate", "family", "partner", "uses_vehicle", "uses_phone",
               "frequents", "seen_with", required=True),
        when("first_seen"), when("last_seen"), text("grading"),
    ), key=("person_id", "target_type", "target_id", "relation"),
        statement="ingest/associations_", prepare=_association),
)

BY_NAME = {spec.name: spec for spec in FILES}

# Which label each `target_type` of an association refers to, when it must already exist.
ASSOCIATION_REFS = {"person": "Person", "address": "Address"}
