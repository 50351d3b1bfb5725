"""Referrals assembled from the graph: the level of concern in words, every incident of the
pattern with its date and grade, the children with their ages, what the police did and plan;
recorded with a recipient as an audited disclosure, printable and exported as JSON."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from graphsvc import audit, clusters, tasking
from graphsvc.errors import InputError
from graphsvc.rules.runner import run_rule
from tests.conftest import csrf_token
from tests.tasking_data import address, concern, load, person
from tests.tasking_data import run_rule as raise_flag

# Application data on each backend (SQLite, and PostgreSQL when the test leg has one).
pytestmark = pytest.mark.app_dbs

# Four domestic abuse call-outs in the last year at 7 Elm Row, none graded high; one older.
CALLS = [(300, "standard", 4), (200, "medium", 11), (90, "standard", 6), (20, "medium", 13),
         (500, "medium", 12)]


@pytest.fixture
def elm_row(store, web_settings, tmp_path):
    """The repeat-domestic-abuse scenario through the real importer and the real rule."""
    load(store, web_settings, tmp_path,
         people=[person("K1", "Kai", "Lowe",
                        (date.today() - timedelta(days=9 * 365 + 30)).isoformat()),
                 person("M1", "Mia", "Lowe", "1990-02-02"),
                 person("R1", "Rob", "Hart", "1988-08-08")],
         addresses=[address("H7", "7 Elm Row", "NR7 7EE")],
         residences=[{"person_id": p, "address_id": "H7", "start_date": "2015-01-01"}
                     for p in ("K1", "M1", "R1")],
         protection_plans=[{"plan_id": "PL1", "person_id": "K1", "category": "emotional_abuse",
                            "start_date": (date.today() - timedelta(days=60)).isoformat()}],
         incidents=[{"incident_id": f"D{n}", "incident_type": "domestic_abuse",
                     "occurred_at": f"{(date.today() - timedelta(days=ago)).isoformat()}T22:15:00",
                     "address_id": "H7", "risk_grade": grade, "dash_score": dash}
                    for n, (ago, grade, dash) in enumerate(CALLS, start=1)],
         incident_people=[{"incident_id": f"D{n}", "person_id": who, "role": role}
                          for n in range(1, 6)
                          for who, role in (("M1", "victim"), ("R1", "suspect"))]
         + [{"incident_id": "D4", "person_id": "K1", "role": "child_present"}])
    done = run_rule(store, "repeat_domestic_abuse_with_child")
    assert done.error is None and done.flags_new == 1
    clusters.recompute(store, web_settings)
    [cluster] = clusters.list_clusters(web_settings)
    return {"cluster": cluster["cluster_id"], "flag": cluster["flags"][0]}


def _section(draft, name):
    return next(s["text"] for s in draft["sections"] if s["name"] == name)


def test_a_marac_referral_lists_every_incident_of_the_pattern_and_the_cumulative_concern(
        store, web_settings, elm_row):
    draft = tasking.draft_referral(store, web_settings, kind="marac",
                                   cluster_id=elm_row["cluster"])
    level = _section(draft, "level")
    assert level.startswith("Serious concern: a child is likely to be at risk of significant "
                            "harm")
    assert ("Cumulative concern: 4 domestic abuse incidents in 365 days at 7 Elm Row, Norwich "
            "NR7 7EE, with Kai Lowe (9) present or living there; none was graded high") in level
    found = _section(draft, "concern")
    for ago, grade, dash in CALLS[:4]:  # every incident in the window, with date and grade
        day = date.today() - timedelta(days=ago)
        assert f"{day.day} {day.strftime('%B %Y')}: domestic abuse, graded {grade}, " \
               f"DASH {dash}" in found
    old = date.today() - timedelta(days=CALLS[4][0])
    assert f"{old.day} {old.strftime('%B %Y')}: domestic abuse" not in found
    history = _section(draft, "history")
    assert history.count("domestic abuse at 7 Elm Row, NR7 7EE") == 5  # the full history
    children = _section(draft, "children")
    assert "Kai Lowe (9), born" in children
    assert "Also involved: Mia Lowe (victim in 5 incidents)" in children
    assert "Also involved: Rob Hart (suspect in 5 incidents)" in children
    assert "Kai Lowe (9): child protection plan (emotional abuse)" in history
    assert "No decision has been recorded" in _section(draft, "police")
    assert "D1" not in json.dumps(draft["sections"]) and "H7" not in json.dumps(draft["sections"])


def test_a_referral_says_what_the_police_did_and_plan(store, web_settings, elm_row):
    meeting = tasking.open_meeting(web_settings, held_on=date.today(), chair="DI Shaw",
                                   attendees="", by="shaw")
    due = date.today() + timedelta(days=10)
    tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                   cluster_id=elm_row["cluster"], flag_id=elm_row["flag"], by="shaw",
                   status="actioned", reason="Pattern of escalating abuse",
                   action="Refer to MARAC and visit with IDVA", owner="DS Reed", due_date=due)
    draft = tasking.draft_referral(store, web_settings, kind="childrens_social_care",
                                   flag_id=elm_row["flag"])
    police = _section(draft, "police")
    assert "Action. Pattern of escalating abuse Action: Refer to MARAC and visit with IDVA " \
           "(owner DS Reed" in police
    assert f"Planned: Refer to MARAC and visit with IDVA (owner DS Reed, due {due.day} " in police


def test_a_marac_referral_needs_a_domestic_abuse_flag(store, web_settings, tmp_path):
    load(store, web_settings, tmp_path, people=[person("C1", "Cara", "Child", "2012-01-01")])
    [fid] = raise_flag(store, "repeat_missing_child", concern(("person_id", "C1", "child")))
    with pytest.raises(InputError, match="A MARAC referral is for domestic abuse"):
        tasking.draft_referral(store, web_settings, kind="marac", flag_id=fid)
    with pytest.raises(InputError, match="one flag or from one cluster"):
        tasking.draft_referral(store, web_settings, kind="marac")


def test_a_referral_is_reviewed_edited_recorded_with_its_recipient_and_exported(
        store, web_settings, elm_row, sign_in_as):
    browser = sign_in_as("tasking", "reed")
    token = csrf_token(browser, "/tasking/")
    browser.post("/tasking/reason", data={"justification": "MARAC prep", "csrf_token": token})
    path = f"/tasking/referrals/new?kind=marac&cluster_id={elm_row['cluster']}"
    page = browser.get(path).get_data(as_text=True)
    assert "Cumulative concern: 4 domestic abuse incidents" in page
    draft = tasking.draft_referral(store, web_settings, kind="marac",
                                   cluster_id=elm_row["cluster"])
    form = {f"section_{s['name']}": s["text"] for s in draft["sections"]}
    form.update(kind="marac", cluster_id=elm_row["cluster"], flag_id="",
                csrf_token=csrf_token(browser, path))
    form["section_police"] += "\nIDVA informed by phone."
    refused = browser.post("/tasking/referrals", data={**form, "recipient": " "})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Say who receives the referral" in text and "IDVA informed by phone." in text
    done = browser.post("/tasking/referrals", data={**form, "recipient": "Wexmoor MARAC"})
    assert done.status_code == 302
    shown = browser.get(done.headers["Location"]).get_data(as_text=True)
    assert "Wexmoor MARAC" in shown and "IDVA informed by phone." in shown
    export = browser.get("/tasking/referrals/1.json")
    data = json.loads(export.get_data(as_text=True))
    assert data["recipient"] == "Wexmoor MARAC" and data["kind"] == "marac"
    assert data["level_of_concern"].startswith("Serious concern")
    assert "IDVA informed by phone." in data["sections"]["police"]["lines"]
    disclosures = [e for e in audit.search(web_settings, user="reed", kind="disclosure")]
    actions = {e.action for e in disclosures}
    assert {"referral recorded: Referral to the MARAC (multi-agency risk assessment "
            "conference)", "referral page", "referral JSON"} <= actions
    assert all("Wexmoor MARAC" in e.justification for e in disclosures)
    # A later referral about the same people lists this one in its history.
    again = tasking.draft_referral(store, web_settings, kind="childrens_social_care",
                                   flag_id=elm_row["flag"])
    assert "Earlier referral 1 (Referral to the MARAC" in _section(again, "history")
