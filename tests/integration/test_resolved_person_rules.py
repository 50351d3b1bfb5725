"""Every rule sees a resolved person as one: facts of linked records count together, and a flag
about a person concerns every record id of that person (links confirmed by an officer here, so
the tests do not depend on the linkage model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphsvc.identities.links import decide_link
from tests.rule_data import NORWICH, Graph, ago, concerning, run


def _link(store, settings, tmp_path, *pairs: tuple[str, str]) -> None:
    own = replace(settings, app_data_dir=tmp_path / "app")
    for a, b in pairs:
        decide_link(store, own, a, b, decision="confirm", reason="same person", by="jo",
                    role="intelligence")


def _people(found: list[dict]) -> list[str]:
    return sorted(found[0]["entities"]["person_id"])


def test_order_breach_counts_contact_under_the_subjects_other_record(store, settings, tmp_path):
    g = Graph().person("VIS-1", 40).order("SHPO-1", "VIS-1").person("RMS-1", 40)
    g.person("RMS-9", 12).incident("I1", "other", 20, ("RMS-1", "suspect"), ("RMS-9", "victim"))
    g.load(store, settings, tmp_path)
    assert run(store, "order_breach") == []
    _link(store, settings, tmp_path, ("VIS-1", "RMS-1"))
    found = run(store, "order_breach")
    assert len(found) == 1 and found[0]["severity"] == "critical"
    assert _people(found) == ["RMS-1", "RMS-9", "VIS-1"]


def test_a_cawn_protects_every_record_of_the_child_it_names(store, settings, tmp_path):
    g = Graph().person("RMS-1", 40).person("CS-2", 13).person("RMS-2", 13)
    g.add("orders", order_id="CAWN-1", person_id="RMS-1", order_type="cawn",
          start_date=ago(300), prohibits_child_contact=False, protected_person_ids=["CS-2"])
    g.incident("I1", "other", 20, ("RMS-1", "suspect"), ("RMS-2", "victim"))
    g.incident("I2", "other", 10, ("RMS-1", "suspect"), ("CS-2", "victim"))
    g.load(store, settings, tmp_path)
    before = run(store, "order_breach")
    assert [sorted(f["entities"]["person_id"]) for f in before] == [["CS-2", "RMS-1"]]
    _link(store, settings, tmp_path, ("CS-2", "RMS-2"))
    found = run(store, "order_breach")
    assert len(found) == 1  # one child: one flag with both contacts
    assert _people(found) == ["CS-2", "RMS-1", "RMS-2"]
    assert sorted(found[0]["entities"]["incident_id"]) == ["I1", "I2"]


def _placed_child_and_offender(g: Graph) -> Graph:
    g.address("CH", *NORWICH, address_type="childrens_home")
    g.address("FLAT", NORWICH[0] + 0.003, NORWICH[1])
    g.person("CS-1", 14).placement("PL-1", "CS-1", "CH", out_of_area=True)
    g.person("VIS-5", 45).offender("VIS-5", rosh="high").person("RMS-5", 45)
    return g.home("RMS-5", "FLAT", start_date="2024-01-01")


def test_a_high_risk_offenders_home_under_another_record_is_near_a_placed_child(
        store, settings, tmp_path):
    g = _placed_child_and_offender(Graph()).person("RMS-1", 14)
    g.incident("M1", "missing", 20, ("RMS-1", "missing_person"))
    g.load(store, settings, tmp_path)
    assert run(store, "ooa_child_near_high_risk_offender") == []
    _link(store, settings, tmp_path, ("VIS-5", "RMS-5"))
    found = run(store, "ooa_child_near_high_risk_offender")
    assert len(found) == 1 and found[0]["severity"] == "high"
    assert _people(found) == ["CS-1", "RMS-5", "VIS-5"]
    _link(store, settings, tmp_path, ("CS-1", "RMS-1"))  # missing under the child's RMS record
    found = run(store, "ooa_child_near_high_risk_offender")
    assert len(found) == 1 and found[0]["severity"] == "critical"
    assert _people(found) == ["CS-1", "RMS-1", "RMS-5", "VIS-5"]


def test_a_registered_offender_living_at_a_care_setting_under_another_record(
        store, settings, tmp_path):
    g = Graph().address("CH", address_type="childrens_home")
    g.person("VIS-5", 45).offender("VIS-5", rosh="medium").person("RMS-5", 45)
    g.home("RMS-5", "CH", start_date="2024-01-01")
    g.load(store, settings, tmp_path)
    assert run(store, "offender_linked_to_care_setting") == []
    _link(store, settings, tmp_path, ("VIS-5", "RMS-5"))
    found = run(store, "offender_linked_to_care_setting")
    assert len(found) == 1
    assert concerning(found, person_id=["VIS-5", "RMS-5"], address_id="CH")
    assert found[0]["summary"].startswith("Registered offender")
    assert found[0]["evidence"]["rosh_level"] == "medium"


def _child_linked_to_adult(g: Graph, child: str, adult: str, days: int) -> Graph:
    g.person(child, 14).incident(f"M-{child}", "missing", days, (child, "missing_person"))
    return g.associate(child, "person", adult, relation="associate", first_seen=ago(days + 5))


def test_two_records_of_one_child_are_one_child_for_a_shared_link(store, settings, tmp_path):
    g = Graph().person("ADULT", 30)
    _child_linked_to_adult(g, "CS-1", "ADULT", 20)
    _child_linked_to_adult(g, "RMS-1", "ADULT", 40)
    g.load(store, settings, tmp_path)
    assert len(run(store, "shared_exploitation_link")) == 1  # two records look like two children
    _link(store, settings, tmp_path, ("CS-1", "RMS-1"))
    assert run(store, "shared_exploitation_link") == []


def test_children_linked_to_two_records_of_one_adult_share_that_adult(store, settings, tmp_path):
    g = Graph().person("RMS-A", 30).person("VIS-A", 30)
    _child_linked_to_adult(g, "C1", "RMS-A", 20)
    _child_linked_to_adult(g, "C2", "VIS-A", 40)
    g.load(store, settings, tmp_path)
    assert run(store, "shared_exploitation_link") == []
    _link(store, settings, tmp_path, ("RMS-A", "VIS-A"))
    found = run(store, "shared_exploitation_link")
    assert len(found) == 1 and found[0]["severity"] == "high"
    assert _people(found) == ["C1", "C2", "RMS-A", "VIS-A"]
    assert sorted(found[0]["entity_keys"]) == ["person_id=RMS-A", "person_id=VIS-A"]


def test_a_shared_link_flags_material_is_each_child_and_each_of_its_concerns_once(
        store, settings, tmp_path):
    """The material items of a hub are its children and, once each, every missing episode and
    CSE concern in the window of every record of each child (read apart from the flag rows,
    graphsvc/rules/material.py): not an older one, not one where the child only reported."""
    g = Graph().person("ADULT", 30).person("C1", 14).person("C2", 15).person("RMS-2", 15)
    g.incident("M1", "missing", 10, ("C1", "missing_person"), ("ADULT", "found_with"))
    g.incident("X1", "cse_concern", 30, ("C1", "victim"), ("C2", "victim"),
               ("ADULT", "suspect"))                               # shared by both children
    g.incident("OLD", "missing", 200, ("C1", "missing_person"))    # before the window
    g.incident("REP", "missing", 5, ("C1", "reporting_person"))    # C1 only reported it
    g.incident("X2", "cse_concern", 40, ("RMS-2", "victim"))       # on C2's other record
    g.load(store, settings, tmp_path)
    _link(store, settings, tmp_path, ("C2", "RMS-2"))
    (flag,) = run(store, "shared_exploitation_link")
    incidents = sorted(k for k in flag["material_keys"] if k.startswith("incident_id="))
    assert incidents == ["incident_id=M1", "incident_id=X1", "incident_id=X2"]
    children = {c["child_id"]: c["concern_count"] for c in flag["evidence"]["children"]}
    assert sorted(children.values()) == [2, 2]  # C1: M1, X1; C2: X1, X2 (under RMS-2)
    each = {c["child_id"]: c["material"] for c in flag["evidence"]["children"]}
    assert each == {"C1": ["incident_id=M1", "incident_id=X1"],
                    "C2": ["incident_id=X1", "incident_id=X2"]}  # each child's own, in its entry
    people = {k for k in flag["material_keys"] if k.startswith("person_id=")}
    assert {f"person_id={c}" for c in children} <= people


def test_a_childs_date_of_birth_on_a_linked_record_counts(store, settings, tmp_path):
    """Domestic abuse, a long investigation and an overdue return interview, each about a
    record without a date of birth whose linked children's-services record has one."""
    g = Graph().address("HOME").person("CS-3", 9).person("RMS-3").person("RMS-4", 35)
    for n, days in enumerate((30, 90, 150)):
        g.incident(f"DA{n}", "domestic_abuse", days, ("RMS-3", "witness"),
                   ("RMS-4", "suspect"), address_id="HOME", risk_grade="standard")
    g.incident("SX", "child_neglect", 200, ("RMS-3", "victim"), ("RMS-4", "suspect"),
               status="open")
    g.add("incidents", incident_id="MS", incident_type="missing",
          occurred_at=f"{ago(10)}T21:30:00", returned_at=f"{ago(8)}T10:00:00")
    g.add("incident_people", incident_id="MS", person_id="RMS-3", role="missing_person")
    g.load(store, settings, tmp_path)
    rules = ("repeat_domestic_abuse_with_child", "long_running_child_abuse_investigation",
             "overdue_return_interview")
    for rule_id in rules:
        assert run(store, rule_id) == [], rule_id
    _link(store, settings, tmp_path, ("CS-3", "RMS-3"))
    for rule_id in rules:
        found = run(store, rule_id)
        assert len(found) == 1, rule_id
        assert concerning(found, person_id=["CS-3", "RMS-3"]), rule_id


