"""Search on a small imported graph with decoys: each hard case finds the right entity first."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from graphsvc import audit
from graphsvc.errors import InputError
from graphsvc.search import search, search_entities
from graphsvc.search.index import forget_all
from tests.factories import load_graph

PEOPLE = [
    # person_id, given, family, aliases, date of birth, phones
    ("P1", "John", "Smith", "", "1987-03-12", ""),
    ("P2", "Jon", "Smyth", "", "1990-01-01", ""),
    ("P3", "Joan", "Smith", "", "1987-07-01", ""),
    ("P4", "Johnny", "Smithers", "Jonny Smyth", "1975-05-05", "+44 7700 900123"),
    ("P5", "José", "Álvarez", "", "2001-02-02", ""),
    ("P6", "Josie", "Alvarez", "", "2003-02-02", ""),
    ("P7", "Siobhan", "Murphy", "", "1999-09-09", ""),
    ("P8", "Simon", "Murphy", "", "1999-09-19", ""),
    ("P9", "John", "Smith", "", "1952-09-09", "07700 900999"),
    ("P10", "Zoë", "O'Brien-Smith", "Zoe Brian", "2010-06-30", ""),
]
ADDRESSES = [
    ("A1", "100012345678", "12 Prince of Wales Road", "", "Norwich", "NR1 3AB"),
    ("A2", "100012345679", "14 Prince of Wales Road", "", "Norwich", "NR1 3AD"),
    ("A3", "200000000001", "The Grand Hotel", "Marine Parade", "Great Yarmouth", "NR30 2EJ"),
    ("A4", "200000000002", "3 Mill Lane", "", "Thetford", "IP24 1AA"),
]
VEHICLES = [("P1", "vehicle", "AB12 CDE", "uses_vehicle"),
            ("P2", "vehicle", "AB12CDF", "uses_vehicle")]




def tables(people, addresses=(), associations=()) -> dict[str, list[dict]]:
    out = {"people": [dict(zip(("person_id", "given_name", "family_name", "aliases",
                                "date_of_birth", "phone_numbers"), row, strict=True))
                      for row in people]}
    if addresses:
        out["addresses"] = [dict(zip(("address_id", "uprn", "line1", "line2", "town",
                                      "postcode"), row, strict=True)) for row in addresses]
    if associations:
        out["associations"] = [dict(zip(("person_id", "target_type", "target_id", "relation"),
                                        row, strict=True)) for row in associations]
    return out


@pytest.fixture
def graph(store, settings, tmp_path):
    forget_all()
    load_graph(store, settings, tmp_path, tables(PEOPLE, ADDRESSES, VEHICLES))
    return store


HARD_CASES = [
    # (what it checks, typed, kind, key found first)
    ("typo", "Siobhan Murphey", "auto", "P7"),
    ("transposed letters", "Siobahn Murphy", "auto", "P7"),
    ("alias", "Jonny Smyth", "auto", "P4"),
    ("given and family swapped", "Murphy Siobhan", "auto", "P7"),
    ("diacritics typed plain", "Jose Alvarez", "auto", "P5"),
    ("diacritics typed", "Zoë O'Brien-Smith", "auto", "P10"),
    ("partial date of birth: year", "John Smith 1952", "auto", "P9"),
    ("partial date of birth: year and month", "John Smith 1987-03", "auto", "P1"),
    ("full date of birth, UK order", "Smith John 12/03/1987", "auto", "P1"),
    ("postcode without space", "nr13ad", "auto", "A2"),
    ("postcode with space", "NR30 2EJ", "auto", "A3"),
    ("UPRN", "100012345678", "address", "A1"),
    ("address words", "grand hotel yarmouth", "address", "A3"),
    ("misspelt street", "mill lanne thetford", "address", "A4"),
    ("registration mark with spaces, lower case", "ab 12 cde", "vehicle", "AB12CDE"),
    ("phone with +44", "+44 7700 900123", "auto", "07700900123"),
    ("phone as dialled", "07700900999", "phone", "07700900999"),
]


@pytest.mark.parametrize(("case", "typed", "kind", "first"), HARD_CASES,
                         ids=[c[0] for c in HARD_CASES])
def test_hard_case_finds_the_right_entity_first(graph, case, typed, kind, first):
    results = search(graph, typed, kind)
    assert results, f"{case}: nothing found for {typed!r}"
    assert results[0].key == first, [(r.key, r.score, r.reasons) for r in results]
    assert results[0].reasons, "every result says why it matched"


def test_results_say_why_they_matched(graph):
    [top, *_] = search(graph, "Jonny Smyth 1975")
    assert top.title == "Johnny Smithers"
    assert top.reasons == ["alias 'Jonny Smyth' ~ 'Jonny Smyth', 100%",
                           "date of birth year 1975 matches"]


def test_partial_postcode_lists_every_address_in_the_sector(graph):
    keys = [r.key for r in search(graph, "NR1 3", "address")]
    assert sorted(keys) == ["A1", "A2"]


def test_a_person_imported_after_the_first_search_is_found(graph, settings, tmp_path,
                                                           monkeypatch):
    from graphsvc.search import index

    assert search(graph, "Xanthe Quill") == []
    monkeypatch.setattr(index, "CHECK_EVERY_S", 0.0)
    load_graph(graph, settings, tmp_path, tables([("P20", "Xanthe", "Quill", "", "1980-01-01",
                                                  "")]))
    assert [r.key for r in search(graph, "Xanthe Quill")] == ["P20"]


def test_a_person_renamed_after_the_first_search_is_found_by_the_new_name(graph, settings,
                                                                          tmp_path, monkeypatch):
    # As many people as before: only the latest change time tells the index it is stale. The
    # graph keeps times to the second (FalkorDB), so the rename lands in a later second.
    from graphsvc.search import index

    assert [r.key for r in search(graph, "Siobhan Murphy")][:1] == ["P7"]
    monkeypatch.setattr(index, "CHECK_EVERY_S", 0.0)
    time.sleep(1.1)
    load_graph(graph, settings, tmp_path, tables([("P7", "Yolanda", "Quartermaine", "",
                                                   "1999-09-09", "")]))
    assert [r.key for r in search(graph, "Yolanda Quartermaine")] == ["P7"]


@pytest.fixture
def own_audit(settings, tmp_path):
    """The test's settings with an audit log of its own."""
    return replace(settings, app_data_dir=tmp_path / "app")


def test_a_search_is_audited_with_its_justification(graph, own_audit):
    settings = own_audit
    results = search_entities(settings, graph, user="officer1", role="intelligence",
                              text="Siobhan Murphy", justification="INC-2025-0042")
    [entry] = audit.search(settings, kind="consultation")
    assert entry.user == "officer1" and entry.action == "search"
    assert entry.justification == "INC-2025-0042"
    assert entry.asked == {"text": "Siobhan Murphy", "kind": "auto"}
    assert entry.shown[0] == "person_id=P7" and len(entry.shown) == len(results.results)


def test_a_search_without_justification_is_refused_and_not_run(graph, own_audit):
    settings = own_audit
    with pytest.raises(InputError, match="reason"):
        search_entities(settings, graph, user="officer1", role="intelligence",
                        text="Siobhan Murphy", justification="  ")
    assert audit.count(settings) == 0
