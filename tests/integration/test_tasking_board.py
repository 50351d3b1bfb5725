"""The tasking board's domain on the real engine: meetings, changes since the last meeting,
decisions on a flag or a whole cluster, overdue actions, the cluster page and the minutes."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from graphsvc import clusters, flags, tasking
from graphsvc.errors import InputError
from tests.tasking_data import concern, load, load_beech_close, person, run_rule

# Application data on each backend (SQLite, and PostgreSQL when the test leg has one).
pytestmark = pytest.mark.app_dbs



def _open(settings):
    """Opens today's meeting, chaired by DI Shaw."""
    return tasking.open_meeting(settings, held_on=date.today(), chair="DI Shaw", attendees="",
                                by="shaw")


@pytest.fixture
def county(store, web_settings, tmp_path):
    """Two situations: a child placed near an offender (two flags), and a lone missing child."""
    load_beech_close(store, web_settings, tmp_path)
    [near] = run_rule(store, "ooa_child_near_high_risk_offender",
                      concern(("person_id", "C1", "child"), ("person_id", "O1", "offender"),
                              severity="critical", evidence={"distance_m": 412.5,
                                                             "rosh_level": "very_high"}))
    [house] = run_rule(store, "offender_household_with_child",
                       concern(("person_id", "O1", "offender"), ("address_id", "H1", "address")))
    [missing] = run_rule(store, "repeat_missing_child",
                         concern(("person_id", "C2", "child"), severity="medium"))
    clusters.recompute(store, web_settings)
    by_flag = {f: c["cluster_id"] for c in clusters.list_clusters(web_settings)
               for f in c["flags"]}
    return {"near": near, "house": house, "missing": missing, "big": by_flag[near],
            "small": by_flag[missing]}


def test_only_one_meeting_is_open_at_a_time(web_settings, county):
    meeting = tasking.open_meeting(web_settings, held_on=date.today(), chair="DI Shaw",
                                   attendees="DS Reed, Social care: J. Bell", by="shaw")
    assert meeting["is_open"] and meeting["attendees"] == ["DS Reed", "Social care: J. Bell"]
    with pytest.raises(InputError, match="still open; close it"):
        tasking.open_meeting(web_settings, held_on=date.today(), chair="DI Shaw", attendees="",
                             by="x")
    closed = tasking.close_meeting(web_settings, meeting["meeting_id"], by="shaw")
    assert not closed["is_open"]
    with pytest.raises(InputError, match="Say who chairs"):
        tasking.open_meeting(web_settings, held_on=date.today(), chair=" ", attendees="", by="x")


def test_the_board_marks_clusters_new_or_changed_since_the_last_meeting(store, web_settings,
                                                                        county, tmp_path):
    first = tasking.board(store, web_settings)
    assert [c["cluster_id"] for c in first["clusters"]] == [county["big"], county["small"]]
    assert first["since"] is None and first["clusters"][0]["change"] is None

    meeting = _open(web_settings)
    tasking.close_meeting(web_settings, meeting["meeting_id"], by="shaw")
    # After the meeting: the missing child is seen with the offender, a new child appears.
    [seen] = run_rule(store, "shared_exploitation_link",
                      concern(("person_id", "C2", "child"), ("person_id", "O1", "adult")))
    load(store, web_settings, tmp_path, people=[person("C3", "Eve", "New", "2012-01-01")])
    [fresh] = run_rule(store, "unnotified_placement",
                       concern(("person_id", "C3", "child"), severity="medium"))
    clusters.recompute(store, web_settings)

    board = tasking.board(store, web_settings)
    assert board["since"]["meeting_id"] == meeting["meeting_id"]
    changes = {c["cluster_id"]: c for c in board["clusters"]}
    big = changes[county["big"]]
    assert big["change"] == "changed"
    assert seen in big["new_flags"] and county["missing"] in big["flags"]
    assert "2 flags joined" in big["note"]
    [new] = [c for c in board["clusters"] if fresh in c["flags"]]
    assert new["change"] == "new" and new["new_flags"] == [fresh]
    assert board["counts"]["new"] == 1 and board["counts"]["changed"] == 1