@pytest.mark.parametrize(("rule_id", "before", "after"), [
    ("offender_household_with_child", [], ["high"]),
    ("offender_unnotified_address", ["high"], ["critical"]),
])
def test_a_child_known_only_by_its_linked_record_lives_with_the_offender(
        store, settings, tmp_path, rule_id, before, after):
    """The offender's other record (RMS-1) lives at FLAT, which the register does not hold.
    RMS-C lives there too, with no date of birth; its linked children's-services record (CS-C)
    has one: a child lives with the offender once the two records are linked."""
    g = Graph().address("NOTIFIED").address("FLAT")
    g.person("VIS-1", 40).offender("VIS-1").home("VIS-1", "NOTIFIED", start_date=ago(400))
    g.person("RMS-1", 40).home("RMS-1", "FLAT", start_date=ago(30))
    g.person("RMS-C").home("RMS-C", "FLAT", start_date=ago(300)).person("CS-C", 10)
    g.load(store, settings, tmp_path)
    _link(store, settings, tmp_path, ("VIS-1", "RMS-1"))
    assert [f["severity"] for f in run(store, rule_id)] == before
    _link(store, settings, tmp_path, ("CS-C", "RMS-C"))
    found = run(store, rule_id)
    assert [f["severity"] for f in found] == after
    assert concerning(found, person_id=["VIS-1", "RMS-1", "RMS-C", "CS-C"])


