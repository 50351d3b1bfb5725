"""Exports of an entity view: GraphML reads back with the same graph, the i2 chart is valid XML
of the right shape, the CSV is safe to open in a spreadsheet, and each export is audited."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import replace

import networkx as nx
import pytest

from graphsvc import audit
from graphsvc.entity import expand_entity
from graphsvc.errors import InputError
from graphsvc.exports import export_view, to_csv, to_graphml, to_i2
from tests.factories import load_graph

TABLES = {
    "people": [
        {"person_id": "P1", "given_name": "Amy", "family_name": "Cole",
         "date_of_birth": "2009-04-04"},
        {"person_id": "P2", "given_name": "=HYPERLINK(\"x\")", "family_name": "Dale",
         "date_of_birth": "1980-01-01"},
    ],
    "addresses": [{"address_id": "A1", "line1": "2 Elm Row", "town": "Norwich",
                   "postcode": "NR2 2BB"}],
    "residences": [{"person_id": "P1", "address_id": "A1", "start_date": "2019-01-01"},
                   {"person_id": "P2", "address_id": "A1", "start_date": "2020-02-02"}],
    "incidents": [{"incident_id": "D1", "incident_type": "domestic_abuse",
                   "occurred_at": "2024-05-01T21:00:00", "address_id": "A1",
                   "summary": "Shouting heard"}],
    "incident_people": [{"incident_id": "D1", "person_id": "P2", "role": "suspect"}],
    "associations": [{"person_id": "P2", "target_type": "vehicle", "target_id": "CA11ABC",
                      "relation": "uses_vehicle", "first_seen": "2024-01-01"}],
}


@pytest.fixture
def view(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    return expand_entity(store, "address", "A1", depth=2, role="intelligence", with_flags=False)


def test_graphml_reads_back_with_the_same_nodes_and_edges(view):
    back = nx.read_graphml(io.BytesIO(to_graphml(view)), force_multigraph=True)
    assert set(back.nodes) == set(view.nodes) == {
        "address_id=A1", "person_id=P1", "person_id=P2", "incident_id=D1", "vrm=CA11ABC"}
    assert sorted((s, t, d["type"]) for s, t, d in back.edges(data=True)) == sorted(
        (e.source, e.target, e.type) for e in view.edges)
    assert back.nodes["person_id=P1"]["label"] == "Amy Cole"
    assert back.nodes["incident_id=D1"]["p_summary"] == "Shouting heard"


def test_the_i2_chart_is_valid_xml_with_an_icon_per_entity_and_a_link_per_edge(view):
    data = to_i2(view)
    assert data.startswith(b"\xff\xfe")  # UTF-16 with a byte-order mark, as i2 reads it
    root = ET.fromstring(data.decode("utf-16"))
    assert root.tag == "Chart"
    entities = {e.get("Identity"): e for e in root.iter("Entity")}
    assert set(entities) == set(view.nodes)
    assert {entities["person_id=P1"].find("Icon/IconStyle").get("Type")} == {"Person"}
    ids = {e.get("EntityId"): e.get("Identity") for e in root.iter("Entity")}
    links = sorted((ids[link.get("End1Id")], ids[link.get("End2Id")],
                    link.find("LinkStyle").get("Type")) for link in root.iter("Link"))
    assert links == sorted((e.source, e.target, e.type) for e in view.edges)


def test_the_csv_has_one_row_per_link_and_defuses_formulas(view):
    rows = list(csv.DictReader(io.StringIO(to_csv(view))))
    assert len(rows) == len(view.edges)
    resides = [r for r in rows if r["link"] == "RESIDES_AT"]
    assert sorted(r["from_key"] for r in resides) == ["P1", "P2"]
    p2 = next(r for r in resides if r["from_key"] == "P2")
    assert p2["from"].startswith("'=HYPERLINK")  # never a live formula in Excel
    assert "start_date: 2020-02-02" in p2["link_details"]


def test_an_export_shows_no_more_than_the_role_may_see(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    view = expand_entity(store, "incident", "D1", role="tasking", with_flags=False)
    assert b"Shouting heard" not in to_graphml(view)
    assert "Shouting heard" not in to_i2(view).decode("utf-16")


def test_each_export_is_audited_as_a_disclosure(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    own = replace(settings, app_data_dir=tmp_path / "app")
    name, data = export_view(own, store, user="analyst", role="intelligence", kind="person",
                             key="P2", fmt="graphml", depth=1, justification="Op Lantern")
    assert name == "person-P2-depth1-page1.graphml" and data
    [entry] = audit.search(own, kind="disclosure")
    assert entry.action == "export_graphml" and entry.justification == "Op Lantern"
    assert set(entry.shown) == {"person_id=P2", "address_id=A1", "incident_id=D1",
                                "vrm=CA11ABC"}
    with pytest.raises(InputError, match="reason"):
        export_view(own, store, user="analyst", role="intelligence", kind="person", key="P2",
                    fmt="csv", justification="")
    assert audit.count(own) == 1


def test_control_characters_in_a_record_still_make_valid_xml(store, settings, tmp_path):
    tables = {"people": [{"person_id": "P1", "given_name": "Bell\x07\x01",
                          "family_name": "Tab\x0bVert"}],
              "addresses": [{"address_id": "A1", "line1": "Odd\x1f lane"}],
              "residences": [{"person_id": "P1", "address_id": "A1"}]}
    load_graph(store, settings, tmp_path, tables)
    view = expand_entity(store, "address", "A1", depth=1, role="intelligence", with_flags=False)
    back = nx.read_graphml(io.BytesIO(to_graphml(view)), force_multigraph=True)
    assert len(back.nodes) == 2
    assert "Odd\ufffd lane" in back.nodes["address_id=A1"]["label"] + str(
        back.nodes["address_id=A1"])
    root = ET.fromstring(to_i2(view).decode("utf-16"))
    assert len(list(root.iter("Entity"))) == 2
    rows = list(csv.reader(io.StringIO(to_csv(view))))
    assert len(rows) == 2
