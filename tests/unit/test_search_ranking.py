"""People and address ranking on hand-built indexes: each hard case finds the right person
first, and the fast paths agree with a plain reading of the rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given as for_any
from hypothesis import settings
from hypothesis import strategies as st

from graphsvc.search import addresses, people
from graphsvc.search.addresses import AddressIndex, rank_addresses
from graphsvc.search.normalise import name_tokens, parse_partial_date, split_name_and_date
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


# People drawn from a few name words (so that many share a name, as in a large area), with
# misspellings, middle names, aliases and dates of birth, added in person_id order as the
# graph's index adds them.
WORDS = ["john", "jon", "joan", "smith", "smyth", "smithers", "ava", "eva", "hill", "hall"]
people_rows = st.lists(st.tuples(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2), max_size=1),
    st.one_of(st.none(), st.dates(date(1980, 1, 1), date(1982, 12, 31)))), min_size=1,
    max_size=60)
queries = st.tuples(st.lists(st.sampled_from([*WORDS, "jhon", "smiht", "x"]), min_size=1,
                             max_size=3),
                    st.one_of(st.none(), st.sampled_from(["1981", "1981-06", "1981-06-15"])))


def _built(rows) -> PeopleIndex:
    built = PeopleIndex()
    for number, (name, aliases, born) in enumerate(rows):
        built.add({"person_id": f"P{number:03d}", "given_name_key": name[0],
                   "family_name_key": " ".join(name[1:]),
                   "alias_keys": [" ".join(a) for a in aliases],
                   "date_of_birth": born})
    return built.finish()


@settings(max_examples=300, deadline=None)
@for_any(people_rows, queries)
def test_the_pre_score_misses_no_one_who_would_be_shown(rows, query):
    """With room for everyone, the ranking is exactly every person's own score, worked out one
    by one: the pre-score that picks whom to score never leaves out a person who matches."""
    index = _built(rows)
    words, birth = query
    born = parse_partial_date(birth) if birth else None
    ranked = rank_people(index, " ".join(words), born, limit=1000)
    tokens = name_tokens(" ".join(words))
    lengths = [len(w) for w in tokens]
    weights = [n / sum(lengths) for n in lengths]
    sims = [people._close_words(index, w) for w in tokens]
    one_by_one = [m for p in range(len(rows))
                  if (m := people._explain(index, p, tokens, weights, sims, born)) is not None]
    one_by_one.sort(key=lambda m: (-m.score, -m.name_score, m.person_id))
    assert ranked == one_by_one


@settings(max_examples=300, deadline=None)
@for_any(people_rows, queries, st.integers(1, 8), st.integers(1, 7))
def test_stopping_early_picks_the_same_people_as_scoring_everyone(rows, query, block, room):
    """Scored a few people at a time, the search stops once `room` people have the best
    possible pre-score; it must choose the same people as a scan of everyone would."""
    index = _built(rows)
    words, birth = query
    born = parse_partial_date(birth) if birth else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(people, "CANDIDATES", room)
        patch.setattr(people, "BLOCK", 10_000)
        everyone = rank_people(index, " ".join(words), born, limit=room)
        patch.setattr(people, "BLOCK", block)
        a_few_at_a_time = rank_people(index, " ".join(words), born, limit=room)
    assert a_few_at_a_time == everyone


STREET_WORDS = ["elm", "close", "elms", "road", "church", "st", "12", "14", "hill", "cl", "ls1",
                "2ab"]


@settings(max_examples=300, deadline=None)
@for_any(st.lists(st.lists(st.sampled_from(STREET_WORDS), min_size=1, max_size=5), min_size=1,
                max_size=50),
       st.lists(st.sampled_from([*STREET_WORDS, "chruch", "clo", "e", "roads"]), min_size=1,
                max_size=3))
def test_an_address_search_finds_exactly_the_addresses_holding_every_word(streets, typed):
    """Against a plain reading of the rule, address by address: an address is found when
    each typed word matches one of its words (equal, a prefix or a near spelling), scored by
    the mean of each typed word's best match, ranked by score, then fewer words, then id."""
    index = AddressIndex()
    for number, words in enumerate(streets):
        index.add({"address_id": f"A{number:03d}", "text_key": " ".join(words)})
    index.finish()
    found = rank_addresses(index, " ".join(typed), limit=1000)
    tokens = name_tokens(" ".join(typed))
    per_word = sorted((addresses._word_matches(index, w) for w in tokens),
                      key=lambda m: sum(len(index.postings[x]) for x in m))
    expected = []
    for number, words in enumerate(streets):
        held = set(words)
        best = [max((m.get(w, 0.0) for w in held), default=0.0) for m in per_word]
        if all(best):
            expected.append((-sum(best) / len(tokens), len(held), f"A{number:03d}"))
    expected.sort()
    assert [(m.address_id, m.score) for m in found] == [
        (address_id, round(-score, 4)) for score, _, address_id in expected]
