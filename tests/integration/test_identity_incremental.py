"""Incremental linkage after an import compares the records it changed, and those that moved."""

from __future__ import annotations

from dataclasses import replace

from graphsvc.identities.linkage import read_frame
from graphsvc.identities.resolve import model_dir, resolve_identities
from tests.factories import load_graph

PEOPLE = [
    {"person_id": "CS-1", "given_name": "Kayleigh", "family_name": "Dunmore",
     "date_of_birth": "2011-04-03", "source": "childrens_services"},
    {"person_id": "RMS-1", "given_name": "Kayley", "family_name": "Dunmore",
     "date_of_birth": "2011-04-03", "source": "rms"},
    {"person_id": "RMS-2", "given_name": "Owen", "family_name": "Hart",
     "date_of_birth": "1980-01-01", "source": "rms"},
]

# RMS-2 moves to a new address: new evidence (a postcode) about a record already linked.
RMS2_MOVES = {
    "addresses": [{"address_id": "A9", "line1": "9 Wren Close", "town": "Dereham",
                   "postcode": "NR19 1AA"}],
    "residences": [{"person_id": "RMS-2", "address_id": "A9", "start_date": "2025-01-01"}],
}


def _linked_once(store, settings, tmp_path, linked_county):
    """PEOPLE imported and linked by a full run; an incremental run then compares nothing."""
    own = replace(settings, app_data_dir=tmp_path / "app")
    model = linked_county["model_path"]
    load_graph(store, own, tmp_path / "first", {"people": PEOPLE})
    resolve_identities(store, own, by="test", role="intelligence", model_path=model)
    assert _incremental(store, own, model).compared == 0  # nothing changed since that run
    return own, model


def _incremental(store, own, model):
    return resolve_identities(store, own, by="test", role="intelligence", model_path=model,
                              incremental=True)


def test_a_new_residence_of_a_known_person_is_compared_again(store, settings, tmp_path,
                                                           linked_county):
    own, model = _linked_once(store, settings, tmp_path, linked_county)
    load_graph(store, own, tmp_path / "second", RMS2_MOVES)
    assert _incremental(store, own, model).compared == 1
    saved = read_frame(model_dir(own) / "records.parquet")
    assert list(saved.loc[saved["person_id"] == "RMS-2", "postcodes"].iloc[0]) == ["NR19 1AA"]
    assert _incremental(store, own, model).compared == 0  # the move is not compared twice


def test_a_change_written_in_the_second_of_the_last_run_is_compared(store, settings, tmp_path,
                                                                   linked_county, monkeypatch):
    # Every write below is stamped with the same second, as a batch an import writes just after
    # a linkage run read can be: the next incremental run must still compare what it changed,
    # and leave out what the last run compared as it still is.
    from datetime import datetime

    from graphsvc import dates
    monkeypatch.setattr(dates, "graph_now", lambda: datetime(2026, 3, 4, 10, 11, 12))
    own, model = _linked_once(store, settings, tmp_path, linked_county)
    load_graph(store, own, tmp_path / "second", {
        **RMS2_MOVES,
        "people": [*PEOPLE, {"person_id": "RMS-3", "given_name": "Kayleigh",
                             "family_name": "Dunmore", "date_of_birth": "2011-04-03",
                             "source": "rms"}]})
    # RMS-2 moved, RMS-3 is new; the unchanged three are left out
    assert _incremental(store, own, model).compared == 2
    assert _incremental(store, own, model).compared == 0