@pytest.mark.parametrize("via", ["incident", "association"])
def test_an_order_breach_with_a_child_known_only_by_its_linked_record(store, settings,
                                                                      tmp_path, via):
    """The subject of an order forbidding contact with children meets RMS-9, a record with no
    date of birth; its linked children's-services record (CS-9) says it is a child."""
    g = Graph().person("VIS-1", 40).order("SHPO-1", "VIS-1").person("RMS-9").person("CS-9", 12)
    if via == "incident":
        g.incident("I1", "other", 20, ("VIS-1", "suspect"), ("RMS-9", "victim"))
    else:
        g.associate("VIS-1", "person", "RMS-9", relation="associate", first_seen=ago(20))
    g.load(store, settings, tmp_path)
    assert run(store, "order_breach") == []
    _link(store, settings, tmp_path, ("CS-9", "RMS-9"))
    found = run(store, "order_breach")
    assert [f["severity"] for f in found] == ["critical"]
    assert concerning(found, person_id=["VIS-1", "RMS-9", "CS-9"])


def test_a_child_known_only_by_its_linked_record_missing_from_a_care_setting(
        store, settings, tmp_path):
    """RMS-7, a police record with no date of birth, is reported missing from a children's
    home where no placement is known; its linked children's-services record says it is a
    child (and is placed elsewhere)."""
    g = Graph().address("CH", address_type="childrens_home").address("FH")
    g.person("RMS-7").incident("M1", "missing", 12, ("RMS-7", "missing_person"),
                               address_id="CH")
    g.person("CS-7", 15).placement("PL7", "CS-7", "FH")
    g.load(store, settings, tmp_path)
    assert run(store, "unnotified_placement") == []
    _link(store, settings, tmp_path, ("CS-7", "RMS-7"))
    found = run(store, "unnotified_placement")
    assert [f["entity_keys"] for f in found] == [
        ["address_id=CH", "person_id=CS-7", "person_id=RMS-7"]]
    assert "reported missing from" in found[0]["summary"]


