"""Batches written side by side (graphsvc/importer/inflight.py): the graph, the counts and the
rejects, in their order, are what writing one batch at a time gives."""

from __future__ import annotations

import csv
import time
from dataclasses import replace

import pytest

from graphsvc.changes import ChangeSet
from graphsvc.importer.files import BY_NAME, FILES, FileSpec
from graphsvc.importer.inflight import InFlight
from graphsvc.importer.reader import Batch
from graphsvc.importer.write import KnownIds, write_batch
from tests.factories import load_graph


def _tables() -> dict[str, list[dict]]:
    people = [{"person_id": f"P{n}", "given_name": f"Name{n}"} for n in range(12)]
    addresses = [{"address_id": f"A{n}", "postcode": "WX1 2AB", "easting": "612345",
                  "northing": str(245678 + n)} for n in range(4)]
    residences = [{"person_id": f"P{n}", "address_id": f"A{n % 4}"} for n in range(12)]
    residences.insert(5, {"person_id": "P99", "address_id": "A1"})  # no such person
    incidents = [{"incident_id": f"I{n}", "incident_type": "domestic_abuse",
                  "occurred_at": f"2025-01-{n + 1:02d}", "address_id": f"A{n % 4}"}
                 for n in range(14)]
    incidents.insert(7, {"incident_id": "I77", "incident_type": "missing",
                         "occurred_at": "2025-02-01", "address_id": "A9"})  # no such address
    # every person in several incidents, so that batches side by side share their people
    involved = [{"incident_id": f"I{n}", "person_id": f"P{(n + k) % 12}", "role": role}
                for n in range(14) for k, role in enumerate(("victim", "suspect", "witness"))]
    involved.insert(10, {"incident_id": "I99", "person_id": "P1", "role": "victim"})
    involved.insert(30, {"incident_id": "I3", "person_id": "P1", "role": "judge"})
    return {"people": people, "addresses": addresses, "residences": residences,
            "incidents": incidents, "incident_people": involved}


def _import(store, settings, tmp_path, *, batch_size: int, in_flight: int) -> dict:
    store.clear()
    settings = replace(settings, batch_size=batch_size, import_in_flight=in_flight)
    report = load_graph(store, settings, tmp_path / f"{batch_size}-{in_flight}", _tables(),
                        allow_rejects=True)
    with open(report["rejects_path"], newline="", encoding="utf-8") as handle:
        rejects = [(r["file"], r["line"], r["field"], r["reason"])
                   for r in csv.DictReader(handle)]
    nodes = sorted(repr(sorted((k, v) for k, v in r["props"].items() if k != "updated_at"))
                   for r in store.read("tests_import/dump_nodes"))
    links = sorted((r["from"], r["type"], r["to"]) for r in store.read("tests_import/dump_links"))
    return {"files": {n: (f["read"], f["imported"], f["rejected"])
                      for n, f in report["files"].items()},
            "rejects": rejects, "nodes": nodes, "links": links}


def test_batches_side_by_side_give_what_one_at_a_time_gives(store, settings, tmp_path):
    one_at_a_time = _import(store, settings, tmp_path, batch_size=3, in_flight=1)
    side_by_side = _import(store, settings, tmp_path, batch_size=3, in_flight=2)
    assert side_by_side == one_at_a_time
    assert [reject[:3] for reject in one_at_a_time["rejects"]] == [
        ("residences.csv", "7", "person_id"), ("incidents.csv", "9", "address_id"),
        ("incident_people.csv", "12", "incident_id"), ("incident_people.csv", "32", "role")]
    assert one_at_a_time["files"]["incident_people"] == (44, 42, 2)


