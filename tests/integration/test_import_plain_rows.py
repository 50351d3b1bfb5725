"""`store.write_encoded_rows`, the import's fast path to the engine, keeps every value exactly."""

from __future__ import annotations

import pytest

from graphsvc.errors import StoreError
from graphsvc.store.falkor import cypher_map, cypher_maps

# Strings JSON writes with escapes FalkorDB reads, so these batches take the fast path.
FAST = ["plain", 'a "quote"', "back\\slash", "new\nline", "tab\tand\rreturn", "Zoë Łukasz 中文 😀",
        "line\u2028separator", "", "ends with \\", 'escaped \\" quote', "} { ] [ , :", "`tick`",
        "$param", "'single'", '","k":"x']
# Strings JSON would write as \uXXXX, \b or \f (or a literal backslash-u): the client's path.
SLOW = ["\u0001control", "\\u0041 literal", "\b\f"]


def _rows(strings: list[str], offset: int = 0) -> list[dict]:
    return [{"k": n + offset, "s": s, "f": 1e-05 * n, "b": n % 2 == 0, "l": [s, "x"],
             "i": 10**12 + n, "gone": None} for n, s in enumerate(strings)]


@pytest.mark.parametrize("strings,fast", [(FAST, True), (SLOW, False)])
def test_awkward_values_land_as_the_ordinary_write_lands_them(store, strings, fast):
    if store.engine == "falkordb":  # the JSON route is taken exactly when it is safe
        routes = {cypher_map(row).startswith('{k:') for row in _rows(strings)}
        assert routes == {fast}
        # a batch encoded in one pass comes out as the rows encoded one by one
        assert cypher_maps(_rows(strings)) == [cypher_map(row) for row in _rows(strings)]
    store.write_encoded_rows("tests_import/plain_rows",
                             store.encode_rows(_rows(strings)), tag="t")
    store.write("tests_import/plain_rows", rows=_rows(strings, 1000), tag="t")
    back = store.read("tests_import/plain_rows_back")
    written, ordinary = back[:len(strings)], back[len(strings):]
    assert [r["s"] for r in written] == strings  # strings exactly as given
    assert [r["l"] for r in written] == [[s, "x"] for s in strings]
    assert [{**r, "k": r["k"] - 1000} for r in ordinary] == written


def test_a_failing_plain_batch_leaves_nothing(store):
    with pytest.raises(StoreError):
        store.write_encoded_rows("tests_import/people_failing",
                                 store.encode_rows([{"person_id": "P1", "given_name": "Ann"},
                                                    {"person_id": "P2", "given_name": "BOOM"}]),
                                 now="2025-01-01T00:00:00")
    assert store.read("tests_import/nodes", label="Person") == []


def test_a_batch_with_one_awkward_row_still_lands_exactly(store):
    rows = _rows(FAST + SLOW[:1] + FAST)
    rows[3]["nested"] = {"a": 1}  # a map inside a row: not the one-pass route
    store.write_encoded_rows("tests_import/plain_rows", store.encode_rows(rows), tag="t")
    back = store.read("tests_import/plain_rows_back")
    assert [r["s"] for r in back] == FAST + SLOW[:1] + FAST
