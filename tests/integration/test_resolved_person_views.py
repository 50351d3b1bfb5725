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
    assert before["offenders_here"] == []
    _link(store, settings, tmp_path, ("VIS-5", "RMS-5"))
    run(store, "offender_household_with_child")
    after = check_address(store, {"address_id": "HOUSE"}, role="control_room", as_of=AS_OF)
    [offender] = after["offenders_here"]
    assert offender["rosh_level"] == "very_high"
    assert [o["order_type"] for o in offender["orders"]] == ["shpo"]
    assert after["counts"]["offenders_living_here"] == 1
    assert any("registered sex offender" in w["text"] for w in after["warnings"])
    assert [f["rule_id"] for f in after["flags"]] == ["offender_household_with_child"]
    full = check_address(store, {"address_id": "HOUSE"}, role="intelligence", as_of=AS_OF)
    assert {"person_id=VIS-5", "person_id=RMS-5"} <= set(full["shown"])


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
