"""offender_household_with_child, offender_linked_to_care_setting and order_breach."""

from __future__ import annotations

from tests.rule_data import Graph, ago, born, concerning, run

HOUSEHOLD = "offender_household_with_child"
CARE = "offender_linked_to_care_setting"
BREACH = "order_breach"


def test_offender_at_a_childs_home_same_uprn_or_placement_is_flagged(store, settings,
                                                                      tmp_path):
    g = Graph().person("O1", 40).offender("O1", rosh="low")
    g.address("FLAT_A", uprn="100001").address("FLAT_A_DUP", uprn="100001")
    g.address("FOSTER").address("ELSEWHERE", uprn="100002")
    g.home("O1", "FLAT_A").home("O1", "FOSTER", residence_type="household_contact")
    g.person("C1", 8).home("C1", "FLAT_A_DUP")               # same UPRN, another address id
    g.person("C2", 12).placement("PL2", "C2", "FOSTER", out_of_area=False)  # placement
    g.person("C3", 12).home("C3", "ELSEWHERE")
    g.load(store, settings, tmp_path)
    found = run(store, HOUSEHOLD)
    pairs = sorted(f["entities"]["person_id"] for f in found)
    assert pairs == [["C1", "O1"], ["C2", "O1"]]
    (c1,) = concerning(found, person_id="C1")
    assert c1["severity"] == "high"
    assert c1["evidence"]["overlaps"][0]["same_address"] is False
    (c2,) = concerning(found, person_id="C2")
    assert c2["severity"] == "critical"  # looked after


def test_household_rule_ignores_ended_registration_temporary_stays_and_adults(store, settings,
                                                                             tmp_path):
    g = Graph().address("HOUSE", uprn="200001")
    g.person("C1", 10).home("C1", "HOUSE").plan("CP1", "C1")
    g.person("ENDED", 40).offender("ENDED", registered_until=ago(1)).home("ENDED", "HOUSE")
    g.person("TEMP", 40).offender("TEMP").home("TEMP", "HOUSE", residence_type="temporary")
    g.person("LATER", 40).offender("LATER", registered_from=ago(-1)).home("LATER", "HOUSE")
    g.person("OLDSTAY", 40).offender("OLDSTAY").home("OLDSTAY", "HOUSE",
                                                      residence_type="notified_stay",
                                                      start_date=ago(60), end_date=ago(30))
    g.person("ADULT", date_of_birth=born(18, extra_days=60)).home("ADULT", "HOUSE")  # 18 + 60 d
    g.load(store, settings, tmp_path)
    assert run(store, HOUSEHOLD) == []
    # Replayed as of 40 days ago: the notified stay was current, ENDED still registered, and
    # the child already on a plan; ADULT was 18 already.
    replay = run(store, HOUSEHOLD, as_of=ago(40))
    assert sorted((f["entities"]["person_id"], f["severity"]) for f in replay) == [
        (["C1", "ENDED"], "critical"), (["C1", "OLDSTAY"], "critical")]


def test_offender_or_order_subject_living_at_or_associated_with_a_care_setting(store, settings,
                                                                              tmp_path):
    g = Graph().address("CH", address_type="childrens_home").address("PRIVATE")
    g.address("FOSTERED")  # a private address that is a foster home because of a placement
    g.person("C9", 9).placement("PL9", "C9", "FOSTERED", placement_type="foster")
    g.person("O1", 40).offender("O1", rosh="low").home("O1", "CH", residence_type="temporary")
    g.person("O2", 40).offender("O2").associate("O2", "address", "CH", relation="frequents",
                                                first_seen=ago(20))
    g.person("S3", 30).order("ORD3", "S3", "dvpo").home("S3", "FOSTERED")
    g.person("O4", 40).offender("O4").home("O4", "PRIVATE")
    g.person("O5", 40).offender("O5").associate("O5", "address", "CH", first_seen=ago(-3))
    g.person("P6", 40).home("P6", "CH")  # neither registered nor under an order
    g.load(store, settings, tmp_path)
    found = run(store, CARE)
    assert sorted(tuple(f["entity_keys"]) for f in found) == [
        ("address_id=CH", "person_id=O1"), ("address_id=CH", "person_id=O2"),
        ("address_id=FOSTERED", "person_id=S3")]
    assert {f["severity"] for f in found} == {"high"}


def test_order_breach_by_incident_or_association_inside_the_order_period(store, settings,
                                                                        tmp_path):
    g = Graph().person("S1", 35).order("SHPO1", "S1", "shpo", start=ago(300))
    g.person("C1", 14).person("C2", 15).person("C3", 16).person("A1", 30)
    g.incident("I1", "concern_for_welfare", 20, ("S1", "subject"), ("C1", "child_present"))
    g.incident("I0", "other", 310, ("S1", "subject"), ("C3", "witness"))  # before the order
    g.incident("I2", "other", 10, ("S1", "subject"), ("A1", "witness"))  # adult only
    g.associate("S1", "person", "C2", relation="seen_with", first_seen=ago(40),
                last_seen=ago(35))
    g.load(store, settings, tmp_path)
    found = run(store, BREACH)
    assert sorted(f["entities"]["person_id"] for f in found) == [["C1", "S1"], ["C2", "S1"]]
    assert {f["severity"] for f in found} == {"critical"}
    assert concerning(found, person_id="C1", incident_id="I1", order_id="SHPO1")


def test_cawn_is_breached_only_by_contact_with_the_named_child(store, settings, tmp_path):
    g = Graph().person("S1", 25).person("NAMED", 15).person("OTHER", 15)
    g.order("CAWN1", "S1", "cawn", start=ago(100), end_date=ago(5),
            protected_person_ids=["NAMED"], prohibits_child_contact=False)
    g.incident("I1", "missing", 30, ("NAMED", "missing_person"), ("S1", "found_with"))
    g.incident("I2", "missing", 30, ("OTHER", "missing_person"), ("S1", "found_with"))
    g.incident("I3", "missing", 2, ("NAMED", "missing_person"), ("S1", "found_with"))
    g.load(store, settings, tmp_path)
    found = run(store, BREACH)
    assert [f["entities"]["person_id"] for f in found] == [["NAMED", "S1"]]
    # I3 came after the CAWN ended: it is not part of the breach.
    assert found[0]["entities"]["incident_id"] == ["I1"]


def test_order_breach_not_flagged_for_orders_without_child_prohibition(store, settings, tmp_path):
    g = Graph().person("S1", 35).person("C1", 10)
    g.order("DV1", "S1", "dvpo", start=ago(100), prohibits_child_contact=False)
    g.incident("I1", "domestic_abuse", 20, ("S1", "suspect"), ("C1", "child_present"))
    g.load(store, settings, tmp_path)
    assert run(store, BREACH) == []
