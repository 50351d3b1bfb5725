"""Entity pages on the real engine: a hub is paged and capped, details respect the role,
the timeline and open flags are shown, and every view is audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from graphsvc import audit, flags
from graphsvc.entity import PAGE_SIZE, PER_NODE, expand_entity, view_entity
from graphsvc.errors import InputError, NotFound
from tests.factories import load_graph

HUB_INCIDENTS = 3_000
START = datetime(2020, 1, 1, 12, 0)


def hotel_tables() -> dict[str, list[dict]]:
    incidents = [{"incident_id": f"I{i:05d}", "incident_type": "concern_for_welfare",
                  "occurred_at": (START + timedelta(hours=7 * i)).isoformat(),
                  "address_id": "H1", "summary": f"Guest welfare call number {i}"}
                 for i in range(HUB_INCIDENTS)]
    incidents.append({"incident_id": "D1", "incident_type": "domestic_abuse",
                      "occurred_at": "2024-05-01T21:00:00", "address_id": "A2",
                      "risk_grade": "standard", "summary": "Shouting heard by neighbour"})
    return {
        "people": [{"person_id": "P1", "given_name": "Amy", "family_name": "Cole",
                    "date_of_birth": "2009-04-04"},
                   {"person_id": "P2", "given_name": "Ben", "family_name": "Dale",
                    "date_of_birth": "1980-01-01"},
                   {"person_id": "P3", "given_name": "Cal", "family_name": "Eady",
                    "date_of_birth": "1985-01-01"}],
        "addresses": [{"address_id": "H1", "line1": "The Grand Hotel", "town": "Norwich",
                       "postcode": "NR1 1AA", "address_type": "hotel"},
                      {"address_id": "A2", "line1": "2 Elm Row", "town": "Norwich",
                       "postcode": "NR2 2BB"}],
        "residences": [{"person_id": "P2", "address_id": "A2", "start_date": "2019-01-01"},
                       {"person_id": "P1", "address_id": "A2", "start_date": "2019-01-01"}],
        "protection_plans": [{"plan_id": "CP1", "person_id": "P1", "category": "neglect",
                              "start_date": "2023-06-01"}],
        "incidents": incidents,
        "incident_people": [{"incident_id": f"I{i:05d}", "person_id": "P2", "role": "subject"}
                            for i in range(0, HUB_INCIDENTS, 10)]
        + [{"incident_id": "D1", "person_id": "P2", "role": "suspect"},
           {"incident_id": "D1", "person_id": "P1", "role": "child_present"},
           {"incident_id": f"I{HUB_INCIDENTS - 10:05d}", "person_id": "P3", "role": "witness"}],
        "associations": [{"person_id": "P3", "target_type": "vehicle", "target_id": "CA11 ABC",
                          "relation": "uses_vehicle", "first_seen": "2024-01-01"}],
    }


@pytest.fixture
def graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, hotel_tables())
    return store


def test_a_hub_shows_its_newest_links_first_one_page_at_a_time(graph):
    view = expand_entity(graph, "address", "H1", depth=1)
    assert view.total_links == HUB_INCIDENTS
    assert view.link_counts == {"AT": HUB_INCIDENTS}
    assert view.pages == HUB_INCIDENTS // PAGE_SIZE
    first = [n.key for n in view.nodes.values() if n.hop == 1]
    assert first == [f"I{i:05d}" for i in range(HUB_INCIDENTS - 1, HUB_INCIDENTS - 101, -1)]
    page2 = expand_entity(graph, "address", "H1", depth=1, page=2)
    second = [n.key for n in page2.nodes.values() if n.hop == 1]
    assert second == [f"I{i:05d}" for i in range(HUB_INCIDENTS - 101, HUB_INCIDENTS - 201, -1)]
    last = expand_entity(graph, "address", "H1", depth=1, page=view.pages)
    assert len([n for n in last.nodes.values() if n.hop == 1]) == PAGE_SIZE
    with pytest.raises(NotFound, match="no page"):
        expand_entity(graph, "address", "H1", depth=1, page=view.pages + 1)


def test_a_person_linked_to_the_hub_is_capped_beyond_the_first_hop(graph):
    view = expand_entity(graph, "person", "P2", depth=2)
    # P2: 300 hotel incidents, 1 domestic, 1 home; the first page takes the 100 newest links
    assert view.total_links == HUB_INCIDENTS // 10 + 2
    assert len([n for n in view.nodes.values() if n.hop == 1]) == PAGE_SIZE
    hop2 = [n for n in view.nodes.values() if n.hop == 2]
    assert {n.id for n in hop2} >= {"address_id=H1", "person_id=P3"}
    assert len(view.nodes) < 1 + PAGE_SIZE + PAGE_SIZE * PER_NODE
    assert all(e.source in view.nodes and e.target in view.nodes for e in view.edges)


def test_depth_three_reaches_a_vehicle_through_a_shared_incident(graph):
    view = expand_entity(graph, "person", "P2", depth=3, types=["INVOLVED_IN",
                                                                "ASSOCIATED_WITH"])
    assert "vrm=CA11ABC" in view.nodes
    assert view.nodes["vrm=CA11ABC"].hop == 3
    assert {e.type for e in view.edges} == {"INVOLVED_IN", "ASSOCIATED_WITH"}


def test_the_link_type_filter_keeps_only_that_type(graph):
    view = expand_entity(graph, "person", "P1", depth=1, types=["RESIDES_AT"])
    assert [(e.type, e.target) for e in view.edges] == [("RESIDES_AT", "address_id=A2")]
    assert view.total_links == 1
    with pytest.raises(InputError, match="Unknown link type"):
        expand_entity(graph, "person", "P1", types=["KNOWS"])


def test_incident_summary_is_shown_only_to_roles_that_may_see_it(graph):
    intel = expand_entity(graph, "incident", "D1", role="intelligence")
    tasking = expand_entity(graph, "incident", "D1", role="tasking")
    assert intel.root.props["summary"] == "Shouting heard by neighbour"
    assert "summary" not in tasking.root.props
    assert tasking.root.props["incident_type"] == "domestic_abuse"


def test_the_timeline_lists_incidents_and_plans_newest_first(graph):
    view = expand_entity(graph, "person", "P1", depth=1)
    assert [(e["kind"], e["id"]) for e in view.timeline] == [
        ("incident", "incident_id=D1"), ("plan", "plan_id=CP1")]
    assert view.timeline[0]["when"].startswith("2024-05-01")


def raise_flag(store, keys_and_roles: list[tuple[str, str, str]]) -> str:
    """Raise one flag through the flag store, as a rule run would."""
    identity = [f"{k}={v}" for k, v, _ in keys_and_roles]
    found = flags.found_from_rows("offender_household_with_child", [{
        "identity": identity, "severity": "high", "summary": "Adult at a child's home",
        "entities": [{"label_key": k, "key": v, "role": r} for k, v, r in keys_and_roles]}])
    changes = flags.plan_changes(flags.existing_flags(store, "offender_household_with_child"),
                                 found)
    flags.apply_changes(store, changes, found, as_of=date(2025, 1, 1),
                        at=datetime(2025, 1, 1, 9, 0), run_id="run-1")
    return found[0].flag_id


def test_open_flags_show_on_the_entity_and_mark_nodes_in_the_picture(graph):
    flag_id = raise_flag(graph, [("person_id", "P1", "child"), ("person_id", "P2", "adult")])
    view = expand_entity(graph, "address", "A2", depth=1)
    assert view.flags == []  # the flag concerns the people, not the address
    assert view.nodes["person_id=P1"].flagged and not view.nodes["address_id=A2"].flagged
    person = expand_entity(graph, "person", "P1", depth=1)
    assert [f["flag_id"] for f in person.flags] == [flag_id]
    flag_page = expand_entity(graph, "flag", flag_id, depth=1)
    assert {e.type for e in flag_page.edges} == {"CONCERNS"}
    assert {"person_id=P1", "person_id=P2"} <= set(flag_page.nodes)


def test_every_entity_view_is_audited_with_what_was_shown(graph, settings, tmp_path):
    own = replace(settings, app_data_dir=tmp_path / "app")
    view = view_entity(own, graph, user="analyst", role="intelligence", kind="person",
                       key="P1", depth=1, justification="Op Lantern")
    [entry] = audit.search(own, kind="consultation")
    assert entry.action == "entity_view" and entry.justification == "Op Lantern"
    assert entry.asked["entity"] == "person_id=P1"
    assert sorted(entry.shown) == sorted(view.nodes)


def test_an_unknown_entity_is_not_found(graph):
    with pytest.raises(NotFound, match="No Person"):
        expand_entity(graph, "person", "P404")
