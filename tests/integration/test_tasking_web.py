"""The tasking board over HTTP: roles, the reason asked before viewing, meetings, decisions with
plain validation messages, minutes as a page and CSV, and the audit entries each leaves."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date, timedelta

import pytest

from graphsvc import audit, clusters, flags, tasking
from graphsvc.tasking.db import MEETINGS_LOCK
from tests.conftest import csrf_token
from tests.tasking_data import board_of_one_flag, concern, run_rule

# Application data on each backend (SQLite, and PostgreSQL when the test leg has one).
pytestmark = pytest.mark.app_dbs



@pytest.fixture
def board_graph(store, web_settings, tmp_path):
    near = board_of_one_flag(store, web_settings, tmp_path, cluster=False)
    [house] = run_rule(store, "offender_household_with_child",
                       concern(("person_id", "O1", "offender"), ("address_id", "H1", "address")))
    clusters.recompute(store, web_settings)
    [cluster] = clusters.list_clusters(web_settings)
    return {"near": near, "house": house, "cluster": cluster["cluster_id"]}


def _open_meeting(browser) -> None:
    answer = browser.post("/tasking/meetings", data={
        "held_on": date.today().isoformat(), "chair": "DI Shaw", "attendees": "DS Reed, J. Bell",
        "csrf_token": csrf_token(browser, "/tasking/")})
    assert answer.status_code == 302


def test_only_the_tasking_role_may_use_the_board(board_graph, sign_in_as):
    for role in ("control_room", "intelligence", "admin"):
        assert sign_in_as(role).get("/tasking/").status_code == 403, role
    assert sign_in_as("tasking").get("/tasking/").status_code == 200


def test_the_board_asks_why_before_showing_anything(board_graph, sign_in_as, web_settings):
    browser = sign_in_as("tasking", "analyst")
    first = browser.get("/tasking/").get_data(as_text=True)
    assert "Reason or incident number" in first and board_graph["cluster"] not in first
    token = csrf_token(browser, "/tasking/")
    refused = browser.post("/tasking/reason", data={"justification": " ", "csrf_token": token})
    assert refused.status_code == 400
    browser.post("/tasking/reason", data={"justification": "Agenda prep", "csrf_token": token})
    page = browser.get("/tasking/").get_data(as_text=True)
    assert board_graph["cluster"] in page and "Otto Offender" in page
    [entry] = audit.search(web_settings, user="analyst", kind="consultation")
    assert entry.action == "tasking board" and entry.justification == "Agenda prep"
    assert f"cluster_id={board_graph['cluster']}" in entry.shown


def test_a_meeting_decision_reaches_the_flag_the_minutes_and_the_audit(
        store, board_graph, sign_in_as, web_settings):
    browser = sign_in_as("tasking", "shaw")
    _open_meeting(browser)
    path = f"/tasking/clusters/{board_graph['cluster']}"
    page = browser.get(path).get_data(as_text=True)
    assert "412 m from the home of" in page and "Otto Offender" in page  # evidence in words
    assert "Cara Child" in page and "3 Beech Close" in page
    due = (date.today() + timedelta(days=7)).isoformat()
    answer = browser.post(path + "/decisions", data={
        "flag_id": board_graph["near"], "status": "actioned", "action": "Review placement",
        "owner": "DS Reed", "due_date": due, "reason": "Too close to a very high risk offender",
        "csrf_token": csrf_token(browser, path)})
    assert answer.status_code == 302
    assert flags.get_flag(store, board_graph["near"])["status"] == "actioned"
    minutes = browser.get("/tasking/meetings/1/minutes").get_data(as_text=True)
    assert "Review placement" in minutes and "DS Reed" in minutes and due in minutes
    assert "Cara Child" in minutes and "DI Shaw (chair)" in minutes  # subject and chair
    export = browser.get("/tasking/meetings/1/minutes.csv")
    assert export.mimetype == "text/csv"
    [row] = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert row["flag_id"] == board_graph["near"] and row["decision"] == "actioned"
    kinds = [(e.kind, e.action) for e in audit.search(web_settings, user="shaw")]
    assert ("alteration", "tasking decision") in kinds
    assert ("disclosure", "tasking minutes") in kinds
    assert ("disclosure", "tasking minutes CSV") in kinds
    assert ("consultation", "tasking cluster") in kinds


@pytest.mark.parametrize("fields, message", [
    ({"status": "actioned", "action": "Visit", "owner": "", "due_date": "2099-01-01"},
     "An action needs an owner"),
    ({"status": "actioned", "action": "Visit", "owner": "DS Reed", "due_date": "2001-02-03"},
     "The due date 2001-02-03 is in the past"),
    ({"status": "shelve"}, "Choose a decision"),
])
def test_a_bad_decision_form_says_what_is_wrong_and_changes_nothing(
        store, board_graph, sign_in_as, fields, message):
    browser = sign_in_as("tasking")
    _open_meeting(browser)
    path = f"/tasking/clusters/{board_graph['cluster']}"
    answer = browser.post(path + "/decisions", data={
        "flag_id": "", "reason": "Because", "csrf_token": csrf_token(browser, path), **fields})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "The decision was not recorded." in text and message in text
    assert flags.get_flag(store, board_graph["near"])["status"] == "new"
    assert flags.get_flag(store, board_graph["house"])["status"] == "new"


def test_a_decision_without_the_form_token_is_refused(board_graph, sign_in_as, store):
    browser = sign_in_as("tasking")
    _open_meeting(browser)
    answer = browser.post(f"/tasking/clusters/{board_graph['cluster']}/decisions",
                          data={"status": "under_review", "reason": "x"})
    assert answer.status_code == 400
    assert flags.get_flag(store, board_graph["near"])["status"] == "new"


def test_an_unknown_cluster_is_a_plain_not_found(board_graph, sign_in_as):
    browser = sign_in_as("tasking")
    _open_meeting(browser)
    answer = browser.get("/tasking/clusters/C-999")
    assert answer.status_code == 404
    assert "There is no cluster C-999" in answer.get_data(as_text=True)


def test_the_chair_edits_the_agenda_and_attendance_over_http(board_graph, sign_in_as,
                                                             web_settings):
    from graphsvc import tasking

    browser = sign_in_as("tasking", "shaw")
    _open_meeting(browser)
    page = browser.get("/tasking/").get_data(as_text=True)
    assert "Agenda of meeting 1" in page and "rank 1 by score" in page
    [item] = tasking.agenda(web_settings, 1)
    token = csrf_token(browser, "/tasking/")
    browser.post(f"/tasking/meetings/1/agenda/{item['item_id']}",
                 data={"change": "remove", "csrf_token": token})
    assert tasking.agenda(web_settings, 1)[0]["state"] == "removed"
    refused = browser.post("/tasking/meetings/1/agenda", follow_redirects=True,
                           data={"cluster_id": "C-999", "csrf_token": token})
    assert "Not added: There is no cluster C-999" in refused.get_data(as_text=True)
    browser.post("/tasking/meetings/1/agenda",
                 data={"cluster_id": board_graph["cluster"], "csrf_token": token})
    assert tasking.agenda(web_settings, 1)[0]["state"] == "to review"
    browser.post("/tasking/meetings/1/attendance",
                 data={"attendees": "DS Reed, PC Lane", "csrf_token": token})
    assert tasking.get_meeting(web_settings, 1)["attendees"] == ["DS Reed", "PC Lane"]
    kinds = {e.action for e in audit.search(web_settings, user="shaw", kind="alteration")}
    assert {"tasking agenda remove", "tasking agenda add", "tasking attendance"} <= kinds


def _cut_waiting_requests(db_url: str, lock_key: int, cuts: int) -> list[int]:
    """Hold a PostgreSQL advisory lock so that a request's transaction waits on it, then end
    the backend of each of the next `cuts` waiting transactions (pg_terminate_backend, as a
    database restart or failover would) before letting the lock go. Returns the ends."""
    import psycopg

    ended: list[int] = []
    with psycopg.connect(db_url, autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(%s)", (lock_key,))
        deadline = time.monotonic() + 60
        while len(ended) < cuts:
            assert time.monotonic() < deadline, "no request came to wait on the lock"
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'graphsvc' "
                "AND wait_event_type = 'Lock' AND NOT (pid = ANY(%s))", (ended,)).fetchone()
            if row is None:
                time.sleep(0.05)
                continue
            admin.execute("SELECT pg_terminate_backend(%s)", (row[0],))
            ended.append(row[0])
        admin.execute("SELECT pg_advisory_unlock(%s)", (lock_key,))
    return ended


@pytest.mark.parametrize("cuts, status", [(1, 302), (2, 503)])
def test_a_connection_lost_mid_request_is_retried_once_then_a_plain_503(
        board_graph, sign_in_as, web_settings, cuts, status):
    if not web_settings.app_db:
        pytest.skip("PostgreSQL only: a SQLite file has no connection to lose")
    browser = sign_in_as("tasking", "shaw")
    form = {"held_on": date.today().isoformat(), "chair": "DI Shaw", "attendees": "DS Reed",
            "csrf_token": csrf_token(browser, "/tasking/")}
    answers = []
    request = threading.Thread(target=lambda: answers.append(
        browser.post("/tasking/meetings", data=form)))
    cutter = threading.Thread(target=_cut_waiting_requests,
                              args=(web_settings.app_db, MEETINGS_LOCK, cuts))
    cutter.start()
    time.sleep(0.2)  # the lock is held before the request starts
    request.start()
    request.join(120)
    cutter.join(120)
    [answer] = answers
    assert answer.status_code == status
    if status == 503:
        page = answer.get_data(as_text=True)
        assert "database is not available" in page and "Traceback" not in page
        assert tasking.current_meeting(web_settings) is None  # nothing half-done
    else:
        assert tasking.current_meeting(web_settings)["chair"] == "DI Shaw"
        assert len(tasking.list_meetings(web_settings)) == 1  # the retry opened one meeting
