"""One search box: "anything" looks at people, addresses (words, postcode, UPRN), vehicles and
phones together, ranks across them, and reports the true total with pages."""

from __future__ import annotations

import pytest

from graphsvc.errors import InputError
from graphsvc.search import PER_PAGE, search_page
from graphsvc.search.index import forget_all
from tests.factories import load_graph

SMITHS = 106


def county() -> dict[str, list[dict]]:
    people = [{"person_id": f"S{i:03d}", "given_name": f"Given{chr(65 + i % 26)}{i}",
               "family_name": "Smith", "date_of_birth": f"{1950 + i % 50}-01-01"}
              for i in range(SMITHS)]
    people += [
        {"person_id": "P1", "given_name": "Tom", "family_name": "Hale",
         "date_of_birth": "1990-02-03", "phone_numbers": "+44 7700 900123",
         "pnc_id": "18/898767D"},
        {"person_id": "K1", "given_name": "Lily", "family_name": "Hale",
         "date_of_birth": "2016-01-01"},
    ]
    return {
        "people": people,
        "addresses": [
            {"address_id": "A1", "uprn": "100012345678", "line1": "4 Mill Lane",
             "town": "Wexford", "postcode": "WX1 1AA"},
            {"address_id": "A2", "uprn": "100012345679", "line1": "9 Quarry Road",
             "line2": "Upper Stow", "town": "Wexford", "postcode": "WX2 3BC"},
            {"address_id": "A3", "line1": "1 Smith Street", "town": "Wexford",
             "postcode": "WX3 1AA"},
        ],
        "residences": [{"person_id": "K1", "address_id": "A1", "start_date": "2016-01-01"}],
        "offenders": [{"person_id": "S005", "visor_ref": "VR-2021-00417",
                       "registered_from": "2021-03-01", "rosh_level": "medium"}],
        "associations": [
            {"person_id": "P1", "target_type": "vehicle", "target_id": "WX12 ABC",
             "relation": "uses_vehicle"},
            {"person_id": "K1", "target_type": "vehicle", "target_id": "WX12 ABC",
             "relation": "seen_with"},
        ],
    }


@pytest.fixture
def graph(store, settings, tmp_path):
    forget_all()
    load_graph(store, settings, tmp_path, county())
    return store


@pytest.mark.parametrize(("typed", "kind", "key"), [
    ("Mill Lane", "address", "A1"),  # a street name
    ("quarry road upper stow", "address", "A2"),  # an address's words
    ("100012345678", "address", "A1"),  # a UPRN
    ("Tom Hale", "person", "P1"),  # a name
    ("07700 900123", "phone", "07700900123"),  # a phone number as dialled
    ("wx12abc", "vehicle", "WX12ABC"),  # a vehicle mark
    ("WX2 3BC", "address", "A2"),  # a postcode
])
def test_anything_finds_each_kind_of_record(graph, typed, kind, key):
    found = search_page(graph, typed, "auto")
    assert (found.results[0].kind, found.results[0].key) == (kind, key), [
        (r.kind, r.key, r.score) for r in found.results]


@pytest.mark.parametrize(("typed", "key", "reason"), [
    ("18/898767d", "P1", "PNC id 18/898767D matches"),  # a PNC id, in any case
    ("VR-2021-00417", "S005", "ViSOR reference VR-2021-00417 matches"),
    ("s007", "S007", "record id S007 matches"),  # another system's record id
])
def test_a_reference_finds_its_person(graph, typed, key, reason):
    found = search_page(graph, typed, "auto")
    assert (found.results[0].kind, found.results[0].key) == ("person", key)
    assert reason in found.results[0].reasons
    assert search_page(graph, typed, "person").results[0].key == key


def test_a_common_name_reports_its_true_total_and_pages(graph):
    first = search_page(graph, "smith", "auto")
    # 106 people and 1 street: all counted, 25 shown, a hint to refine
    assert first.total == SMITHS + 1 and first.by_kind == {"person": SMITHS, "address": 1}
    assert len(first.results) == PER_PAGE and (first.first, first.last) == (1, 25)
    assert first.pages == 5 and "date of birth" in first.refine_hint
    last = search_page(graph, "smith", "auto", page=5)
    assert len(last.results) == SMITHS + 1 - 4 * PER_PAGE
    seen = {r.key for p in range(1, 6) for r in search_page(graph, "smith", page=p).results}
    assert len(seen) == SMITHS + 1  # every match is on exactly one page
    with pytest.raises(InputError, match="no page 6"):
        search_page(graph, "smith", page=6)


def test_results_are_compact_with_age_child_marker_and_current_home(graph):
    [child] = [r for r in search_page(graph, "Lily Hale").results if r.key == "K1"]
    assert child.child and child.age is not None and child.age < 18
    assert "lives at 4 Mill Lane, Wexford, WX1 1AA" in child.details
    assert child.home_id == "A1"


def test_a_vehicle_result_says_how_each_person_is_linked(graph):
    [vehicle] = search_page(graph, "WX12ABC", "vehicle").results
    assert vehicle.details == ["linked to Lily Hale (seen with), Tom Hale (uses vehicle)"] or \
        vehicle.details == ["linked to Tom Hale (uses vehicle), Lily Hale (seen with)"]


def test_a_total_beyond_what_was_scored_says_so(graph, monkeypatch):
    from graphsvc.search import people

    monkeypatch.setattr(people, "CANDIDATES", 50)  # fewer scored than the 106 Smiths
    found = search_page(graph, "smith", "person")
    assert found.more_than and found.total == 50
