"""Imports are upserts: the same folder twice changes nothing; new values update the record."""

from __future__ import annotations

import copy
import time
from datetime import date

from graphsvc.changes import ChangeSet
from graphsvc.importer import import_folder
from tests.factories import load_graph, write_folder
from tests.integration.test_import_basic import COUNTY


def _dump(store) -> tuple[list, list]:
    def key(row):
        return repr(sorted(row.items()))

    nodes = [{"labels": sorted(r["labels"]), **r["props"]} for r in store.read(
        "tests_import/dump_nodes")]
    links = [{"from": r["from"], "type": r["type"], "to": r["to"], **r["props"]}
             for r in store.read("tests_import/dump_links")]
    return sorted(nodes, key=key), sorted(links, key=key)


def _person(store, person_id):
    return store.read_one("tests_import/node", label="Person", key="person_id",
                          value=person_id)["n"]


def test_reimport_changes_nothing(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    counts, dump = store.counts(), _dump(store)
    time.sleep(1.1)  # a second import a second later would write a different updated_at
    report = load_graph(store, settings, tmp_path, COUNTY)
    assert report["totals"]["imported"] == 20
    assert store.counts() == counts
    assert _dump(store) == dump


def test_records_sent_again_unchanged_are_not_in_the_change_set(store, settings, tmp_path):
    """A feed that sends its whole extract again (placements, orders, plans, the register)
    tells an incremental rule run only of the rows that differ: the others change nothing."""
    load_graph(store, settings, tmp_path, COUNTY)
    changed = ChangeSet()
    import_folder(store, write_folder(tmp_path / "again", COUNTY), settings=settings,
                  changed=changed)
    for kind in ("placement_id", "order_id", "plan_id", "incident_id", "address_id"):
        assert not changed.written.get(kind), kind
    assert not changed.written.get("person_id")  # neither a person row nor the register's
    moved = copy.deepcopy(COUNTY)
    moved["placements"][0]["end_date"] = "2025-01-31"
    moved["offenders"][0]["rosh_level"] = "very_high"
    moved["protection_plans"][0]["end_date"] = "2025-02-28"
    changed = ChangeSet()
    import_folder(store, write_folder(tmp_path / "moved", moved), settings=settings,
                  changed=changed)
    assert changed.written.get("placement_id") == {moved["placements"][0]["placement_id"]}
    assert changed.written.get("plan_id") == {moved["protection_plans"][0]["plan_id"]}
    assert changed.written.get("person_id") == {moved["offenders"][0]["person_id"]}
    assert not changed.written.get("order_id")


def test_reimport_as_json_lines_changes_nothing(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    dump = _dump(store)
    time.sleep(1.1)
    load_graph(store, settings, tmp_path, COUNTY, fmt="jsonl")
    assert _dump(store) == dump


def test_an_update_import_changes_only_what_changed(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    before_p1, before_p3 = _person(store, "P1"), _person(store, "P3")
    time.sleep(1.1)
    changed = copy.deepcopy(COUNTY)
    changed["people"][0]["family_name"] = "Jones"
    changed["people"][0]["aliases"] = None
    changed["orders"][0]["end_date"] = "2026-01-01"
    changed["orders"][0]["protected_person_ids"] = ["P3"]
    changed["placements"][0]["address_id"] = "A1"
    changed["incidents"][0]["found_address_id"] = None
    load_graph(store, settings, tmp_path, changed)
    p1 = _person(store, "P1")
    assert p1["family_name"] == "Jones" and p1["name_key"] == "zoe jones"
    assert "aliases" not in p1 and "alias_keys" not in p1  # an empty cell removes the value
    assert p1["updated_at"] > before_p1["updated_at"]
    assert _person(store, "P3") == before_p3  # untouched row, untouched node
    order = store.read_one("tests_import/node", label="Order", key="order_id", value="O1")["n"]
    assert order["end_date"] == date(2026, 1, 1)
    links = store.read("tests_import/links")
    assert {"from": "O1", "type": "PROTECTS", "to": "P3"} in links
    assert {"from": "O1", "type": "PROTECTS", "to": "P1"} not in links
    assert {"from": "PL1", "type": "AT", "to": "A1"} in links
    assert {"from": "PL1", "type": "AT", "to": "A2"} not in links
    assert not [link for link in links if link["type"] == "FOUND_AT"]
    assert store.counts()["nodes"]["Person"] == 3


def test_an_offender_row_adds_to_a_person_already_in_the_graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, {"people": COUNTY["people"]})
    load_graph(store, settings, tmp_path, {"offenders": [
        {"person_id": "P3", "registered_from": "2020-01-01", "rosh_level": "medium"}]})
    p3 = store.read_one("tests_import/node", label="Offender", key="person_id", value="P3")["n"]
    assert p3["given_name"] == "Chris" and p3["rosh_level"] == "medium"


def test_one_incidents_file_can_hold_unchanged_moved_and_new_incidents(store, settings,
                                                                      tmp_path):
    load_graph(store, settings, tmp_path, COUNTY)
    time.sleep(1.1)
    changed = copy.deepcopy(COUNTY)
    moved = changed["incidents"][0]
    moved["address_id"], moved["found_address_id"] = "A1", "A2"
    new = {**copy.deepcopy(COUNTY["incidents"][0]), "incident_id": "I9", "address_id": "A2",
           "found_address_id": None}
    changed["incidents"].append(new)
    report = load_graph(store, settings, tmp_path, changed)
    assert report["totals"]["imported"] == 21
    links = [(link["from"], link["type"], link["to"]) for link in store.read("tests_import/links")
             if link["from"] in ("I1", "I9")]
    assert sorted(links) == [("I1", "AT", "A1"), ("I1", "FOUND_AT", "A2"), ("I9", "AT", "A2")]


def _all_changed(tables: dict) -> dict:
    """Every row of every file with new provenance, so each record takes the update path."""
    changed = copy.deepcopy(tables)
    for rows in changed.values():
        for row in rows:
            row["source_ref"] = "changed"
    return changed


def test_records_new_to_the_graph_are_written_as_an_update_would_write_them(store, settings,
                                                                            tmp_path):
    # A first load writes new records with their own statements (created whole); an update
    # writes through the merging ones. Both must leave the same graph.
    load_graph(store, settings, tmp_path, COUNTY)
    created = _dump(store)
    load_graph(store, settings, tmp_path, _all_changed(COUNTY))
    assert _dump(store) != created
    load_graph(store, settings, tmp_path, COUNTY)  # every record changes back, by update

    def without_times(dump):
        return [sorted(repr(sorted((k, v) for k, v in row.items() if k != "updated_at"))
                       for row in part) for part in dump]

    assert without_times(_dump(store)) == without_times(created)


def test_a_number_dropped_from_a_person_loses_its_link_unless_an_association_asserts_it(
        store, settings, tmp_path):
    person = {"person_id": "P1", "phone_numbers": "07700 900001;07700 900002;07700 900003"}
    association = {"person_id": "P1", "target_type": "phone", "target_id": "07700 900003",
                   "relation": "uses_phone"}
    load_graph(store, settings, tmp_path, {"people": [person], "associations": [association]})

    def numbers():
        return sorted(link["to"] for link in store.read("tests_import/links")
                      if link["type"] == "ASSOCIATED_WITH")

    assert numbers() == ["07700900001", "07700900002", "07700900003"]
    load_graph(store, settings, tmp_path, {"people": [{"person_id": "P1",
                                                       "phone_numbers": "07700 900001"}]})
    assert numbers() == ["07700900001", "07700900003"]  # 002 dropped; 003 still asserted
    phones = sorted(r["n"]["number"] for r in store.read("tests_import/nodes", label="Phone"))
    assert phones == ["07700900001", "07700900003"]  # a number nobody uses is gone