def _people_batch(store, first_line: int, names: list[str]) -> Batch:
    rows = [{"person_id": f"P{first_line + n}", "given_name": name}
            for n, name in enumerate(names)]
    return Batch(lines=[first_line + n for n in range(len(rows))],
                 statements=["tests_import/people_failing"] * len(rows),
                 keys=[(r["person_id"],) for r in rows], refs=[()] * len(rows),
                 hashes=[""] * len(rows), raws=[r["given_name"] for r in rows],
                 encoded=store.encode_rows(rows))


def test_a_refused_row_in_flight_is_reported_in_the_order_it_was_read(store):
    spec = replace(BY_NAME["people"], statement="tests_import/people_failing",
                   fresh="tests_import/people_failing")
    batches = [_people_batch(store, 2, ["Ann", "BOOM", "Cat"]),
               _people_batch(store, 5, ["Dan", "Eve"]),
               _people_batch(store, 7, ["BOOM", "Fay"])]
    rejected: list[tuple] = []
    changed = ChangeSet()
    landed: list[int] = []
    known = KnownIds(store)
    with InFlight(2, lambda line, field, reason, raw: rejected.append((line, raw)),
                  changed, landed.append) as writes:
        for batch in batches:
            writes.send((), lambda reject, changed, batch=batch: write_batch(
                store, spec, batch, known, "2025-01-01T00:00:00", reject, changed=changed))
        writes.finish()
    imported = sum(landed)
    assert imported == 5
    assert rejected == [(3, "BOOM"), (7, "BOOM")]
    assert changed.keys["person_id"] == {"P2", "P4", "P5", "P6", "P8"}
    assert known.ids["Person"] == {"P2", "P4", "P5", "P6", "P8"}


def test_a_batch_that_fails_stops_the_file_once_the_batch_beside_it_has_ended():
    started: list[int] = []
    ended: list[int] = []

    def write(number):
        def run(reject, changed):
            started.append(number)
            if number == 1:
                raise RuntimeError("the engine went away")
            time.sleep(0.2 if number == 2 else 0)
            reject("written", number)
            ended.append(number)
            return 10
        return run

    reported: list[tuple] = []
    landed: list[int] = []
    with pytest.raises(RuntimeError, match="went away"), \
            InFlight(2, lambda *row: reported.append(row), None, landed.append) as writes:
        for number in range(4):
            writes.send([("read", number)], write(number))
        writes.finish()
    # The third was sent beside the second (it may be dropped before it starts); no fourth.
    assert sorted(started) in ([0, 1], [0, 1, 2])
    # Whatever had started had ended before the error came out, and what landed is reported:
    # every row the reader rejected, the writer's rejects and counts of the batches that landed.
    assert sorted(ended) == sorted(set(started) - {1})
    third = [("written", 2)] if 2 in started else []
    assert reported == [("read", 0), ("written", 0), ("read", 1), ("read", 2), *third]
    assert landed == [10] + [10] * len(third)


def test_rows_the_reader_rejected_are_reported_before_their_batch_is_written():
    reported: list[tuple] = []
    with InFlight(2, lambda *row: reported.append(row), None, lambda rows: None) as writes:
        writes.send([(2, "f", "bad", "r2")],
                    lambda reject, changed: reject(3, "", "no", "r3") or 1)
        writes.send([(4, "f", "bad", "r4")], None)
        writes.send([], lambda reject, changed: reject(5, "", "no", "r5") or 1)
        writes.finish()
    assert [row[0] for row in reported] == [2, 3, 4, 5]


@pytest.mark.parametrize("spec", [s for s in FILES if s.in_flight], ids=lambda s: s.name)
def test_a_file_in_flight_never_refers_to_its_own_records(spec: FileSpec):
    assert spec.defines not in {label for _name, label in spec.refs}


def test_a_file_that_refers_to_its_own_records_cannot_go_in_flight():
    parent = replace(BY_NAME["residences"].columns_by_name["person_id"], name="parent_id")
    with pytest.raises(ValueError, match="refers to its own records"):
        replace(BY_NAME["people"], name="self", columns=BY_NAME["people"].columns + (parent,),
                in_flight=True)
