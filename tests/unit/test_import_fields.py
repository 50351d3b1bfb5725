"""Cell parsers: what they accept, and the plain reason they give for what they refuse."""

from __future__ import annotations

import pytest

from graphsvc.importer import fields
from graphsvc.importer.files import BY_NAME, RowError
from graphsvc.importer.validate import row_hash, validate_cells


def test_datetimes_with_an_offset_become_london_wall_clock_time():
    assert fields.parse_datetime("2025-07-01T21:15:00Z") == "2025-07-01T22:15:00"
    assert fields.parse_datetime("2025-01-01T21:15:00+00:00") == "2025-01-01T21:15:00"
    assert fields.parse_datetime("2025-07-01T22:15:00+01:00") == "2025-07-01T22:15:00"
    assert fields.parse_datetime("2025-07-01 22:15") == "2025-07-01T22:15:00"
    assert fields.parse_datetime_or_date("2025-07-01") == "2025-07-01T00:00:00"


@pytest.mark.parametrize("parser,raw,reason", [
    (fields.parse_iso_date, "2025-02-29", "'2025-02-29' is not a real date (expected YYYY-MM-DD)"),
    (fields.parse_iso_date, "20250301", "'20250301' is not a date (expected YYYY-MM-DD)"),
    (fields.parse_datetime, "2025-07-01", "'2025-07-01' is not a date and time (expected "
     "ISO 8601, e.g. 2025-03-01T22:15:00)"),
    (fields.parse_bool, "1", "'1' is not true or false"),
    (fields.parse_int, "2.5", "'2.5' is not a whole number"),
    (fields.parse_float, "nan", "'nan' is not a number"),
    (fields.parse_vrm, "AB12 CDÉ", "'AB12 CDÉ' is not a vehicle registration mark"),
])
def test_bad_cells_are_refused_with_a_plain_reason(parser, raw, reason):
    with pytest.raises(ValueError) as caught:
        parser(raw)
    assert str(caught.value) == reason


def test_booleans_ignore_case():
    assert fields.parse_bool("TRUE") is True and fields.parse_bool("False") is False


def test_defaults_fill_empty_cells_and_enumerations_ignore_case():
    row = validate_cells(BY_NAME["incidents"], {"incident_id": " I1 ", "incident_type": "Missing",
                                                "occurred_at": "2025-01-01"})
    assert row["incident_id"] == "I1" and row["incident_type"] == "missing"
    assert row["status"] == "closed" and row["occurred_on"] == "2025-01-01"


def test_lists_are_split_trimmed_and_deduplicated():
    row = validate_cells(BY_NAME["people"], {"person_id": "P1",
                                             "phone_numbers": "07700 900123; +447700900123;;"})
    assert row["phone_numbers"] == ["07700900123"]


def test_a_list_where_one_value_is_expected_is_refused():
    with pytest.raises(RowError) as caught:
        validate_cells(BY_NAME["people"], {"person_id": ["P1", "P2"]})
    assert caught.value.field == "person_id"


def test_placements_are_out_of_area_when_the_authorities_differ():
    base = {"placement_id": "PL1", "person_id": "P1", "address_id": "A1",
            "placement_type": "foster", "start_date": "2024-01-01"}
    same = validate_cells(BY_NAME["placements"], {**base, "placing_authority": "Norfolk",
                                                  "area_authority": " norfolk"})
    other = validate_cells(BY_NAME["placements"], {**base, "placing_authority": "Suffolk",
                                                   "area_authority": "Norfolk"})
    assert same["out_of_area"] is False and other["out_of_area"] is True


def test_row_hash_changes_with_content_only():
    a = validate_cells(BY_NAME["people"], {"person_id": "P1", "given_name": "Ann"})
    b = validate_cells(BY_NAME["people"], {"person_id": "P1", "given_name": "Ann "})
    c = validate_cells(BY_NAME["people"], {"person_id": "P1", "given_name": "Anne"})
    assert row_hash(a) == row_hash(b) != row_hash(c)
