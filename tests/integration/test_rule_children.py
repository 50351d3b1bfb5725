"""repeat_missing_child, shared_exploitation_link, overdue_return_interview and placements."""

from __future__ import annotations

from tests.rule_data import AS_OF, Graph, ago, concerning, run

MISSING = "repeat_missing_child"
SHARED = "shared_exploitation_link"
INTERVIEW = "overdue_return_interview"
UNNOTIFIED = "unnotified_placement"


def _missing(g: Graph, child: str, *days_ago: int, prefix: str = "M") -> Graph:
    for n, d in enumerate(days_ago):
        g.incident(f"{prefix}{child}_{n}", "missing", d, (child, "missing_person"))
    return g


def test_three_missing_episodes_in_90_days_flag_a_child_two_or_older_ones_do_not(
        store, settings, tmp_path):
    g = Graph().person("C1", 14).person("C2", 14).person("C3", 14).person("A1", 30)
    _missing(g, "C1", 1, 45, 90)
    _missing(g, "C2", 1, 45, 91)          # the third is outside the window
    _missing(g, "C3", 1, 45)
    _missing(g, "A1", 1, 2, 3)            # an adult
    g.load(store, settings, tmp_path)
    found = run(store, MISSING)
    assert [f["entities"]["person_id"] for f in found] == [["C1"]]
    assert found[0]["severity"] == "medium"
    assert found[0]["evidence"]["count"] == 3
    assert len(run(store, MISSING, min_episodes=2)) == 3 - 0  # C1, C2, C3


def test_repeat_missing_is_high_when_out_of_area_or_with_a_cse_concern(store, settings,
                                                                      tmp_path):
    g = Graph().address("CH", address_type="childrens_home")
    g.person("OOA", 15).placement("PL1", "OOA", "CH")
    g.person("CSE", 15).person("PLAIN", 15)
    for child in ("OOA", "CSE", "PLAIN"):
        _missing(g, child, 5, 25, 60)
    g.incident("X1", "cse_concern", 24, ("CSE", "victim"))
    g.load(store, settings, tmp_path)
    severity = {f["entities"]["person_id"][0]: f["severity"] for f in run(store, MISSING)}
    assert severity == {"OOA": "high", "CSE": "high", "PLAIN": "medium"}


def test_two_children_found_with_the_same_adult_are_a_shared_link(store, settings, tmp_path):
    g = Graph().person("C1", 14).person("C2", 15).person("ADULT", 24)
    g.incident("M1", "missing", 10, ("C1", "missing_person"), ("ADULT", "found_with"))
    g.incident("M2", "missing", 170, ("C2", "missing_person"), ("ADULT", "found_with"))
    g.load(store, settings, tmp_path)
    found = run(store, SHARED)
    assert len(found) == 1
    assert found[0]["entity_keys"] == ["person_id=ADULT"]
    assert found[0]["entities"]["person_id"] == ["ADULT", "C1", "C2"]
    assert found[0]["severity"] == "high"


def test_three_children_sharing_a_vehicle_phone_or_found_at_address_are_critical(
        store, settings, tmp_path):
    g = Graph().address("FLAT").address("HOME1")
    for c in ("C1", "C2", "C3"):
        g.person(c, 15).associate(c, "vehicle", "AB12 CDE", relation="seen_with")
        g.associate(c, "phone", "+44 7700 900123")
        g.incident(f"M{c}", "missing", 20, (c, "missing_person"), found_address_id="FLAT",
                   returned_at=f"{ago(19)}T08:00:00")
    g.home("C1", "HOME1")
    g.load(store, settings, tmp_path)
    found = run(store, SHARED)
    hubs = {f["entity_keys"][0]: f for f in found}
    assert set(hubs) == {"vrm=AB12CDE", "number=07700900123", "address_id=FLAT"}
    assert {f["severity"] for f in found} == {"critical"}
    assert hubs["vrm=AB12CDE"]["entities"]["person_id"] == ["C1", "C2", "C3"]


def test_no_shared_link_without_a_recent_concern_for_each_child_or_through_family(
        store, settings, tmp_path):
    g = Graph().person("C1", 14).person("C2", 15).person("C3", 15).person("MUM", 40)
    g.person("ADULT", 30)
    g.incident("M1", "missing", 10, ("C1", "missing_person"))
    g.incident("M2", "missing", 181, ("C2", "missing_person"))     # too long ago
    g.associate("C1", "person", "ADULT").associate("C2", "person", "ADULT")
    g.incident("M3", "missing", 5, ("C3", "missing_person"), ("MUM", "reporting_person"))
    g.associate("C1", "person", "MUM", relation="family")
    g.associate("C3", "person", "MUM", relation="family")
    g.load(store, settings, tmp_path)
    assert run(store, SHARED) == []
    assert len(run(store, SHARED, window_days=200)) == 1  # C1 and C2 via ADULT