def test_a_decision_on_one_flag_is_recorded_on_the_flag_and_in_the_minutes(store, web_settings,
                                                                           county):
    meeting = _open(web_settings)
    due = date.today() + timedelta(days=14)
    [row] = tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                           cluster_id=county["big"], flag_id=county["near"], by="shaw",
                           status="actioned", reason="Placement too close to offender home.",
                           action="Ask the placing authority to review the placement",
                           owner="DS Reed", due_date=due.isoformat())
    assert row["from_status"] == "new" and row["scope"] == "flag"
    flag = flags.get_flag(store, county["near"])
    assert flag["status"] == "actioned"
    assert [e["kind"] for e in flags.flag_history(store, county["near"])][-1] == "decision"
    record = tasking.minutes(web_settings, meeting["meeting_id"])
    out = io.StringIO()
    assert tasking.write_minutes_csv(record, out) == 1
    [header, line] = list(csv.reader(io.StringIO(out.getvalue())))
    as_dict = dict(zip(header, line, strict=True))
    assert as_dict["cluster_id"] == county["big"] and as_dict["flag_id"] == county["near"]
    assert as_dict["rule"] == "Child placed out of area near a high-risk offender"
    assert as_dict["subject"].startswith("Cara Child (")
    assert as_dict["address"] == ""  # this hand-made flag names no address
    assert as_dict["decision"] == "actioned" and as_dict["owner"] == "DS Reed"
    assert as_dict["due_date"] == due.isoformat() and as_dict["decided_by"] == "DI Shaw"
    assert as_dict["recorded_by"] == "shaw"
    assert as_dict["rationale"] == "Placement too close to offender home."


def test_a_whole_cluster_decision_applies_to_each_open_flag(store, web_settings, county):
    meeting = _open(web_settings)
    flags.record_decision(store, county["house"], by="earlier", status="no_further_action",
                          reason="Offender moved out.")
    rows = tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                          cluster_id=county["big"], flag_id=None, by="shaw",
                          status="under_review", reason="Analyst to research links.")
    assert [r["flag_id"] for r in rows] == [county["near"]]
    assert rows[0]["scope"] == "cluster"
    assert flags.get_flag(store, county["near"])["status"] == "under_review"
    assert flags.get_flag(store, county["house"])["status"] == "no_further_action"


@pytest.mark.parametrize("fields, message", [
    ({"status": "actioned", "action": "Visit", "owner": "", "due_date": "2099-01-01"},
     "An action needs an owner"),
    ({"status": "actioned", "action": "Visit", "owner": "DS Reed", "due_date": "2001-01-01"},
     "is in the past"),
    ({"status": "escalate"}, "Choose a decision"),
    ({"status": "under_review", "due_date": "30/04/2099"}, "must be a date like"),
])
def test_a_bad_decision_is_refused_with_a_plain_message_and_writes_nothing(
        store, web_settings, county, fields, message):
    meeting = _open(web_settings)
    with pytest.raises(InputError, match=message):
        tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                       cluster_id=county["big"], flag_id=None, by="shaw",
                       reason="Because.", **fields)
    assert flags.get_flag(store, county["near"])["status"] == "new"
    assert tasking.minutes(web_settings, meeting["meeting_id"])["decisions"] == []


def test_decisions_need_an_open_meeting(store, web_settings, county):
    meeting = _open(web_settings)
    tasking.close_meeting(web_settings, meeting["meeting_id"], by="shaw")
    with pytest.raises(InputError, match="is closed"):
        tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                       cluster_id=county["big"], flag_id=county["near"], by="shaw",
                       status="under_review", reason="x")


def test_actions_past_their_due_date_head_the_board(store, web_settings, county):
    decided = datetime.now().replace(microsecond=0) - timedelta(days=30)
    flags.record_decision(store, county["house"], by="shaw", status="actioned",
                          reason="Agreed.", action="Home visit by offender manager",
                          owner="PC Lane", due_date=(decided + timedelta(days=7)).date(),
                          at=decided)
    board = tasking.board(store, web_settings)
    [overdue] = board["overdue"]
    assert overdue["flag_id"] == county["house"] and overdue["owner"] == "PC Lane"
    assert overdue["days_overdue"] == 23 and overdue["cluster_id"] == county["big"]
    assert board["clusters"][0]["overdue"] == [county["house"]]


