"""People ranking on a hand-built index: each hard case finds the right person first."""

from __future__ import annotations

from datetime import date

import pytest

from graphsvc.search.normalise import parse_partial_date, split_name_and_date
from graphsvc.search.people import PeopleIndex, rank_people

PEOPLE = [
    ("P1", "john", "smith", [], date(1987, 3, 12)),
    ("P2", "jon", "smyth", [], date(1990, 1, 1)),
    ("P3", "joan", "smith", [], date(1987, 7, 1)),
    ("P4", "johnny", "smithers", ["jonny smyth"], date(1975, 5, 5)),
    ("P5", "jose", "alvarez", [], date(2001, 2, 2)),
    ("P6", "josie", "alvarez", [], date(2003, 2, 2)),
    ("P7", "siobhan", "murphy", [], None),
    ("P8", "smith", "john", [], date(1960, 1, 1)),
    ("P9", "john", "smith", [], date(1952, 9, 9)),
]


@pytest.fixture(scope="module")
def index() -> PeopleIndex:
    built = PeopleIndex()
    for pid, given, family, aliases, born in PEOPLE:
        built.add({"person_id": pid, "given_name_key": given, "family_name_key": family,
                   "name_key": f"{given} {family}", "alias_keys": aliases,
                   "date_of_birth": born})
    return built


@pytest.mark.parametrize(("query", "first"), [
    ("Siobahn Murphy", "P7"),  # transposed letters
    ("Siobhan Murphey", "P7"),  # typo
    ("Jonny Smyth", "P4"),  # alias
    ("Murphy Siobhan", "P7"),  # given and family swapped
    ("José Alvarez", "P5"),  # diacritics
    ("John Smith 1987", "P1"),  # partial date of birth picks one of two John Smiths
    ("John Smith 1952-09", "P9"),
    ("John Smith 09/09/1952", "P9"),
])
def test_hard_cases_find_the_right_person_first(index, query, first):
    name, born = split_name_and_date(query)
    results = rank_people(index, name, born)
    assert results, f"nothing found for {query!r}"
    assert results[0].person_id == first, [(r.person_id, r.score, r.reasons) for r in results]


def test_alias_match_says_which_alias_and_how_close(index):
    [top, *_] = rank_people(index, "Jonny Smyth")
    assert top.reasons[0] == "alias 'Jonny Smyth' ~ 'Jonny Smyth', 100%"


def test_swapped_names_are_explained(index):
    [top, *_] = rank_people(index, "Murphy Siobhan")
    assert "given and family names swapped" in top.reasons


def test_a_partial_birth_date_is_explained_and_a_conflict_ranks_lower(index):
    results = rank_people(index, "John Smith", parse_partial_date("1987"))
    assert results[0].person_id == "P1"
    assert "date of birth year 1987 matches" in results[0].reasons
    other = next(r for r in results if r.person_id == "P9")
    assert other.score < results[0].score
    assert any("differs" in reason for reason in other.reasons)


def test_unrelated_names_are_not_shown(index):
    assert rank_people(index, "Xavier Quinton") == []


def test_a_birth_date_alone_lists_people_born_then(index):
    results = rank_people(index, "", parse_partial_date("1987"))
    assert [r.person_id for r in results] == ["P1", "P3"]


@pytest.mark.parametrize(("text", "expected"), [
    ("1987", (1987, None, None)), ("1987-03", (1987, 3, None)), ("03/1987", (1987, 3, None)),
    ("12/03/1987", (1987, 3, 12)), ("1987-03-12", (1987, 3, 12)), ("31/02/1987", None),
    ("smith", None),
])
def test_partial_dates_are_read_in_uk_order(text, expected):
    parsed = parse_partial_date(text)
    assert (None if parsed is None else (parsed.year, parsed.month, parsed.day)) == expected