def test_cse_concern_counts_as_the_childs_recent_concern(store, settings, tmp_path):
    g = Graph().person("C1", 13).person("C2", 16).person("MAN", 33)
    g.incident("X1", "cse_concern", 30, ("C1", "victim"), ("MAN", "suspect"))
    g.incident("X2", "cse_concern", 60, ("C2", "victim"))
    g.associate("MAN", "person", "C2", relation="associate", first_seen=ago(90))
    g.load(store, settings, tmp_path)
    (flag,) = run(store, SHARED)
    assert flag["entity_keys"] == ["person_id=MAN"]
    assert concerning([flag], person_id=["C1", "C2"])
    assert {"incident_id=X1", "incident_id=X2"} <= set(flag["material_keys"])


def test_overdue_return_interview_after_72_hours(store, settings, tmp_path):
    g = Graph().person("C1", 12).person("C2", 12).person("C3", 12).person("C4", 12)
    end = f"{ago(0)}T23:59:59"  # the moment a past as-of date looks at
    g.incident("LATE", "missing", 5, ("C1", "missing_person"), returned_at=f"{ago(3)}T23:59:58")
    g.incident("JUST", "missing", 5, ("C2", "missing_person"), returned_at=f"{ago(3)}T23:59:59")
    g.incident("SEEN", "missing", 9, ("C3", "missing_person"), returned_at=f"{ago(8)}T10:00:00",
               return_interview_at=f"{ago(6)}T10:00:00")
    g.incident("OPEN", "missing", 9, ("C4", "missing_person"))   # not back yet
    g.incident("AFTER", "missing", 20, ("C4", "missing_person"), returned_at=f"{ago(19)}T10:00:00",
               return_interview_at=f"{ago(-1)}T10:00:00")        # interviewed after as_of
    g.load(store, settings, tmp_path)
    assert end.startswith(AS_OF.isoformat())
    found = run(store, INTERVIEW)
    assert sorted(f["entities"]["incident_id"] for f in found) == [["AFTER"], ["LATE"]]
    assert {f["severity"] for f in found} == {"medium"}


def test_child_at_a_care_setting_without_a_known_placement_is_unnotified(store, settings,
                                                                        tmp_path):
    g = Graph().address("CH", address_type="childrens_home").address("HOUSE")
    g.person("C1", 15).incident("M1", "missing", 12, ("C1", "missing_person"),
                                address_id="CH")
    g.person("C2", 15).placement("PL2", "C2", "CH")
    g.incident("M2", "missing", 12, ("C2", "missing_person"), address_id="CH")
    g.person("C3", 15).incident("M3", "missing", 12, ("C3", "missing_person"),
                                address_id="HOUSE")
    g.load(store, settings, tmp_path)
    found = run(store, UNNOTIFIED)
    assert [f["entity_keys"] for f in found] == [["address_id=CH", "person_id=C1"]]
    assert "reported missing from" in found[0]["summary"]


def test_placement_notified_more_than_14_days_late_or_never(store, settings, tmp_path):
    g = Graph().address("FH", address_type="foster_home")
    # Across the end of February, where month arithmetic goes wrong.
    g.person("ON14", 10).placement("P14", "ON14", "FH", start="2025-02-20",
                                   police_notified_date="2025-03-06")   # 14 days: in time
    g.person("ON15", 10).placement("P15", "ON15", "FH", start="2025-02-20",
                                   police_notified_date="2025-03-07")   # 15 days: late
    g.person("NEVER", 10).placement("PN", "NEVER", "FH", start=ago(15), police_notified_date="")
    g.person("NEW", 10).placement("PNEW", "NEW", "FH", start=ago(14), police_notified_date="")
    g.person("FUTURE", 10).placement("PF", "FUTURE", "FH", start=ago(30),
                                     police_notified_date=ago(-2))     # not told by as_of
    g.load(store, settings, tmp_path)
    found = run(store, UNNOTIFIED)
    assert sorted(f["entities"]["placement_id"][0] for f in found) == ["P15", "PF", "PN"]
    late = {f["entities"]["placement_id"][0]: f["evidence"]["placement"] for f in found}
    assert late["P15"]["days_to_notify"] == 15