def test_the_cluster_page_shows_evidence_picture_and_timeline(store, web_settings, county):
    page = tasking.cluster_page(store, web_settings, county["big"], as_of=date(2025, 3, 31))
    near = next(f for f in page["flags"] if f["flag_id"] == county["near"])
    assert str(near["text"].summary).startswith(
        "Cara Child (13) is placed out of area, 412 m from the home of Otto Offender (45)")
    [who, *_, why] = page["summary"]
    assert str(who) == "Child: Cara Child (13); adults of concern: Otto Offender (45)."
    assert str(why).startswith("Why it matters: 2 open flags (1 critical, 1 high); the most "
                               "serious: Cara Child")
    ids = {n["id"] for n in page["picture"]["nodes"]}
    labels = {n["id"]: n["label"] for n in page["picture"]["nodes"]}
    assert labels[f"flag:{county['near']}"] == "Placed near offender"  # short enough to read
    assert {"person_id=C1", "person_id=O1", "address_id=H1",
            f"flag:{county['near']}"} <= ids
    assert any(e["source"] == "person_id=O1" and e["target"] == "address_id=H1"
               and e["type"] == "home" for e in page["picture"]["edges"])
    roots = [n["id"] for n in page["picture"]["nodes"] if n.get("root")]
    assert "person_id=O1" in roots
    kinds = [(t["kind"], t["ref"]) for t in page["timeline"]]
    assert ("incident", "I1") in kinds
    assert ("flag", county["near"]) in kinds
    [incident] = page["incidents"]
    assert incident["people"][0]["name"] == "Cara Child"
    key = page["cluster"]["key_people"][0]
    assert key["key"] == "person_id=O1"  # the offender links the child and the home


def test_the_changed_view_lists_only_what_the_meeting_has_not_seen(store, web_settings, county):
    meeting = _open(web_settings)
    tasking.close_meeting(web_settings, meeting["meeting_id"], by="shaw")
    assert tasking.board(store, web_settings, view="changed")["clusters"] == []
    run_rule(store, "repeat_missing_child", concern(("person_id", "C2", "child"),
                                                    severity="high"))
    breach = run_rule(store, "order_breach", concern(("person_id", "C2", "child"),
                                                        ("person_id", "C1", "child")))
    clusters.recompute(store, web_settings)
    changed = tasking.board(store, web_settings, view="changed")
    assert [c["cluster_id"] for c in changed["clusters"]] == [county["big"]]
    assert changed["clusters"][0]["new_flags"] == breach
    assert len(tasking.board(store, web_settings, view="all")["clusters"]) == 1
    with pytest.raises(InputError, match="Unknown board view"):
        tasking.board(store, web_settings, view="everything")


def test_a_flag_with_hundreds_of_incidents_lists_its_people_first_and_counts_the_rest(
        store, web_settings, tmp_path):
    incidents = [{"incident_id": f"I{n:03d}", "incident_type": "missing",
                  "occurred_at": f"2025-01-{1 + n % 28:02d}T20:00:00"} for n in range(40)]
    load(store, web_settings, tmp_path,
         people=[person("C9", "Zoe", "Zed", "2011-01-01"), person("A9", "Al", "Adult")],
         incidents=incidents)
    run_rule(store, "shared_exploitation_link", concern(
        *[("incident_id", i["incident_id"], "incident") for i in incidents],
        ("person_id", "C9", "child"), ("person_id", "A9", "adult")))
    clusters.recompute(store, web_settings)
    [cluster] = clusters.list_clusters(web_settings)
    [flag] = tasking.cluster_page(store, web_settings, cluster["cluster_id"])["flags"]
    assert len(flag["entities"]) == tasking.ENTITIES_SHOWN
    assert {e["key"] for e in flag["entities"][:2]} == {"person_id=C9", "person_id=A9"}
    assert flag["entities_hidden"] == 42 - tasking.ENTITIES_SHOWN
