"""The import's reader: in a process of its own (large imports) it gives exactly what the thread
gives (small imports); if it dies the import says so; a load defers the engine's AOF rewrites;
one import at a time."""

from __future__ import annotations

import csv

import pytest

from graphsvc.errors import GraphsvcError, InputError
from graphsvc.importer import pipeline, reader
from graphsvc.importer.reader import Reader, ReadJob
from graphsvc.locks import import_lock
from tests.factories import load_graph

TABLES = {
    "people": [{"person_id": "P1", "given_name": "Zoë", "aliases": "Zo;Z"},
               {"person_id": "P2", "date_of_birth": "1990-02-30"},  # rejected by the reader
               {"person_id": "P3", "phone_numbers": "07700 900123"},
               {"person_id": "P1", "given_name": "Again"}],  # duplicate: rejected
    "addresses": [{"address_id": "A1", "postcode": "wx1 2ab", "easting": "612345",
                   "northing": "245678"}],
    "residences": [{"person_id": "P1", "address_id": "A1", "residence_type": "home"},
                   {"person_id": "P9", "address_id": "A1", "residence_type": "home"}],  # writer
    "incidents": [{"incident_id": "I1", "incident_type": "domestic_abuse",
                   "occurred_at": "2025-01-02T03:04:05+00:00", "address_id": "A1",
                   "summary": 'said "leave", then\nleft'}],
    "incident_people": [{"incident_id": "I1", "person_id": "P3", "role": "victim"},
                        {"incident_id": "I9", "person_id": "P3", "role": "victim"}],
}


def _without_times(props: dict) -> str:
    # updated_at is the time of each import; everything else must be identical
    return repr(sorted((k, v) for k, v in props.items() if k != "updated_at"))


def _import(store, settings, tmp_path, monkeypatch, *, in_process: bool) -> dict:
    store.clear()
    monkeypatch.setattr(pipeline, "PROCESS_ABOVE_BYTES", 0 if in_process else 1 << 40)
    started = []
    original = Reader.__init__

    def spy(self, job, *, in_process):
        started.append(in_process)
        original(self, job, in_process=in_process)

    monkeypatch.setattr(Reader, "__init__", spy)
    report = load_graph(store, settings, tmp_path / str(in_process), TABLES, allow_rejects=True)
    assert started == [in_process]
    with open(report["rejects_path"], newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    graph = [_without_times(r["props"]) for r in store.read("tests_import/dump_nodes")]
    graph += [(r["from"], r["type"], r["to"], _without_times(r["props"]))
              for r in store.read("tests_import/dump_links")]
    return {"files": {n: (f["read"], f["imported"], f["rejected"])
                      for n, f in report["files"].items()},
            "rejects": [(r["file"], r["line"], r["field"], r["reason"], r["raw"])
                        for r in rejects],
            "warnings": report["warnings"], "graph": sorted(graph, key=repr)}


def test_a_reader_process_gives_exactly_what_the_thread_gives(store, settings, tmp_path,
                                                               monkeypatch):
    by_thread = _import(store, settings, tmp_path, monkeypatch, in_process=False)
    by_process = _import(store, settings, tmp_path, monkeypatch, in_process=True)
    assert by_process == by_thread
    assert [(f, line, field) for f, line, field, _r, _raw in by_thread["rejects"]] == [
        ("people.csv", "3", "date_of_birth"), ("people.csv", "5", "person_id"),
        ("residences.csv", "3", "person_id"), ("incident_people.csv", "3", "incident_id")]
    assert by_thread["rejects"][2][4] == "P9,A1,home"  # the raw row, as CSV
    assert by_thread["files"]["people"] == (4, 2, 2)
    assert by_thread["graph"]  # the good rows landed


def test_a_reader_that_dies_stops_the_import_with_a_plain_message(monkeypatch, tmp_path):
    monkeypatch.setattr(reader, "_CHILD", "import sys; sys.exit(3)")
    job = ReadJob([("people", tmp_path / "people.csv")], "2026-01-01", 10, list)
    dead = Reader(job, in_process=True)
    try:
        with pytest.raises(GraphsvcError, match="reader stopped unexpectedly"):
            dead.next()
    finally:
        dead.close()


def test_a_load_defers_aof_rewrites_and_restores_them(store):
    if store.engine != "falkordb":
        pytest.skip("the embedded engine's append-only file")
    setting = "auto-aof-rewrite-percentage"

    def current() -> str:
        return store.db.connection.config_get(setting)[setting]

    assert current() == "100"
    with pytest.raises(RuntimeError), store.bulk_load():
        assert current() == "0"
        raise RuntimeError("an import failing part-way")
    assert current() == "100"


def test_a_second_import_at_the_same_time_is_refused_and_writes_nothing(store, settings,
                                                                        tmp_path):
    with import_lock(settings.data_dir):  # as a running import holds it
        with pytest.raises(InputError, match="Another import is running"):
            load_graph(store, settings, tmp_path, {"people": TABLES["people"][:1]})
    assert store.read("tests_import/nodes", label="Person") == []
    load_graph(store, settings, tmp_path, {"people": TABLES["people"][:1]})  # free again
    assert len(store.read("tests_import/nodes", label="Person")) == 1


def test_a_large_first_load_on_neo4j_builds_its_lookup_indexes_at_the_end(store, settings,
                                                                          tmp_path):
    if store.engine != "neo4j":
        pytest.skip("Neo4j's lookup indexes")
    store.clear()
    store.apply_schema()
    store.write("admin/await_indexes", seconds=60)

    def online() -> list[str]:
        return [r["name"] for r in store.read("tests_import/index_names")]

    everything = online()
    with pytest.raises(RuntimeError), store.bulk_load(large=True):
        during = online()  # loads without the lookup indexes; the key constraints stay
        raise RuntimeError("an import failing part-way")
    dropped = set(everything) - set(during)
    assert {"person_family_name", "address_location", "incident_occurred"} <= dropped
    assert "person_key" in during and not any(n.endswith("_key") for n in dropped)
    assert online() == everything  # built again however the load ended

    load_graph(store, settings, tmp_path, {"people": TABLES["people"][:1]})
    with store.bulk_load(large=True):
        assert online() == everything  # a graph that holds records keeps its indexes
    assert online() == everything
