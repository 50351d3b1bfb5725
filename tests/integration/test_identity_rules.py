"""Rules see a resolved person as one: their records' facts count together."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graphsvc.flag_text import describe_flag
from graphsvc.identities.links import read_links
from graphsvc.identities.resolve import resolve_identities
from tests.rule_data import Graph, born, concerning, run

MISSING = "repeat_missing_child"
UNNOTIFIED = "unnotified_placement"
HOUSEHOLD = "offender_household_with_child"
UNNOTIFIED_ADDRESS = "offender_unnotified_address"


def _resolve(store, settings, tmp_path, linked_county):
    own = replace(settings, app_data_dir=tmp_path / "app")
    resolve_identities(store, own, by="test", role="intelligence",
                       model_path=linked_county["model_path"])
    return {(x.a, x.b): x.status for x in read_links(store)}


def _placed_child_missing_under_another_id(near_miss: bool = False) -> Graph:
    g = Graph().address("CH", address_type="childrens_home")
    dob = born(14)
    g.add("people", person_id="CS-77", given_name="Kayleigh", family_name="Dunmore",
          date_of_birth=dob,
             gender="female", source="childrens_services")
    g.placement("PL-77", "CS-77", "CH", out_of_area=True)
    g.add("people", person_id="RMS-77", given_name="Kayley", family_name="Dunmore",
             date_of_birth=born(9) if near_miss else dob, gender="female", source="rms")
    for n, days in enumerate((10, 30, 50)):
        g.incident(f"M{n}", "missing", days, ("RMS-77", "missing_person"), address_id="CH")
    return g


def test_a_placed_child_missing_under_an_rms_id_is_one_child_once_linked(
        store, settings, tmp_path, linked_county):
    _placed_child_missing_under_another_id().load(store, settings, tmp_path)
    before = run(store, MISSING)
    assert [f["severity"] for f in before] == ["medium"]  # not known to be out of area
    assert len(run(store, UNNOTIFIED)) == 1  # the RMS record looks unplaced
    assert _resolve(store, settings, tmp_path, linked_county) == {
        ("CS-77", "RMS-77"): "automatic"}
    found = run(store, MISSING)
    assert len(found) == 1
    flag = found[0]
    assert flag["severity"] == "high" and "placed out of area" in flag["summary"]
    assert sorted(flag["entities"]["person_id"]) == ["CS-77", "RMS-77"]
    assert run(store, UNNOTIFIED) == []


def test_a_look_alike_with_another_birth_date_stays_apart_and_flags_as_before(
        store, settings, tmp_path, linked_county):
    _placed_child_missing_under_another_id(near_miss=True).load(store, settings, tmp_path)
    statuses = _resolve(store, settings, tmp_path, linked_county)
    assert "automatic" not in statuses.values()
    assert [f["severity"] for f in run(store, MISSING)] == ["medium"]
    assert len(run(store, UNNOTIFIED)) == 1


def _offender_living_with_a_child_under_an_rms_id(same_pnc: bool = True) -> Graph:
    g = Graph().address("NOTIFIED").address("HOUSE")
    g.add("people", person_id="VIS-5", given_name="Jonathan", family_name="Pryce",
          date_of_birth="1979-02-11",
             gender="male", pnc_id="79/123456A", source="visor")
    g.offender("VIS-5").home("VIS-5", "NOTIFIED", start_date="2020-01-01")
    g.add("people", person_id="RMS-5", given_name="Jon", family_name="Price",
          date_of_birth="1979-11-02",
             gender="male", pnc_id="79/123456A" if same_pnc else "80/999999Z", source="rms")
    g.home("RMS-5", "HOUSE", start_date="2025-05-01")
    g.add("people", person_id="RMS-6", date_of_birth=born(8), given_name="Ellie",
          family_name="Marsh", source="rms")
    g.home("RMS-6", "HOUSE", start_date="2019-03-01")
    return g


def test_an_offender_living_with_a_child_under_an_rms_id_is_flagged_once_linked(
        store, settings, tmp_path, linked_county):
    _offender_living_with_a_child_under_an_rms_id().load(store, settings, tmp_path)
    assert run(store, HOUSEHOLD) == [] and run(store, UNNOTIFIED_ADDRESS) == []
    assert _resolve(store, settings, tmp_path, linked_county)[("RMS-5", "VIS-5")] == "automatic"
    household = run(store, HOUSEHOLD)
    assert len(household) == 1
    assert sorted(household[0]["entities"]["person_id"]) == ["RMS-5", "RMS-6", "VIS-5"]
    assert concerning(household, person_id=["VIS-5", "RMS-5", "RMS-6"])
    unnotified = run(store, UNNOTIFIED_ADDRESS)
    assert len(unnotified) == 1
    assert unnotified[0]["severity"] == "critical"  # a child lives there
    assert concerning(unnotified, person_id=["VIS-5", "RMS-5"], address_id="HOUSE")


def test_different_pnc_ids_keep_an_offender_and_a_look_alike_apart(
        store, settings, tmp_path, linked_county):
    _offender_living_with_a_child_under_an_rms_id(same_pnc=False).load(store, settings,
                                                                       tmp_path)
    assert "automatic" not in _resolve(store, settings, tmp_path, linked_county).values()
    assert run(store, HOUSEHOLD) == [] and run(store, UNNOTIFIED_ADDRESS) == []


@pytest.mark.parametrize(("start_days_ago", "flagged"), [(4, True), (3, False)])
def test_an_unnotified_address_is_flagged_after_three_days(store, settings, tmp_path,
                                                          start_days_ago, flagged):
    from tests.rule_data import ago

    g = Graph().address("NOTIFIED").address("FLAT")
    g.person("VIS-1", 40).offender("VIS-1").home("VIS-1", "NOTIFIED", start_date=ago(400))
    g.person("RMS-1", 40).home("RMS-1", "FLAT", residence_type="temporary",
                               start_date=ago(start_days_ago))
    g.load(store, settings, tmp_path)
    own = replace(settings, app_data_dir=tmp_path / "app")
    from graphsvc.identities.links import decide_link

    decide_link(store, own, "VIS-1", "RMS-1", decision="confirm", reason="same man",
                by="jo", role="intelligence")
    found = run(store, UNNOTIFIED_ADDRESS)
    assert bool(found) is flagged
    if flagged:
        assert found[0]["severity"] == "high"
        words = describe_flag(store, found[0]["flag_id"])  # read in names, not ids
        text = " ".join([str(words.summary), *map(str, words.evidence)])
        assert "a registered offender" in text and "does not hold" in text
        assert "a temporary stay there since" in text and "not in the graph" not in text


def test_an_import_links_its_records_and_the_rules_run_on_the_links(
        store, settings, tmp_path, run_cli, linked_county):
    import shutil

    from graphsvc.identities.resolve import model_dir
    from tests.factories import write_folder

    env = {"GRAPHSVC_APP_DIR": str(tmp_path / "cliapp")}
    target = model_dir(settings)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(linked_county["model_path"], target / "model.json")
    try:
        scene = _placed_child_missing_under_another_id()
        placed = {k: v for k, v in scene.tables.items() if k != "people"}
        people = scene.tables["people"]
        write_folder(tmp_path / "first", {"people": people[:1], "addresses":
                                          placed["addresses"], "placements": placed["placements"]})
        write_folder(tmp_path / "second", {"people": people[1:], "incidents": placed["incidents"],
                                           "incident_people": placed["incident_people"]})
        first = run_cli("import", str(tmp_path / "first"), env=env)
        assert first.returncode == 0, first.stderr
        assert "Linkage: 1 new or changed records compared" in first.stdout
        second = run_cli("import", str(tmp_path / "second"), env=env)
        assert second.returncode == 0, second.stderr
        assert "Linkage: 1 new or changed records compared; 1 links new or changed" \
            in second.stdout
        ran = run_cli("jobs", "run", MISSING, "--as-of", "2025-06-30", env=env)
        assert ran.returncode == 0, ran.stderr
        found = run(store, MISSING)
        assert sorted(found[0]["entities"]["person_id"]) == ["CS-77", "RMS-77"]
        assert found[0]["severity"] == "high"
    finally:
        shutil.rmtree(target)
