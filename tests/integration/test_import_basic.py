"""The import writes every file type of the format into the graph, as docs/graph-model.md says."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.factories import load_graph

COUNTY = {
    "people": [
        {"person_id": "P1", "given_name": "Zoë", "family_name": "O'Brien-Smith",
         "aliases": ["Zoe Smith", "Zoé B"], "date_of_birth": "2010-05-01", "gender": "Female",
         "phone_numbers": ["+44 7700 900123", "07700 900124"], "source": "rms",
         "source_ref": "R1"},
        {"person_id": "P2", "given_name": "Adam", "family_name": "Hale",
         "date_of_birth": "1970-01-02", "gender": "male", "pnc_id": "70/12345X"},
        {"person_id": "P3", "given_name": "Chris", "family_name": "Doe"},
    ],
    "addresses": [
        {"address_id": "A1", "uprn": "100091234567", "line1": "1 Elm Road", "town": "Norwich",
         "postcode": "nr13ab", "latitude": "52.63", "longitude": "1.29"},
        {"address_id": "A2", "line1": "Caister Water Tower", "postcode": "NR30 5",
         "easting": "651409.903", "northing": "313177.270", "address_type": "childrens_home"},
        {"address_id": "A3", "line1": "No Coordinates Farm"},
    ],
    "residences": [
        {"person_id": "P2", "address_id": "A1", "start_date": "2020-01-01"},
        {"person_id": "P2", "address_id": "A3", "residence_type": "notified_stay"},
    ],
    "offenders": [{"person_id": "P2", "visor_ref": "V1", "registered_from": "2015-01-01",
                   "mappa_category": "1", "mappa_level": "2", "rosh_level": "high",
                   "source": "visor", "source_ref": "VX1"}],
    "orders": [{"order_id": "O1", "person_id": "P2", "order_type": "cawn",
                "start_date": "2024-01-01", "protected_person_ids": ["P1"],
                "prohibits_child_contact": True}],
    "protection_plans": [{"plan_id": "PP1", "person_id": "P1", "category": "sexual_abuse",
                          "start_date": "2024-02-01"}],
    "placements": [{"placement_id": "PL1", "person_id": "P1", "address_id": "A2",
                    "placing_authority": "Suffolk", "area_authority": "Norfolk",
                    "placement_type": "childrens_home", "start_date": "2024-03-01"}],
    "incidents": [
        {"incident_id": "I1", "incident_type": "missing",
         "occurred_at": "2025-07-01T22:15:00+01:00",
         "address_id": "A2", "found_address_id": "A1", "risk_grade": "high",
         "returned_at": "2025-07-02T09:00:00Z"},
        {"incident_id": "I2", "incident_type": "domestic_abuse", "occurred_at": "2025-01-05",
         "dash_score": "14", "risk_grade": "high", "status": "open"},
    ],
    "incident_people": [{"incident_id": "I1", "person_id": "P1", "role": "missing_person"},
                        {"incident_id": "I1", "person_id": "P2", "role": "found_with"}],
    "associations": [
        {"person_id": "P2", "target_type": "person", "target_id": "P3", "relation": "associate",
         "grading": "B2", "first_seen": "2024-01-01"},
        {"person_id": "P2", "target_type": "vehicle", "target_id": "ab12 cde",
         "relation": "uses_vehicle"},
        {"person_id": "P2", "target_type": "phone", "target_id": "+447700900123",
         "relation": "uses_phone"},
        {"person_id": "P2", "target_type": "address", "target_id": "A1", "relation": "frequents"},
    ],
}


@pytest.fixture(params=["csv", "jsonl"])
def fmt(request):
    return request.param


def _one(store, name, **params):
    return store.read_one(name, **params)


def test_every_file_type_lands_in_the_graph(store, settings, tmp_path, fmt):
    report = load_graph(store, settings, tmp_path, COUNTY, fmt=fmt)
    assert report["totals"] == {"read": 20, "imported": 20, "rejected": 0, "files_refused": 0}
    counts = store.counts()
    assert counts["nodes"] == {"Address": 3, "Incident": 2, "Offender": 1, "Order": 1,
                               "Person": 3, "Phone": 2, "Placement": 1, "ProtectionPlan": 1,
                               "Vehicle": 1}
    assert counts["relationships"] == {"ASSOCIATED_WITH": 6, "AT": 2, "FOUND_AT": 1,
                                       "INVOLVED_IN": 2, "PLACED_IN": 1, "PROTECTS": 1,
                                       "RESIDES_AT": 2, "RESTRICTED_BY": 1, "SUBJECT_OF": 1}


def test_people_are_normalised_with_search_keys(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    person = store.read_one("tests_import/node", label="Person", key="person_id", value="P1")["n"]
    assert person["name_key"] == "zoe obrien smith"
    assert person["given_name_key"] == "zoe" and person["family_name_key"] == "obrien smith"
    assert person["alias_keys"] == ["zoe smith", "zoe b"]
    assert person["phone_numbers"] == ["07700900123", "07700900124"]
    assert person["gender"] == "female"
    assert person["date_of_birth"] == date(2010, 5, 1)
    assert person["source"] == "rms" and person["source_ref"] == "R1"
    assert isinstance(person["updated_at"], datetime)
    assert "pnc_id" not in person  # a property with no value is absent


def test_addresses_get_keys_and_coordinates(store, settings, tmp_path):
    report = load_graph(store, settings, tmp_path, COUNTY)
    a1 = store.read_one("tests_import/node", label="Address", key="address_id", value="A1")["n"]
    assert a1["postcode"] == "NR1 3AB" and a1["postcode_key"] == "NR13AB"
    assert a1["uprn"] == "100091234567" and a1["address_type"] == "private"
    assert a1["text_key"] == "1 elm road norwich nr1 3ab"
    assert a1["location"].latitude == pytest.approx(52.63, abs=1e-5)
    a2 = store.read_one("tests_import/node", label="Address", key="address_id", value="A2")["n"]
    # Caister Water Tower, the Ordnance Survey's worked example: ETRS89 52°39'28.8282"N
    # 1°42'57.8663"E. Without OSTN15 the Helmert transform is within a few metres.
    assert a2["latitude"] == pytest.approx(52.6580078, abs=0.0001)
    assert a2["longitude"] == pytest.approx(1.7160740, abs=0.0001)
    a3 = store.read_one("tests_import/node", label="Address", key="address_id", value="A3")["n"]
    assert "location" not in a3 and "latitude" not in a3
    assert "1 addresses have no coordinates and take no part in distance rules." in \
        report["warnings"]


def test_incident_times_are_local_and_dated(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    i1 = store.read_one("tests_import/node", label="Incident", key="incident_id", value="I1")["n"]
    assert i1["occurred_at"] == datetime(2025, 7, 1, 22, 15)
    assert i1["occurred_on"] == date(2025, 7, 1)
    assert i1["returned_at"] == datetime(2025, 7, 2, 10, 0)  # 09:00 UTC is 10:00 BST
    assert i1["status"] == "closed"
    i2 = store.read_one("tests_import/node", label="Incident", key="incident_id", value="I2")["n"]
    assert i2["occurred_at"] == datetime(2025, 1, 5, 0, 0) and i2["dash_score"] == 14


def test_offender_register_sits_on_the_person(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    p2 = store.read_one("tests_import/node", label="Offender", key="person_id", value="P2")["n"]
    assert p2["rosh_level"] == "high" and p2["mappa_category"] == "1"
    assert p2["registered_from"] == date(2015, 1, 1) and "registered_until" not in p2
    assert p2["offender_source"] == "visor" and p2["offender_source_ref"] == "VX1"
    assert p2["family_name"] == "Hale"


def test_placement_out_of_area_and_order_links(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    pl = store.read_one("tests_import/node", label="Placement", key="placement_id",
                        value="PL1")["n"]
    assert pl["out_of_area"] is True
    order = store.read_one("tests_import/node", label="Order", key="order_id", value="O1")["n"]
    assert order["prohibits_child_contact"] is True
    links = store.read("tests_import/links")
    assert {"from": "P2", "type": "RESTRICTED_BY", "to": "O1"} in links
    assert {"from": "O1", "type": "PROTECTS", "to": "P1"} in links
    assert {"from": "P1", "type": "PLACED_IN", "to": "PL1"} in links
    assert {"from": "PL1", "type": "AT", "to": "A2"} in links
    assert {"from": "I1", "type": "FOUND_AT", "to": "A1"} in links
    assert {"from": "P2", "type": "ASSOCIATED_WITH", "to": "AB12CDE"} in links
    assert {"from": "P1", "type": "ASSOCIATED_WITH", "to": "07700900123"} in links
    assert {"from": "P2", "type": "ASSOCIATED_WITH", "to": "07700900123"} in links
