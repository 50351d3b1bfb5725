"""A meeting's agenda: built from the board on opening (carried over, actions due or overdue,
new or changed, top by score), edited by the chair, reviewed items recorded in the minutes;
owners see their outstanding actions."""

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



@pytest.fixture
def county(store, web_settings, tmp_path):
    """A child placed near an offender (two flags, critical), and a lone missing child."""
    load_beech_close(store, web_settings, tmp_path)
    [near] = run_rule(store, "ooa_child_near_high_risk_offender",
                      concern(("person_id", "C1", "child"), ("person_id", "O1", "offender"),
                              severity="critical"))
    [house] = run_rule(store, "offender_household_with_child",
                       concern(("person_id", "O1", "offender"), ("address_id", "H1", "address")))
    [missing] = run_rule(store, "repeat_missing_child",
                         concern(("person_id", "C2", "child"), severity="medium"))
    clusters.recompute(store, web_settings)
    by_flag = {f: c["cluster_id"] for c in clusters.list_clusters(web_settings)
               for f in c["flags"]}
    return {"near": near, "house": house, "missing": missing, "big": by_flag[near],
            "small": by_flag[missing]}


def _open(settings, held_on=None):
    return tasking.open_meeting(settings, held_on=held_on or date.today(), chair="DI Shaw",
                                attendees="DS Reed, J. Bell (social care)", by="shaw")


def _agenda(settings, meeting):
    return [(i["cluster_id"], i["why"], i["state"])
            for i in tasking.agenda(settings, meeting["meeting_id"]) if i["state"] != "removed"]


def test_opening_a_meeting_builds_its_agenda_from_the_ranked_board(web_settings, county):
    meeting = _open(web_settings)
    assert _agenda(web_settings, meeting) == [
        (county["big"], "rank 1 by score", "to review"),
        (county["small"], "rank 2 by score", "to review")]


def test_items_not_reached_are_carried_over_and_overdue_actions_come_back(
        store, web_settings, county, tmp_path):
    first = _open(web_settings, date.today() - timedelta(days=14))
    tasking.mark_reviewed(web_settings, first["meeting_id"], county["big"], by="shaw")
    tasking.close_meeting(web_settings, first["meeting_id"], by="shaw")
    minutes = tasking.minutes(web_settings, first["meeting_id"], store=store)
    [reviewed] = minutes["reviewed"]
    assert reviewed["cluster_id"] == county["big"] and reviewed["subject"] == "Cara Child (" \
        + str(date.today().year - 2011 - ((date.today().month, date.today().day) < (4, 2))) + ")"
    assert [i["cluster_id"] for i in minutes["not_reached"]] == [county["small"]]
    # Between meetings: an action agreed a month ago falls due; a new child appears.
    decided = datetime.now().replace(microsecond=0) - timedelta(days=30)
    flags.record_decision(store, county["house"], by="shaw", status="actioned", reason="Agreed",
                          action="Home visit", owner="PC Lane",
                          due_date=(decided + timedelta(days=7)).date(), at=decided)
    load(store, web_settings, tmp_path, people=[person("C3", "Eve", "New", "2012-01-01")])
    [fresh] = run_rule(store, "unnotified_placement",
                       concern(("person_id", "C3", "child"), severity="medium"))
    clusters.recompute(store, web_settings)
    new_cluster = next(c["cluster_id"] for c in clusters.list_clusters(web_settings)
                       if fresh in c["flags"])
    second = _open(web_settings)
    agenda = _agenda(web_settings, second)
    assert agenda[0][0] == county["small"]
    assert agenda[0][1].startswith(f"carried over from meeting {first['meeting_id']} "
                                   "(not reached); rank ")
    assert agenda[1][0] == county["big"] and agenda[1][1].startswith("1 action overdue")
    [new] = [item for item in agenda if item[0] == new_cluster]
    assert new[1].startswith("new since the last meeting; rank ")


