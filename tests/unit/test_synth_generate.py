"""The synthetic county: reproducible, sized as asked, dated relative to as_of, and planted with a
positive and a near miss on both sides of every rule's thresholds."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from graphsvc.dates import add_years
from graphsvc.synth import EXPECTED_FILE, generate
from graphsvc.synth.population import TARGETS
from graphsvc.synth.scenarios import RULES
from graphsvc.synth.write import COLUMNS, FILES, JSONL_FILES, file_name

AS_OF = date(2026, 3, 1)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / file_name(name)
    with open(path, encoding="utf-8", newline="") as handle:
        if name in JSONL_FILES:
            return [json.loads(line) for line in handle]
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("county")
    generate(out, scale="small", seed=7, as_of=AS_OF)
    return out


def test_same_seed_and_date_write_identical_files(tmp_path, county):
    generate(tmp_path, scale="small", seed=7, as_of=AS_OF)
    assert _digest(tmp_path) == _digest(county)


def test_another_seed_writes_other_people_and_incidents(tmp_path, county):
    generate(tmp_path, scale="small", seed=8, as_of=AS_OF)
    mine, theirs = _digest(tmp_path), _digest(county)
    for name in ("people.csv", "incidents.jsonl", "addresses.csv", EXPECTED_FILE):
        assert mine[name] != theirs[name]


def test_dates_move_with_as_of(tmp_path, county):
    later = AS_OF + timedelta(days=100)
    generate(tmp_path, scale="small", seed=7, as_of=later)
    expected = json.loads((tmp_path / EXPECTED_FILE).read_text())
    assert expected["as_of"] == later.isoformat()
    born = {r["person_id"]: r["date_of_birth"] for r in _rows(tmp_path, "people")}
    before = {r["person_id"]: r["date_of_birth"] for r in _rows(county, "people")}
    child = "P-SCN-OOA-01-CHILD"
    shift = date.fromisoformat(born[child]) - date.fromisoformat(before[child])
    assert shift == timedelta(days=100)
    latest = max(datetime.fromisoformat(r["occurred_at"]) for r in _rows(tmp_path, "incidents"))
    assert AS_OF < latest.date() <= later


def test_small_scale_is_about_one_hundredth_of_the_county(county):
    counts = {name: len(_rows(county, name)) for name in FILES}
    for name in ("people", "addresses", "incidents", "incident_people", "residences",
                 "associations", "placements", "protection_plans", "orders", "offenders"):
        target = TARGETS[name] / 100
        assert 0.8 * target <= counts[name] <= 1.4 * target + 50, name
    placements = _rows(county, "placements")
    out_of_area = [p for p in placements if p["placing_authority"] != p["area_authority"]]
    assert 4 <= len(out_of_area) <= 30
    missing = [i for i in _rows(county, "incidents") if i["incident_type"] == "missing"]
    assert 90 <= len(missing) <= 150
    people = [p["person_id"] for p in _rows(county, "incident_people")
              if p["role"] == "missing_person"]
    per_child = sorted((people.count(p) for p in set(people)), reverse=True)
    assert per_child[0] >= 5 * per_child[len(per_child) // 2]  # concentrated on a minority


def test_every_rule_has_positives_escalations_and_near_misses(county):
    expected = json.loads((county / EXPECTED_FILE).read_text())
    assert (expected["seed"], expected["scale"]) == (7, "small")
    for rule in RULES:
        positives = [e for e in expected["expected"] if e["rule"] == rule]
        misses = [e for e in expected["near_misses"] if e["rule"] == rule]
        assert len(positives) >= 2 and len(misses) >= 2, rule
        assert all(e["entities"] and e["scenario"] for e in positives + misses)
    severities = {(e["rule"], e["severity"]) for e in expected["expected"]}
    for rule, levels in [("ooa_child_near_high_risk_offender", {"high", "critical"}),
                         ("offender_household_with_child", {"high", "critical"}),
                         ("repeat_missing_child", {"medium", "high"}),
                         ("shared_exploitation_link", {"high", "critical"})]:
        assert {s for r, s in severities if r == rule} == levels
    scenarios = " ".join(e["scenario"] for e in expected["expected"] + expected["near_misses"])
    for threshold in ("999 m", "1,001 m", "89 days", "91 days", "13 days", "15 days",
                      "71 hours", "73 hours", "turned 18 yesterday", "registration ended",
                      "graded high", "ended the day before", "RoSH medium", "181 days"):
        assert threshold in scenarios, threshold


def test_planted_entities_exist_in_the_files(county):
    expected = json.loads((county / EXPECTED_FILE).read_text())
    known = {
        "person_id": {r["person_id"] for r in _rows(county, "people")},
        "address_id": {r["address_id"] for r in _rows(county, "addresses")},
        "incident_id": {r["incident_id"] for r in _rows(county, "incidents")},
        "placement_id": {r["placement_id"] for r in _rows(county, "placements")},
        "number": {r["target_id"] for r in _rows(county, "associations")},
        "vrm": {r["target_id"] for r in _rows(county, "associations")},
    }
    for entry in expected["expected"] + expected["near_misses"]:
        for key, values in entry["entities"].items():
            assert set(values) <= known[key], entry["scenario"]


_ENUMS = {
    ("people", "gender"): {"female", "male", "other", "unknown"},
    ("addresses", "address_type"): {"private", "childrens_home", "secure_home", "foster_home",
                                    "supported_accommodation", "approved_premises", "hotel",
                                    "school", "commercial", "other"},
    ("residences", "residence_type"): {"home", "notified_stay", "temporary",
                                       "household_contact"},
    ("offenders", "mappa_category"): {"1", "2", "3"},
    ("offenders", "mappa_level"): {"1", "2", "3"},
    ("offenders", "rosh_level"): {"low", "medium", "high", "very_high"},
    ("orders", "order_type"): {"shpo", "sro", "cawn", "dvpo", "restraining", "non_molestation"},
    ("orders", "prohibits_child_contact"): {"true", "false"},
    ("protection_plans", "category"): {"neglect", "physical_abuse", "sexual_abuse",
                                       "emotional_abuse", "multiple"},
    ("placements", "placement_type"): {"childrens_home", "secure_home", "foster",
                                       "kinship_foster", "supported_accommodation",
                                       "with_parents", "adoption", "other"},
    ("placements", "legal_basis"): {"s20", "s31", "s38", "other"},
    ("incidents", "incident_type"): {"domestic_abuse", "missing", "absent", "cse_concern",
                                     "sexual_offence", "child_neglect", "violence",
                                     "concern_for_welfare", "other"},
    ("incidents", "status"): {"open", "closed"},
    ("incident_people", "role"): {"victim", "suspect", "offender", "witness", "missing_person",
                                  "found_with", "child_present", "reporting_person", "subject"},
    ("associations", "target_type"): {"person", "vehicle", "phone", "address"},
    ("associations", "relation"): {"associate", "family", "partner", "uses_vehicle",
                                   "uses_phone", "frequents", "seen_with"},
}
_REQUIRED = {
    "people": ["person_id"], "addresses": ["address_id"],
    "residences": ["person_id", "address_id"],
    "offenders": ["person_id", "registered_from", "rosh_level"],
    "orders": ["order_id", "person_id", "order_type", "start_date"],
    "protection_plans": ["plan_id", "person_id", "category", "start_date"],
    "placements": ["placement_id", "person_id", "address_id", "placing_authority",
                   "area_authority", "placement_type", "start_date"],
    "incidents": ["incident_id", "incident_type", "occurred_at"],
    "incident_people": ["incident_id", "person_id", "role"],
    "associations": ["person_id", "target_type", "target_id", "relation"],
}
_KEYS = {"people": ["person_id"], "addresses": ["address_id"], "orders": ["order_id"],
         "offenders": ["person_id"], "protection_plans": ["plan_id"],
         "placements": ["placement_id"], "incidents": ["incident_id"],
         "residences": ["person_id", "address_id", "residence_type", "start_date"],
         "incident_people": ["incident_id", "person_id", "role"],
         "associations": ["person_id", "target_type", "target_id", "relation"]}


def test_files_follow_the_import_contract(county):
    for name in FILES:
        path = county / file_name(name)
        assert path.exists()
        rows = _rows(county, name)
        if name not in JSONL_FILES:
            with open(path, encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            assert header == COLUMNS[name] + ["source", "source_ref"]
        keys = set()
        for row in rows:
            assert set(row) <= set(COLUMNS[name]) | {"source", "source_ref"}
            for column in _REQUIRED[name]:
                assert row.get(column), (name, column, row)
            for (file, column), allowed in _ENUMS.items():
                if file == name and row.get(column):
                    assert row[column] in allowed, (name, column, row[column])
            for column, value in row.items():
                if value and (column.endswith("_date") or column in (
                        "date_of_birth", "registered_from", "registered_until", "first_seen",
                        "last_seen")):
                    date.fromisoformat(value)
                elif value and column.endswith("_at"):
                    datetime.fromisoformat(value)
            assert row["source"] in ("visor", "rms", "childrens_services") and row["source_ref"]
            key = tuple(row.get(c, "") for c in _KEYS[name])
            assert key not in keys, (name, key)
            keys.add(key)


def test_references_point_at_rows_in_earlier_files(county):
    people = {r["person_id"] for r in _rows(county, "people")}
    addresses = {r["address_id"] for r in _rows(county, "addresses")}
    incidents = {r["incident_id"] for r in _rows(county, "incidents")}
    for name in ("residences", "offenders", "orders", "protection_plans", "placements",
                 "incident_people", "associations"):
        for row in _rows(county, name):
            assert row["person_id"] in people, (name, row)
            if row.get("address_id"):
                assert row["address_id"] in addresses, (name, row)
    for row in _rows(county, "orders"):
        assert all(p in people for p in row["protected_person_ids"].split(";") if p)
    for row in _rows(county, "incidents"):
        for column in ("address_id", "found_address_id"):
            assert not row.get(column) or row[column] in addresses
    for row in _rows(county, "incident_people"):
        assert row["incident_id"] in incidents
    for row in _rows(county, "associations"):
        if row["target_type"] == "person":
            assert row["target_id"] in people
        elif row["target_type"] == "address":
            assert row["target_id"] in addresses


def test_addresses_are_in_the_county_with_coordinates_or_grid_references(county):
    rows = _rows(county, "addresses")
    with_latlon = [r for r in rows if r["latitude"]]
    with_grid = [r for r in rows if r["easting"]]
    assert len(with_latlon) > 100 and len(with_grid) > 100
    assert {r["source"] for r in with_grid} == {"rms"}
    for row in with_latlon:
        assert 52.2 < float(row["latitude"]) < 53.0 and 0.2 < float(row["longitude"]) < 1.7
    for row in with_grid:
        assert 500_000 < float(row["easting"]) < 700_000
        assert 200_000 < float(row["northing"]) < 400_000
    for row in rows:
        area, inward = row["postcode"].split(" ")
        assert area.startswith("WX") and len(inward) == 3 and inward[0].isdigit()


def _age(born: str, on: date) -> int:
    dob = date.fromisoformat(born)
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def test_ages_fit_each_role(county):
    born = {r["person_id"]: r["date_of_birth"] for r in _rows(county, "people")}
    for row in _rows(county, "offenders"):
        assert _age(born[row["person_id"]], AS_OF) >= 18
    for row in _rows(county, "protection_plans"):
        if not row["end_date"]:
            assert _age(born[row["person_id"]], AS_OF) < 18
    for row in _rows(county, "placements"):
        if not row["end_date"] and "-SCN-" not in row["person_id"]:
            assert _age(born[row["person_id"]], AS_OF) < 18
    ages = [_age(b, AS_OF) for b in born.values() if b]
    assert min(ages) >= 0 and max(ages) <= 95
    assert 0.12 < sum(a < 18 for a in ages) / len(ages) < 0.4


def test_nothing_happens_after_as_of(county):
    end = datetime.combine(AS_OF + timedelta(days=1), datetime.min.time())
    for row in _rows(county, "incidents"):
        for column in ("occurred_at", "returned_at", "return_interview_at"):
            assert not row.get(column) or datetime.fromisoformat(row[column]) < end
    for name, column in [("placements", "start_date"), ("placements", "police_notified_date"),
                         ("residences", "start_date"), ("orders", "start_date"),
                         ("offenders", "registered_from"), ("associations", "last_seen")]:
        for row in _rows(county, name):
            assert not row.get(column) or date.fromisoformat(row[column]) <= AS_OF


def test_names_include_diacritics_aliases_and_double_barrels(county):
    people = _rows(county, "people")
    assert any(any(ord(ch) > 127 for ch in p["given_name"] + p["family_name"]) for p in people)
    assert any("-" in p["family_name"] for p in people)
    assert any(p["aliases"] for p in people)


def test_commas_and_newlines_survive_csv_quoting(county):
    conditions = [r["conditions"] for r in _rows(county, "orders") if r["conditions"]]
    assert any("\n" in c for c in conditions) and any("," in c for c in conditions)
    assert any("\n" in r["summary"] for r in _rows(county, "incidents"))


def test_child_who_turned_18_yesterday_is_planted_on_the_right_day(county):
    born = {r["person_id"]: r["date_of_birth"] for r in _rows(county, "people")}
    assert born["P-SCN-OOA-15-CHILD"] == add_years(AS_OF - timedelta(days=1), -18).isoformat()
    assert born["P-SCN-OOA-07-CHILD"] == add_years(AS_OF + timedelta(days=1), -18).isoformat()
