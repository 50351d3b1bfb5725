"""Bad rows are rejected with file, line, field and a plain reason; the good rows still land."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from graphsvc.importer.files import BY_NAME
from graphsvc.importer.reader import Batch
from graphsvc.importer.write import KnownIds, write_batch
from tests.factories import load_graph


def _rejects(report) -> dict[tuple[str, int], tuple[str, str]]:
    return {(r["file"], r["line"]): (r["field"], r["reason"]) for r in report["rejects"]}


def _ids(store, label, key):
    return sorted(r["n"][key] for r in store.read("tests_import/nodes", label=label))


PEOPLE = [
    {"person_id": "P1", "given_name": "Good", "date_of_birth": "1990-02-28"},  # line 2
    {"person_id": "P2", "given_name": "Bad", "date_of_birth": "1990-02-30"},  # line 3
    {"person_id": "", "given_name": "No id"},  # line 4
    {"person_id": "P4", "gender": "femail"},  # line 5
    {"person_id": "P5", "date_of_birth": "01/02/1990"},  # line 6
    {"person_id": "P6", "phone_numbers": "07700 900123;call me"},  # line 7
    {"person_id": "P7", "given_name": "Also good", "gender": "MALE"},  # line 8
    {"person_id": "P1", "given_name": "Duplicate"},  # line 9
    {"person_id": "P9", "date_of_birth": "2999-01-01"},  # line 10
]


def test_each_bad_person_is_rejected_with_line_field_and_reason(store, settings, tmp_path):
    report = load_graph(store, settings, tmp_path, {"people": PEOPLE}, allow_rejects=True)
    rejects = _rejects(report)
    assert rejects == {
        ("people.csv", 3): ("date_of_birth",
                            "'1990-02-30' is not a real date (expected YYYY-MM-DD)"),
        ("people.csv", 4): ("person_id", "no value given, but this field is required"),
        ("people.csv", 5): ("gender", "'femail' is not one of female, male, other, unknown"),
        ("people.csv", 6): ("date_of_birth", "'01/02/1990' is not a date (expected YYYY-MM-DD)"),
        ("people.csv", 7): ("phone_numbers", "'call me' is not a phone number"),
        ("people.csv", 9): ("person_id", "duplicate of line 2 (same person_id P1); the first "
                            "occurrence was kept"),
        ("people.csv", 10): ("date_of_birth", "2999-01-01 is in the future"),
    }
    assert _ids(store, "Person", "person_id") == ["P1", "P7"]
    p1 = store.read_one("tests_import/node", label="Person", key="person_id", value="P1")["n"]
    assert p1["given_name"] == "Good"  # the first occurrence won
    assert report["files"]["people"] == {"file": "people.csv", "read": 9, "imported": 2,
                                         "rejected": 7, "refused": "", "unknown_columns": [],
                                         "seconds": report["files"]["people"]["seconds"]}
    assert not report["clean"]


def test_rejects_file_holds_every_rejected_row_with_its_raw_text(store, settings, tmp_path):
    report = load_graph(store, settings, tmp_path, {"people": PEOPLE}, allow_rejects=True)
    with open(report["rejects_path"], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7
    assert rows[0] == {"file": "people.csv", "line": "3", "field": "date_of_birth",
                       "reason": "'1990-02-30' is not a real date (expected YYYY-MM-DD)",
                       "raw": "P2,Bad,1990-02-30,,"}
    assert Path(report["report_path"]).parent == Path(report["rejects_path"]).parent
    assert Path(report["report_path"]).is_relative_to(settings.data_dir / "imports")


def test_bad_values_of_every_type_are_rejected(store, settings, tmp_path):
    tables = {
        "people": [{"person_id": "P1"}, {"person_id": "P2"}],
        "addresses": [
            {"address_id": "A1", "latitude": "52.6", "longitude": "1.3"},
            {"address_id": "A2", "latitude": "48.85", "longitude": "2.35"},  # Paris
            {"address_id": "A3", "latitude": "north", "longitude": "1.3"},
            {"address_id": "A4", "easting": "800000", "northing": "300000"},
            {"address_id": "A5", "latitude": "52.6"},
            {"address_id": "A6", "uprn": "12345678901234"},
            {"address_id": "A7", "easting": "651409", "northing": "-5"},
        ],
        "orders": [
            {"order_id": "O1", "person_id": "P1", "order_type": "shpo", "start_date": "2024-01-01",
             "prohibits_child_contact": "yes"},
            {"order_id": "O2", "person_id": "P1", "order_type": "asbo", "start_date": "2024-01-01"},
            {"order_id": "O3", "person_id": "P1", "order_type": "sro", "start_date": "2024-01-01",
             "end_date": "2023-01-01"},
            {"order_id": "O4", "person_id": "P1", "order_type": "sro", "start_date": "2024-01-01",
             "protected_person_ids": "P2;P404"},
            {"order_id": "O5", "person_id": "P1", "order_type": "cawn",
             "start_date": "2024-01-01", "protected_person_ids": "P2"},
        ],
        "incidents": [
            {"incident_id": "I1", "incident_type": "domestic_abuse", "occurred_at": "yesterday"},
            {"incident_id": "I2", "incident_type": "domestic_abuse",
             "occurred_at": "2025-01-01T10:00", "dash_score": "25"},
            {"incident_id": "I3", "incident_type": "domestic_abuse",
             "occurred_at": "2025-01-01T10:00", "dash_score": "ten"},
            {"incident_id": "I4", "incident_type": "missing", "occurred_at": "2025-01-01T10:00",
             "risk_grade": "standard"},
            {"incident_id": "I5", "incident_type": "missing", "occurred_at": "2025-01-01T10:00",
             "returned_at": "2025-01-01 25:00"},
            {"incident_id": "I6", "incident_type": "missing", "occurred_at": "2025-01-01T10:00",
             "address_id": "A2"},
        ],
    }
    report = load_graph(store, settings, tmp_path, tables, allow_rejects=True)
    assert _rejects(report) == {
        ("addresses.csv", 3): ("latitude", "48.85, 2.35 is outside the United Kingdom"),
        ("addresses.csv", 4): ("latitude", "'north' is not a number"),
        ("addresses.csv", 5): ("easting",
                               "800000 is outside the British National Grid (0 to 700000)"),
        ("addresses.csv", 6): ("longitude", "latitude and longitude must be given together"),
        ("addresses.csv", 7): ("uprn", "'12345678901234' is not a UPRN (expected 1 to 12 digits)"),
        ("addresses.csv", 8): ("northing",
                               "-5 is outside the British National Grid (0 to 1300000)"),
        ("orders.csv", 2): ("prohibits_child_contact", "'yes' is not true or false"),
        ("orders.csv", 3): ("order_type", "'asbo' is not one of shpo, sro, cawn, dvpo, "
                            "restraining, non_molestation"),
        ("orders.csv", 4): ("end_date", "2023-01-01 is before start_date 2024-01-01"),
        ("orders.csv", 5): ("protected_person_ids",
                            "'P404' is not a person in this import or in the graph"),
        ("incidents.csv", 2): ("occurred_at", "'yesterday' is not a date and time (expected "
                               "ISO 8601, e.g. 2025-03-01T22:15:00)"),
        ("incidents.csv", 3): ("dash_score", "25 is outside 0 to 24"),
        ("incidents.csv", 4): ("dash_score", "'ten' is not a whole number"),
        ("incidents.csv", 5): ("risk_grade", "'standard' is not a missing-person risk grade "
                               "(no_apparent_risk, low, medium, high)"),
        ("incidents.csv", 6): ("returned_at", "'2025-01-01 25:00' is not a real date and time "
                               "(expected ISO 8601, e.g. 2025-03-01T22:15:00)"),
        ("incidents.csv", 7): ("address_id", "'A2' is not an address in this import or in "
                               "the graph"),
    }
    assert _ids(store, "Address", "address_id") == ["A1"]
    assert _ids(store, "Order", "order_id") == ["O5"]
    links = sorted(store.read("tests_import/links"), key=lambda link: link["type"])
    assert links == [{"from": "O5", "type": "PROTECTS", "to": "P2"},
                     {"from": "P1", "type": "RESTRICTED_BY", "to": "O5"}]


def test_a_reference_may_point_at_a_record_already_in_the_graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, {"people": [{"person_id": "P1"}],
                                           "addresses": [{"address_id": "A1"}]})
    report = load_graph(store, settings, tmp_path, {
        "residences": [{"person_id": "P1", "address_id": "A1"},
                       {"person_id": "P1", "address_id": "A9"},
                       {"person_id": "P9", "address_id": "A1"}],
        "incident_people": [{"incident_id": "I9", "person_id": "P1", "role": "victim"}],
    }, allow_rejects=True)
    assert _rejects(report) == {
        ("residences.csv", 3): ("address_id",
                                "'A9' is not an address in this import or in the graph"),
        ("residences.csv", 4): ("person_id",
                                "'P9' is not a person in this import or in the graph"),
        ("incident_people.csv", 2): ("incident_id",
                                     "'I9' is not an incident in this import or in the graph"),
    }
    assert store.read("tests_import/links") == [{"from": "P1", "type": "RESIDES_AT", "to": "A1"}]


def test_rows_referring_to_a_rejected_row_are_rejected_too(store, settings, tmp_path):
    report = load_graph(store, settings, tmp_path, {
        "people": [{"person_id": "P1", "date_of_birth": "1990-13-01"}, {"person_id": "P2"}],
        "associations": [
            {"person_id": "P2", "target_type": "person", "target_id": "P1",
             "relation": "associate"},
            {"person_id": "P2", "target_type": "person", "target_id": "P2",
             "relation": "associate"},
            {"person_id": "P2", "target_type": "vehicle", "target_id": "AB-12 CDE",
             "relation": "uses_vehicle"},
            {"person_id": "P2", "target_type": "phone", "target_id": "none",
             "relation": "uses_phone"},
            {"person_id": "P2", "target_type": "vehicle", "target_id": "ab12cde",
             "relation": "seen_with"},
        ]}, allow_rejects=True)
    assert _rejects(report) == {
        ("people.csv", 2): ("date_of_birth", "'1990-13-01' is not a real date "
                            "(expected YYYY-MM-DD)"),
        ("associations.csv", 2): ("target_id",
                                  "'P1' is not a person in this import or in the graph"),
        ("associations.csv", 3): ("target_id", "a person cannot be associated with themselves"),
        ("associations.csv", 4): ("target_id", "'AB-12 CDE' is not a vehicle registration mark"),
        ("associations.csv", 5): ("target_id", "'none' is not a phone number"),
    }
    assert store.counts()["nodes"] == {"Person": 1, "Vehicle": 1}


def test_an_engine_refusal_rejects_only_the_row_it_refuses(store, settings):
    spec = replace(BY_NAME["people"], statement="tests_import/people_failing",
                   fresh="tests_import/people_failing")
    rows = [{"person_id": f"P{n}", "given_name": name}
            for n, name in enumerate(["Ann", "BOOM", "Cat"])]
    batch = Batch(lines=[2, 3, 4], statements=[spec.statement] * 3,
                  keys=[(r["person_id"],) for r in rows], refs=[()] * 3, hashes=[""] * 3,
                  raws=[""] * 3, encoded=store.encode_rows(rows))
    rejected = []
    imported = write_batch(store, spec, batch, KnownIds(store), "2025-01-01T00:00:00",
                           lambda line, field, reason, raw: rejected.append((line, reason)))
    assert imported == 2
    assert _ids(store, "Person", "person_id") == ["P0", "P2"]
    [(line, reason)] = rejected
    assert line == 3 and reason.startswith("the graph engine refused this row:")


@pytest.mark.parametrize("value,expected", [("1990-02-29", "not a real date"),
                                            ("1990-2-3", "not a date")])
def test_dates_are_strict(store, settings, tmp_path, value, expected):
    report = load_graph(store, settings, tmp_path,
                        {"people": [{"person_id": "P1", "date_of_birth": value}]},
                        allow_rejects=True)
    assert expected in report["rejects"][0]["reason"]


def test_a_person_whose_offenders_row_is_rejected_is_not_an_offender(store, settings, tmp_path):
    # People offenders.csv lists are created with their Offender label at once: a rejected
    # offenders row must leave its person as if the file had never named them.
    offenders = [
        {"person_id": "P1", "registered_from": "2020-01-01", "rosh_level": "high"},
        {"person_id": "P2", "registered_from": "2020-01-01", "rosh_level": "extreme"},
        {"person_id": "P3", "registered_from": "2020-13-01", "rosh_level": "low"},
    ]
    people = [{"person_id": p} for p in ("P1", "P2", "P3", "P4")]
    report = load_graph(store, settings, tmp_path, {"people": people, "offenders": offenders},
                        allow_rejects=True)
    assert set(_rejects(report)) == {("offenders.csv", 3), ("offenders.csv", 4)}
    assert _ids(store, "Offender", "person_id") == ["P1"]
    assert _ids(store, "Person", "person_id") == ["P1", "P2", "P3", "P4"]
    assert store.counts()["nodes"] == {"Offender": 1, "Person": 4}
