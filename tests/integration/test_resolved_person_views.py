"""The address check, search, clusters and exports see a resolved person as one (links
confirmed by an officer here, so the tests do not depend on the linkage model)."""

from __future__ import annotations

from dataclasses import replace

from graphsvc.address_check import check_address
from graphsvc.identities.links import decide_link
from tests.rule_data import AS_OF, Graph, born, run


def _link(store, settings, tmp_path, *pairs: tuple[str, str]) -> None:
    own = replace(settings, app_data_dir=tmp_path / "app")
    for a, b in pairs:
        decide_link(store, own, a, b, decision="confirm", reason="same person", by="jo",
                    role="intelligence")


def _offender_at_an_unnotified_house() -> Graph:
    """VIS-5 is on the register (home elsewhere); RMS-5, the same man, lives at HOUSE with a
    child under an order the RMS does not hold."""
    g = Graph().address("NOTIFIED").address("HOUSE", 52.64, 1.30)
    g.add("people", person_id="VIS-5", given_name="Jonathan", family_name="Pryce",
          date_of_birth="1979-02-11", source="visor")
    g.offender("VIS-5", rosh="very_high").home("VIS-5", "NOTIFIED", start_date="2020-01-01")
    g.order("SHPO-5", "VIS-5")
    g.add("people", person_id="RMS-5", given_name="Jon", family_name="Price",
          date_of_birth="1979-11-02", source="rms")
    g.home("RMS-5", "HOUSE", start_date="2025-01-01")
    g.add("people", person_id="RMS-6", given_name="Ellie", family_name="Marsh",
          date_of_birth=born(8), source="rms")
    return g.home("RMS-6", "HOUSE", start_date="2019-03-01")


def test_the_address_check_names_a_resident_registered_under_another_record(
        store, settings, tmp_path):
    _offender_at_an_unnotified_house().load(store, settings, tmp_path)
    before = check_address(store, {"address_id": "HOUSE"}, role="intelligence", as_of=AS_OF)
    assert before.offenders_here == []
    _link(store, settings, tmp_path, ("VIS-5", "RMS-5"))
    run(store, "offender_household_with_child")
    after = check_address(store, {"address_id": "HOUSE"}, role="control_room", as_of=AS_OF)
    [offender] = after.offenders_here
    assert offender["rosh_level"] == "very_high"
    assert [o["order_type"] for o in offender["orders"]] == ["shpo"]
    assert after.counts["offenders_living_here"] == 1
    assert any("registered sex offender" in w["text"] for w in after.warnings)
    assert [f["rule_id"] for f in after.flags] == ["offender_household_with_child"]
    full = check_address(store, {"address_id": "HOUSE"}, role="intelligence", as_of=AS_OF)
    assert {"person_id=VIS-5", "person_id=RMS-5"} <= set(full.shown)


def test_search_gives_one_hit_per_person_listing_its_records(store, settings, tmp_path):
    from graphsvc.search import search_page
    from graphsvc.search.index import forget_all

    forget_all()
    g = Graph().address("HOME")
    g.add("people", person_id="VIS-8", given_name="Dean", family_name="Hollis",
          date_of_birth="1979-02-11", source="visor").offender("VIS-8", rosh="medium")
    g.add("people", person_id="RMS-8", given_name="Dean", family_name="Hollis",
          date_of_birth="1979-11-02", source="rms").home("RMS-8", "HOME")
    g.add("people", person_id="RMS-9", given_name="Dean", family_name="Hollis",
          date_of_birth="2001-05-05", source="rms")  # another man of the name
    g.add("people", person_id="CS-9", given_name="Amy", family_name="Hollis",
          date_of_birth=born(9), source="childrens_services").home("CS-9", "HOME")
    g.load(store, settings, tmp_path)
    before = search_page(store, "Dean Hollis", kind="person")
    assert {r.key for r in before.results} == {"RMS-8", "VIS-8", "RMS-9"}
    assert not next(r for r in before.results if r.key == "RMS-8").offender
    _link(store, settings, tmp_path, ("VIS-8", "RMS-8"))
    forget_all()
    run(store, "offender_household_with_child")
    after = search_page(store, "Dean Hollis", kind="person")
    assert sorted(r.key for r in after.results) in (["RMS-8", "RMS-9"], ["RMS-9", "VIS-8"])
    assert after.total == 2
    [person] = [r for r in after.results if r.key != "RMS-9"]
    assert person.records == ["RMS-8", "VIS-8"] and person.offender
    assert "one person in 2 records: " in " ".join(person.details)
    from graphsvc.search import attach_flags

    attach_flags(store, after.results)
    assert [f["rule_id"] for f in person.flags] == ["offender_household_with_child"]
    [other] = [r for r in after.results if r.key == "RMS-9"]
    assert other.records == [] and not other.offender and other.flags == []
    # the flags read with the page's details (as a search page does) are the same flags
    again = search_page(store, "Dean Hollis", kind="person")
    assert set(again.flags_read) == {"person_id=RMS-8", "person_id=VIS-8", "person_id=RMS-9"}
    attach_flags(store, again.results, again.flags_read)
    assert {r.key: r.flags for r in again.results} == {r.key: r.flags for r in after.results}


