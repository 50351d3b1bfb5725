"""The link chart's data on the real engine: every relation kept (two between the same pair),
relation labels and gradings from the data, icons by meaning, in-place expansion, and exports
of the chart as the officer left it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from xml.etree import ElementTree

import networkx as nx
import pytest

from graphsvc import audit
from graphsvc.entity import (
    Expansion,
    chart_view,
    detail_groups,
    expand_entity,
    expand_in_place,
    flag_sentence,
    parse_chart_state,
)
from graphsvc.errors import InputError
from graphsvc.exports import export_view, to_csv, to_graphml, to_i2
from tests.factories import load_graph

TABLES = {
    "people": [
        {"person_id": "P1", "given_name": "Tom", "family_name": "Hale",
         "date_of_birth": "1990-02-03", "source": "rms", "source_ref": "RMS-77"},
        {"person_id": "P2", "given_name": "Sam", "family_name": "Hale",
         "date_of_birth": "1992-05-06"},
        {"person_id": "K1", "given_name": "Lily", "family_name": "Hale",
         "date_of_birth": "2015-01-01"},
    ],
    "addresses": [{"address_id": "A1", "line1": "4 Mill Lane", "town": "Wexford",
                   "postcode": "WX1 1AA", "uprn": "100012345678"},
                  {"address_id": "C1", "line1": "Oak House", "town": "Wexford",
                   "postcode": "WX1 2BB", "address_type": "childrens_home"}],
    "residences": [{"person_id": "P2", "address_id": "A1", "start_date": "2020-01-01"},
                   {"person_id": "K1", "address_id": "C1", "start_date": "2024-01-01"}],
    "incidents": [{"incident_id": "M1", "incident_type": "missing",
                   "occurred_at": "2025-03-01T20:00:00", "address_id": "C1",
                   "returned_at": "2025-03-02T08:00:00"}],
    "incident_people": [{"incident_id": "M1", "person_id": "K1", "role": "missing_person"}],
    "associations": [
        {"person_id": "P1", "target_type": "person", "target_id": "P2", "relation": "family",
         "first_seen": "2019-01-01", "grading": "A1"},
        {"person_id": "P1", "target_type": "person", "target_id": "P2",
         "relation": "associate", "first_seen": "2023-06-01", "last_seen": "2024-02-01",
         "grading": "C3"},
    ],
}


@pytest.fixture
def graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    return store


def _pair(view, a, b):
    return sorted(e.label for e in view.edges if {e.source, e.target} == {a, b})


def test_brothers_linked_as_family_and_associate_show_two_links(graph):
    view = expand_entity(graph, "person", "P1", depth=2)
    assert _pair(view, "person_id=P1", "person_id=P2") == ["associate", "family"]
    data = view.graph_json()
    pair = [e for e in data["edges"] if e["source"] == "person_id=P1"]
    assert sorted((e["label"], e["grading"]) for e in pair) == [("associate", "C3"),
                                                                ("family", "A1")]
    assert "2023-06-01 to 2024-02-01" in {e["dates"] for e in pair}


def test_exports_keep_both_links_between_the_pair(graph):
    view = expand_entity(graph, "person", "P1", depth=1, with_flags=False)
    rows = list(csv.DictReader(io.StringIO(to_csv(view))))
    assert sorted(r["relation"] for r in rows) == ["associate", "family"]
    assert sorted(r["grading"] for r in rows) == ["A1", "C3"]
    back = nx.read_graphml(io.BytesIO(to_graphml(view)))
    assert back.number_of_edges("person_id=P1", "person_id=P2") == 2
    chart = ElementTree.fromstring(to_i2(view).decode("utf-16"))
    labels = sorted(item.get("Label") for item in chart.iter("ChartItem")
                    if item.find("Link") is not None)
    assert labels == ["associate", "family"]


def test_icons_say_child_offender_care_setting_and_incident_type(graph):
    view = expand_entity(graph, "person", "K1", depth=1)
    icons = {n.id: n.icon for n in view.nodes.values()}
    assert icons == {"person_id=K1": "child", "address_id=C1": "care", "incident_id=M1":
                     "missing"}
    assert view.root.age is not None and view.root.age < 18


def test_details_are_grouped_by_meaning_without_internal_fields(graph):
    view = expand_entity(graph, "person", "P1", depth=1)
    groups = dict(detail_groups(view.root))
    assert list(groups) == ["Identity", "Provenance"]
    identity = dict(groups["Identity"])
    assert list(identity)[:3] == ["given name", "family name", "date of birth"]
    assert identity["date of birth"].startswith("1990-02-03 (age ")
    shown = {name for rows in groups.values() for name, _ in rows}
    assert not shown & {"row hash", "name key", "person id", "given name key"}
    assert dict(groups["Provenance"])["source ref"] == "RMS-77"


def test_a_node_expands_in_place_by_relation_type(graph):
    view = expand_in_place(graph, "person_id=P2", "RESIDES_AT")
    assert set(view.nodes) == {"person_id=P2", "address_id=A1"}
    assert [e.label for e in view.edges] == ["home"]


def test_an_export_of_the_chart_carries_its_expansions_less_what_was_hidden(graph, settings,
                                                                            tmp_path):
    state = ('{"expansions": [["person_id=P2", "RESIDES_AT", 1]],'
             ' "shown": ["person_id=P1", "address_id=A1", "person_id=P2"]}')
    expansions, shown = parse_chart_state(state)
    view = chart_view(graph, "person", "P1", expansions=expansions, shown=shown)
    assert set(view.nodes) == {"person_id=P1", "person_id=P2", "address_id=A1"}
    assert len(view.edges) == 3  # family, associate, home
    hidden = chart_view(graph, "person", "P1", expansions=expansions,
                        shown=["person_id=P1", "address_id=A1"])
    # P2 hidden: its links go with it, the address stays on the chart as it does on screen
    assert set(hidden.nodes) == {"person_id=P1", "address_id=A1"} and not hidden.edges
    own = replace(settings, app_data_dir=tmp_path / "app")
    _, data = export_view(own, graph, user="analyst", role="intelligence", kind="person",
                          key="P1", fmt="csv", justification="Op Heron",
                          expansions=expansions, shown=shown)
    assert b"4 Mill Lane" in data
    [entry] = audit.search(own, kind="disclosure")
    assert set(entry.shown) == {"person_id=P1", "person_id=P2", "address_id=A1"}


@pytest.mark.parametrize("state, message", [
    ("{not json", "could not be read"),
    ('{"expansions": [["nobody", "", 1]]}', "not an entity key"),
    ('{"expansions": [["person_id=P1", "LOVES", 1]]}', "Unknown link type"),
])
def test_a_bad_chart_state_gets_a_plain_message(state, message):
    with pytest.raises(InputError, match=message):
        parse_chart_state(state)


def test_a_chart_state_with_too_many_expansions_is_refused(graph):
    with pytest.raises(InputError, match="at most"):
        chart_view(graph, "person", "P1", expansions=[Expansion("person_id=P2")] * 61)


def test_a_flag_reads_in_names_not_ids():
    flag = {"summary": "Registered offender P1 has a current home at the address of child K1",
            "concerned_keys": ["person_id=P1", "person_id=K1", "address_id=A1"]}
    names = {"person_id=P1": "Tom Hale", "person_id=K1": "Lily Hale"}
    assert flag_sentence(flag, names) == ("Registered offender Tom Hale has a current home at "
                                          "the address of child Lily Hale")