def test_the_chair_adds_removes_and_reorders_items(web_settings, county):
    meeting = _open(web_settings)
    items = tasking.agenda(web_settings, meeting["meeting_id"])
    tasking.move_item(web_settings, meeting["meeting_id"], items[1]["item_id"], "up")
    assert [c for c, _, _ in _agenda(web_settings, meeting)] == [county["small"], county["big"]]
    tasking.remove_item(web_settings, meeting["meeting_id"], items[0]["item_id"])
    assert [c for c, _, _ in _agenda(web_settings, meeting)] == [county["small"]]
    with pytest.raises(InputError, match="already on the agenda"):
        tasking.add_item(web_settings, meeting["meeting_id"], county["small"], by="shaw")
    tasking.add_item(web_settings, meeting["meeting_id"], county["big"].lower(), by="shaw")
    assert [c for c, _, _ in _agenda(web_settings, meeting)] == [county["small"], county["big"]]
    with pytest.raises(InputError, match="Move an agenda item up or down"):
        tasking.move_item(web_settings, meeting["meeting_id"], items[0]["item_id"], "sideways")


def test_minutes_stand_alone_with_decisions_reviewed_items_and_attendance(
        store, web_settings, county):
    meeting = _open(web_settings)
    tasking.set_attendance(web_settings, meeting["meeting_id"],
                           "DS Reed, J. Bell (social care), PC Lane")
    tasking.decide(store, web_settings, meeting_id=meeting["meeting_id"],
                   cluster_id=county["big"], flag_id=county["house"], by="analyst-1",
                   status="no_further_action", reason="Offender moved away")
    tasking.mark_reviewed(web_settings, meeting["meeting_id"], county["small"], by="shaw")
    tasking.close_meeting(web_settings, meeting["meeting_id"], by="shaw")
    record = tasking.minutes(web_settings, meeting["meeting_id"], store=store)
    assert record["meeting"]["attendees"] == ["DS Reed", "J. Bell (social care)", "PC Lane"]
    [decision] = record["decisions"]
    assert decision["address"] == "3 Beech Close, Norwich NR3 3CC"
    assert decision["rule_title"] == "Registered offender in a child's household"
    assert decision["decision"] == "No further action"
    assert decision["decision_maker"] == "DI Shaw" and decision["decided_by"] == "analyst-1"
    out = io.StringIO()
    assert tasking.write_minutes_csv(record, out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["address"] == "3 Beech Close, Norwich NR3 3CC"
    assert rows[0]["decided_by"] == "DI Shaw" and rows[0]["recorded_by"] == "analyst-1"
    assert rows[1]["item"] == "reviewed, no decision" and rows[1]["cluster_id"] == county["small"]
    assert rows[1]["subject"].startswith("Dan Young (")
    assert rows[0]["attendees"] == "DS Reed; J. Bell (social care); PC Lane"
    # The decided item is no longer "to review"; nothing was left unreached.
    states = {i["cluster_id"]: i["state"] for i in record["items"]}
    assert states == {county["big"]: "decided", county["small"]: "reviewed"}


def test_owners_see_their_outstanding_actions_soonest_first(store, web_settings, county):
    flags.record_decision(store, county["near"], by="shaw", status="actioned", reason="r",
                          action="Ask for a placement review", owner="DS Reed",
                          due_date=date.today() + timedelta(days=3))
    flags.record_decision(store, county["missing"], by="shaw", status="actioned", reason="r",
                          action="Return interview", owner="PC Lane", due_date=date.today())
    everyone = tasking.list_actions(store, web_settings)
    assert [a["action"] for a in everyone["actions"]] == ["Return interview",
                                                          "Ask for a placement review"]
    assert everyone["owners"] == ["DS Reed", "PC Lane"]
    mine = tasking.list_actions(store, web_settings, owner="ds reed")
    [only] = mine["actions"]
    assert only["days_left"] == 3 and not only["overdue"]
    assert only["cluster_id"] == county["big"]
    assert str(only["text"].summary).startswith("Cara Child")