def test_missing_episodes_of_a_record_without_a_date_of_birth_count_once_it_is_linked(
        store, settings, tmp_path):
    """RMS-2, a police record with no date of birth, was found with the adult; its linked
    children's-services record (CS-2) says it is a child: two children share the adult."""
    g = Graph().person("ADULT", 30).person("C1", 14).person("RMS-2").person("CS-2", 13)
    g.incident("M1", "missing", 10, ("C1", "missing_person"), ("ADULT", "found_with"))
    g.incident("M2", "missing", 20, ("RMS-2", "missing_person"), ("ADULT", "found_with"))
    g.load(store, settings, tmp_path)
    assert run(store, "shared_exploitation_link") == []
    _link(store, settings, tmp_path, ("CS-2", "RMS-2"))
    (flag,) = run(store, "shared_exploitation_link")
    assert flag["entity_keys"] == ["person_id=ADULT"]
    assert concerning([flag], person_id=["C1", "RMS-2", "CS-2"])
    assert {"incident_id=M1", "incident_id=M2"} <= set(flag["material_keys"])


def test_a_flag_follows_a_link_made_and_undone(store, settings, tmp_path):
    """Undoing the link resolves the person's flag and the records flag apart as before."""
    g = Graph().person("ADULT", 30)
    _child_linked_to_adult(g, "CS-1", "ADULT", 20)
    _child_linked_to_adult(g, "RMS-1", "ADULT", 40)
    g.load(store, settings, tmp_path)
    _link(store, settings, tmp_path, ("CS-1", "RMS-1"))
    assert run(store, "shared_exploitation_link") == []
    own = replace(settings, app_data_dir=tmp_path / "app")
    decide_link(store, own, "CS-1", "RMS-1", decision="undo", reason="not sure", by="jo",
                role="intelligence")
    found = run(store, "shared_exploitation_link")
    assert len(found) == 1 and _people(found) == ["ADULT", "CS-1", "RMS-1"]


def test_a_child_born_on_the_linked_record_only(store, settings, tmp_path):
    """A child with no date of birth at all on any record is never taken for a child."""
    g = Graph().person("RMS-3").person("CS-3").address("HOME")
    for n, days in enumerate((30, 90, 150)):
        g.incident(f"DA{n}", "domestic_abuse", days, ("RMS-3", "witness"), address_id="HOME",
                   risk_grade="standard")
    g.load(store, settings, tmp_path)
    _link(store, settings, tmp_path, ("CS-3", "RMS-3"))
    assert run(store, "repeat_domestic_abuse_with_child") == []
