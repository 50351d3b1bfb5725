"""repeat_domestic_abuse_with_child and long_running_child_abuse_investigation."""

from __future__ import annotations

from tests.rule_data import Graph, ago, born, run

DOMESTIC = "repeat_domestic_abuse_with_child"
LONG = "long_running_child_abuse_investigation"


def _da(g: Graph, address: str, *days_ago: int, grade: str = "standard", child: str | None = None,
        prefix: str = "DA") -> Graph:
    for n, d in enumerate(days_ago):
        people = [("MUM", "victim"), ("DAD", "suspect")] + ([(child, "child_present")]
                                                            if child else [])
        g.incident(f"{prefix}{address}{n}", "domestic_abuse", d, *people, address_id=address,
                   risk_grade=grade)
    return g


def _family() -> Graph:
    return Graph().person("MUM", 35).person("DAD", 38)


def test_three_low_graded_incidents_with_a_child_living_there_are_flagged(store, settings,
                                                                         tmp_path):
    g = _family().address("H1").address("H2").address("H3").address("H4")
    g.person("KID", 6).home("KID", "H1")
    _da(g, "H1", 10, 100, 365)                       # child lives there
    _da(g, "H2", 10, 100, 366)                       # third is outside 365 days
    _da(g, "H3", 10, 100, 200)                       # no child
    g.person("KID4", 9)
    _da(g, "H4", 10, 100, 200, child="KID4")         # child present each time
    g.load(store, settings, tmp_path)
    found = run(store, DOMESTIC)
    assert sorted(f["entity_keys"][0] for f in found) == ["address_id=H1", "address_id=H4"]
    assert {f["severity"] for f in found} == {"high"}
    h4 = next(f for f in found if f["entity_keys"] == ["address_id=H4"])
    assert h4["entities"]["person_id"] == ["KID4"]
    assert h4["evidence"]["count"] == 3


def test_an_incident_graded_high_or_a_child_present_only_once_means_no_flag(store, settings,
                                                                           tmp_path):
    g = _family().address("H1").address("H2")
    g.person("KID", 6).home("KID", "H1")
    _da(g, "H1", 10, 100, 200)
    _da(g, "H1", 50, grade="high", prefix="HIGH")
    g.person("VISITOR", 9)
    _da(g, "H2", 10, child="VISITOR", prefix="A")
    _da(g, "H2", 100, 200, prefix="B")
    g.load(store, settings, tmp_path)
    assert run(store, DOMESTIC) == []


def test_open_child_abuse_crime_reported_more_than_90_days_ago(store, settings, tmp_path):
    g = Graph().person("V1", 12).person("V2", 12).person("V3", 30).person("S1", 40)
    g.person("V4", date_of_birth=born(18, extra_days=10))  # 17 when it happened, 18 now
    g.incident("OLD", "sexual_offence", 91, ("V1", "victim"), ("S1", "suspect"),
               status="open", crime_ref="CR1")
    g.incident("NEW", "sexual_offence", 90, ("V2", "victim"), status="open", crime_ref="CR2")
    g.incident("ADULT", "violence", 200, ("V3", "victim"), status="open", crime_ref="CR3")
    g.incident("DONE", "child_neglect", 200, ("V1", "victim"), status="closed", crime_ref="CR4")
    g.incident("WAS17", "cse_concern", 120, ("V4", "victim"), status="open", crime_ref="CR5")
    g.load(store, settings, tmp_path)
    found = run(store, LONG)
    assert sorted(f["entity_keys"][0] for f in found) == ["incident_id=OLD", "incident_id=WAS17"]
    old = next(f for f in found if f["entity_keys"] == ["incident_id=OLD"])
    assert old["entities"]["person_id"] == ["S1", "V1"]
    assert old["severity"] == "medium"
    assert [f["entity_keys"] for f in run(store, LONG, as_of=ago(2))] == [["incident_id=WAS17"]]
