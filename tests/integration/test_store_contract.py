"""The graph store contract, on the real embedded engine (and on Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from graphsvc.errors import ConstraintViolation, StoreError
from graphsvc.store import Point
from graphsvc.store.values import to_param


def test_every_value_type_round_trips(store):
    row = store.write("contract/roundtrip", k=1, s="Ané O'Brien", i=42, f=1.5, b=True,
                      l=["a", "b"], d=date(2025, 3, 1), dt=datetime(2025, 3, 1, 22, 15),
                      lat=52.6309, lon=1.2974)[0]
    assert row["s"] == "Ané O'Brien"
    assert row["i"] == 42 and isinstance(row["i"], int)
    assert row["f"] == 1.5
    assert row["b"] is True
    assert row["l"] == ["a", "b"]
    assert row["d"] == date(2025, 3, 1) and type(row["d"]) is date
    assert row["dt"] == datetime(2025, 3, 1, 22, 15) and row["dt"].tzinfo is None
    assert isinstance(row["p"], Point)
    assert row["p"].latitude == pytest.approx(52.6309, abs=1e-5)
    assert row["p"].longitude == pytest.approx(1.2974, abs=1e-5)
    assert row["missing"] is None
    assert row["m"] == {"inner": 42, "list": ["Ané O'Brien"]}


ECHOED = {
    "text with quotes, escapes and controls":
        'O\'Brien "x" \\ back\\slash \\u0041 \n\t\r\x01\x1f \x7f',
    "text beyond ASCII": "Zoë – 東京 😀",
    "numbers, booleans and null": [0, -7, 2 ** 53 + 1, 1.5, -0.25, 1e-05, 12345.678, True, False,
                                   None],
    "nested maps and lists": {"near": [{"address_id": "A1", "distance_m": 12.5},
                                       {"address_id": "A2", "distance_m": 790.25}],
                              "odd key": {"k-2": ["x", []]}, "empty": {}},
    "a date, a tuple and a set": [date(2026, 12, 2), ("a", 1), {"b", "a"}],
}


@pytest.mark.parametrize("value", ECHOED.values(), ids=ECHOED.keys())
def test_a_reads_parameters_reach_the_engine_as_given(store, value):
    [row] = store.read("contract/echo", v=value)
    assert row == {"v": to_param(value)}


def test_named_parameters_are_bound_by_name(store):
    store.write_rows("contract/batch", [{"k": 1, "v": "one"}, {"k": 2, "v": "two"}], tag="t")
    assert store.read_one("contract/lookup", k=2) == {"v": "two"}
    assert store.read("contract/lookup", k=3) == []


def test_whole_nodes_come_back_as_plain_dicts(store):
    store.write_rows("contract/batch", [{"k": 1, "v": "one"}], tag="t")
    [row] = store.read("contract/nodes")
    assert row == {"n": {"person_id": 1, "v": "one", "tag": "t"}}


def test_a_ten_thousand_row_batch_write_lands_whole(store):
    rows = [{"k": i, "v": f"value {i}"} for i in range(10_000)]
    seen = []
    assert store.write_rows("contract/batch", rows, batch_size=2_500, progress=seen.append,
                            tag="big") == 10_000
    assert seen == [2_500] * 4
    assert store.read_one("contract/count") == {"c": 10_000}
    assert store.read_one("contract/lookup", k=9_999) == {"v": "value 9999"}
    # the same rows again are an upsert, not a copy
    store.write_rows("contract/batch", rows, tag="big")
    assert store.read_one("contract/count") == {"c": 10_000}


def test_a_statement_that_fails_part_way_leaves_nothing(store):
    rows = [{"k": i, "v": "x"} for i in range(1, 11)]
    with pytest.raises(StoreError):
        store.write("contract/failing_batch", rows=rows, bad=5)
    assert store.read_one("contract/count") == {"c": 0}


def test_a_transaction_whose_block_fails_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction() as tx:
            tx.write("contract/create_one", k=1, v="a")
            tx.write("contract/create_one", k=2, v="b")
            raise RuntimeError("the caller changed its mind")
    assert store.read_one("contract/count") == {"c": 0}


def test_a_transaction_lands_all_its_writes(store):
    with store.transaction() as tx:
        tx.write("contract/create_one", k=1, v="a")
        tx.write("contract/create_one", k=2, v="b")
    assert store.read_one("contract/count") == {"c": 2}


def test_a_duplicate_business_key_is_refused_in_plain_words(store):
    store.write("contract/create_person", person_id="P1")
    with pytest.raises(ConstraintViolation, match="unique"):
        store.write("contract/create_person", person_id="P1")


def test_counts_by_label_and_type(store):
    store.write_rows("contract/batch", [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}], tag="t")
    assert store.counts()["nodes"] == {"Person": 2}
    assert store.counts()["relationships"] == {}
