"""The check after generation catches background data that would flag or un-flag a planted case."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from graphsvc.synth import generate, places
from graphsvc.synth.verify import SynthCheckFailed, verify_folder
from graphsvc.synth.write import COLUMNS

AS_OF = date(2026, 3, 1)


@pytest.fixture
def county(tmp_path):
    generate(tmp_path, scale="small", seed=11, as_of=AS_OF)
    return tmp_path


def _append(folder, name, row):
    with open(folder / f"{name}.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(
            [row.get(c, "") for c in COLUMNS[name] + ["source", "source_ref"]])


def _placement_point(folder, address_id):
    with open(folder / "addresses.csv", encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["address_id"] == address_id)
    return float(row["latitude"]), float(row["longitude"])


def test_a_generated_county_passes(county):
    assert verify_folder(county, AS_OF)["ooa_placements_checked"] >= 10


def test_a_background_incident_with_a_planted_child_is_caught(county):
    _append(county, "incident_people", {"incident_id": "I00000001",
                                        "person_id": "P-SCN-RMC-05-CHILD", "role": "witness",
                                        "source": "rms", "source_ref": "RMS-00000001"})
    with pytest.raises(SynthCheckFailed, match="P-SCN-RMC-05-CHILD"):
        verify_folder(county, AS_OF)


def test_a_background_phone_shared_with_a_planted_hub_is_caught(county):
    expected = json.loads((county / "expected_flags.json").read_text())
    number = next(e["entities"]["number"][0] for e in expected["expected"]
                  if "number" in e["entities"])
    with open(county / "associations.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"person_id": "P0000001", "target_type": "phone",
                                 "target_id": f"+44 {number[1:]}", "relation": "uses_phone",
                                 "source": "rms", "source_ref": "INT-9999999"}) + "\n")
    with pytest.raises(SynthCheckFailed, match="07700900"):
        verify_folder(county, AS_OF)


def test_a_background_high_risk_offender_near_a_planted_placement_is_caught(county):
    lat, lon = _placement_point(county, "A-SCN-OOA-09-PLACE")
    near_lat, near_lon = places.point_at(lat, lon, 2_500.0)
    _append(county, "addresses", {"address_id": "A9999999", "latitude": near_lat,
                                  "longitude": near_lon, "source": "visor",
                                  "source_ref": "VA-9999999"})
    _append(county, "residences", {"person_id": "P0000002", "address_id": "A9999999",
                                   "start_date": "2020-01-01", "source": "rms",
                                   "source_ref": "RES-X"})
    _append(county, "offenders", {"person_id": "P0000002", "registered_from": "2019-01-01",
                                  "rosh_level": "very_high", "source": "visor",
                                  "source_ref": "VIS-X"})
    with pytest.raises(SynthCheckFailed, match="2500 m from planted placement PL-SCN-OOA-09"):
        verify_folder(county, AS_OF)


def test_an_incident_after_as_of_is_caught(county):
    with open(county / "incidents.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"incident_id": "I99999999", "incident_type": "other",
                                 "occurred_at": "2026-03-02T00:00:01", "source": "rms",
                                 "source_ref": "RMS-99999999"}) + "\n")
    with pytest.raises(SynthCheckFailed, match="after as_of"):
        verify_folder(county, AS_OF)


def test_a_placement_ending_before_it_starts_is_refused_in_plain_words(county):
    _append(county, "placements", {"placement_id": "PL999999", "person_id": "P0000003",
                                   "address_id": "A0000001", "start_date": "2026-02-28",
                                   "end_date": "2026-02-27", "source": "childrens_services",
                                   "source_ref": "LAC-999999"})
    with pytest.raises(SynthCheckFailed) as caught:
        verify_folder(county, AS_OF)
    message = str(caught.value)
    assert "has dates out of order" in message
    assert "end_date 2026-02-27 is before start_date 2026-02-28" in message
    assert "placements line" in message and "planted scenario" not in message


def test_a_return_interview_before_the_return_is_caught(county):
    with open(county / "incidents.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"incident_id": "I99999998", "incident_type": "missing",
                                 "occurred_at": "2026-02-20T02:00:00",
                                 "returned_at": "2026-02-21T08:00:00",
                                 "return_interview_at": "2026-02-21T07:59:59", "source": "rms",
                                 "source_ref": "RMS-99999998"}) + "\n")
    with pytest.raises(SynthCheckFailed,
                       match="return_interview_at 2026-02-21T07:59:59 is before returned_at"):
        verify_folder(county, AS_OF)


def test_associations_last_seen_before_first_seen_is_caught(county):
    with open(county / "associations.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"person_id": "P0000001", "target_type": "address",
                                 "target_id": "A0000002", "relation": "frequents",
                                 "first_seen": "2025-06-02", "last_seen": "2025-06-01",
                                 "source": "rms", "source_ref": "INT-9999998"}) + "\n")
    with pytest.raises(SynthCheckFailed, match="last_seen 2025-06-01 is before first_seen"):
        verify_folder(county, AS_OF)
