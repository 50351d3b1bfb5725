"""The import's officer-safety columns: warning markers, risk-management summaries, plan leads."""

from __future__ import annotations

from tests.factories import load_graph


def _node(store, label, key, value):
    return store.read_one("tests_import/node", label=label, key=key, value=value)["n"]


def test_officer_safety_columns_land_and_an_empty_cell_means_unknown(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, {
        "people": [{"person_id": "P1", "warning_markers": "Weapons; drugs"},
                   {"person_id": "P2", "warning_markers": ""},
                   {"person_id": "C1", "date_of_birth": "2015-01-01"}],
        "addresses": [{"address_id": "A1", "warning_markers": ["violence_to_officers"],
                       "easting": 651409.804, "northing": 313177.450}],
        "offenders": [{"person_id": "P1", "registered_from": "2019-01-01", "rosh_level": "high",
                       "risk_management_summary": "Home visits every 6 weeks."}],
        "protection_plans": [{"plan_id": "PP1", "person_id": "C1", "category": "neglect",
                              "start_date": "2024-01-01", "lead_professional": "Ann Lee",
                              "lead_contact": "01632 960123"}],
    })
    assert _node(store, "Person", "person_id", "P1")["warning_markers"] == ["weapons", "drugs"]
    assert _node(store, "Person", "person_id", "P2").get("warning_markers") is None
    assert _node(store, "Person", "person_id", "P1")["risk_management_summary"] == \
        "Home visits every 6 weeks."
    address = _node(store, "Address", "address_id", "A1")
    assert address["warning_markers"] == ["violence_to_officers"]
    # the OS worked example point (Caister Water Tower) by OSTN15, to a centimetre
    assert abs(address["latitude"] - 52.6580078) < 1e-6
    assert abs(address["longitude"] - 1.7160740) < 1e-6
    plan = _node(store, "ProtectionPlan", "plan_id", "PP1")
    assert (plan["lead_professional"], plan["lead_contact"]) == ("Ann Lee", "01632 960123")


def test_an_unknown_warning_marker_rejects_the_row_with_its_reason(store, settings, tmp_path):
    report = load_graph(store, settings, tmp_path, {
        "people": [{"person_id": "P1", "warning_markers": "weapons;dangerous dog"},
                   {"person_id": "P2", "warning_markers": "self_harm"}],
        "addresses": [{"address_id": "A1", "warning_markers": "firearms"}],
    }, allow_rejects=True)
    rejects = {(r["file"], r["line"]): (r["field"], r["reason"]) for r in report["rejects"]}
    markers = ("weapons, violence_to_officers, drugs, mental_health, self_harm, escape_risk, "
               "contagion")
    assert rejects == {
        ("people.csv", 2): ("warning_markers",
                            f"'dangerous dog' is not a warning marker (one of {markers})"),
        ("addresses.csv", 2): ("warning_markers",
                               f"'firearms' is not a warning marker (one of {markers})"),
    }
    assert store.read_one("tests_import/node", label="Person", key="person_id",
                          value="P1") is None
    assert _node(store, "Person", "person_id", "P2")["warning_markers"] == ["self_harm"]