def _one_child_flagged_under_two_records() -> Graph:
    """CS-3 is the victim in an open neglect investigation; RMS-3, the same child, came back
    from a missing episode with no return interview. Two flags, nothing shared but the child."""
    g = Graph().person("CS-3", 12, source="childrens_services").person("RMS-3", 12, source="rms")
    g.person("RMS-4", 35)
    g.incident("SX", "child_neglect", 200, ("CS-3", "victim"), ("RMS-4", "suspect"),
               status="open")
    g.add("incidents", incident_id="MS", incident_type="missing",
          occurred_at="2025-06-20T21:30:00", returned_at="2025-06-22T10:00:00")
    return g.add("incident_people", incident_id="MS", person_id="RMS-3", role="missing_person")


def _raise_flags(store) -> None:
    for rule_id in ("long_running_child_abuse_investigation", "overdue_return_interview"):
        assert len(run(store, rule_id)) == 1


def test_flags_about_two_records_of_one_child_fall_into_one_cluster(store, web_settings,
                                                                     tmp_path):
    from graphsvc import clusters

    _one_child_flagged_under_two_records().load(store, web_settings, tmp_path)
    _raise_flags(store)
    assert clusters.recompute(store, web_settings)["clusters"] == 2
    _link(store, web_settings, tmp_path, ("CS-3", "RMS-3"))
    _raise_flags(store)
    assert clusters.recompute(store, web_settings)["clusters"] == 1
    [cluster] = clusters.list_clusters(web_settings)
    keys = {e["key"] for e in cluster["entities"]}
    assert {"person_id=CS-3", "person_id=RMS-3"} <= keys


def test_an_export_of_a_record_carries_its_links_to_the_persons_other_records(
        store, settings, tmp_path):
    import csv
    import io

    from graphsvc.entity import expand_entity
    from graphsvc.exports import to_csv

    _one_child_flagged_under_two_records().load(store, settings, tmp_path)
    _link(store, settings, tmp_path, ("CS-3", "RMS-3"))
    rows = list(csv.DictReader(io.StringIO(to_csv(expand_entity(store, "person", "RMS-3")))))
    same = [r for r in rows if r["link"] == "SAME_AS"]
    assert len(same) == 1 and {same[0]["from_key"], same[0]["to_key"]} == {"CS-3", "RMS-3"}
    assert same[0]["relation"] == "same person (confirmed)"
    assert "reason: same person" in same[0]["link_details"]
    own = replace(settings, app_data_dir=tmp_path / "app")
    for decision in ("undo", "reject"):
        decide_link(store, own, "CS-3", "RMS-3", decision=decision, reason="twins", by="jo",
                    role="intelligence")
    view = expand_entity(store, "person", "RMS-3")
    assert "SAME_AS" not in view.link_counts
    assert not [r for r in csv.DictReader(io.StringIO(to_csv(view))) if r["link"] == "SAME_AS"]


def test_an_offender_whose_linked_record_lives_nearby_is_an_offender_nearby(
        store, settings, tmp_path, monkeypatch):
    """VIS-5's register home has no coordinates; RMS-5, the same man, lives at HOUSE, about
    110 m south of the checked address: once linked, he is an offender nearby."""
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 0.0)
    g = _offender_at_an_unnotified_house().address("NEXT_DOOR", 52.641, 1.30)
    g.add("people", person_id="RMS-7", given_name="Tom", family_name="Reed",
          date_of_birth="1990-01-01", source="rms").home("RMS-7", "NEXT_DOOR")
    g.load(store, settings, tmp_path)
    before = check_address(store, {"address_id": "NEXT_DOOR"}, role="intelligence", as_of=AS_OF)
    assert before.offenders_nearby == []
    _link(store, settings, tmp_path, ("VIS-5", "RMS-5"))
    after = check_address(store, {"address_id": "NEXT_DOOR"}, role="intelligence", as_of=AS_OF)
    [nearby] = after.offenders_nearby
    assert nearby["person_id"] == "VIS-5" and nearby["rosh_level"] == "very_high"
    assert nearby["address_id"] == "HOUSE" and 100 <= nearby["distance_m"] <= 120
    assert after.counts["offenders_nearby"] == 1
    # an unlinked look-alike nearby is nobody's register record
    decide_link(store, replace(settings, app_data_dir=tmp_path / "app"), "VIS-5", "RMS-5",
                decision="undo", reason="wrong man", by="jo", role="intelligence")
    undone = check_address(store, {"address_id": "NEXT_DOOR"}, role="intelligence", as_of=AS_OF)
    assert undone.offenders_nearby == []
