"""In real headless Chromium: a tasking meeting opens, reviews a cluster (with its graph picture),
records a decision and finds it in the minutes; a control-room user is refused the board."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from graphsvc import clusters, flags
from tests.browser.conftest import screenshot
from tests.tasking_data import concern, load_beech_close, run_rule

pytestmark = pytest.mark.browser


@pytest.fixture
def board_graph(store, web_settings, tmp_path):
    load_beech_close(store, web_settings, tmp_path)
    [near] = run_rule(store, "ooa_child_near_high_risk_offender",
                      concern(("person_id", "C1", "child"), ("person_id", "O1", "offender"),
                              ("address_id", "H1", "address"), severity="critical",
                              summary="Cara is placed 412 m from Otto's home.",
                              evidence={"distance_m": 412.5, "rosh_level": "very_high"}))
    [house] = run_rule(store, "offender_household_with_child",
                       concern(("person_id", "O1", "offender"), ("address_id", "H1", "address"),
                               summary="Otto lives at 3 Beech Close."))
    run_rule(store, "repeat_missing_child", concern(("person_id", "C2", "child"),
                                                    severity="medium"))
    clusters.recompute(store, web_settings)
    top = clusters.list_clusters(web_settings)[0]
    return {"near": near, "house": house, "cluster": top["cluster_id"]}


def test_a_meeting_reviews_a_cluster_decides_and_reads_the_minutes(
        board_graph, live_server, signed_in_page, store):
    page = signed_in_page("tasking", "shaw")
    page.goto(f"{live_server.url}/tasking/")
    page.fill("#chair", "DI Shaw")
    page.fill("#attendees", "DS Reed, J. Bell (children's services)")
    page.get_by_role("button", name="Open meeting").click()
    assert "Meeting 1 is open" in page.locator(".meeting-bar").inner_text()
    rows = page.locator("table.board tbody tr")
    assert rows.count() == 2
    assert board_graph["cluster"] in rows.first.inner_text()
    assert "Otto Offender" in rows.first.inner_text()  # the key person
    screenshot(page, "tasking-1-board")

    page.get_by_role("link", name=board_graph["cluster"], exact=True).click()
    page.wait_for_selector("#cluster-graph[data-graph-ready]")
    assert page.get_attribute("#cluster-graph", "data-graph-ready") == "5"  # 2 flags, 3 entities
    assert page.locator("#cluster-graph canvas").count() > 0
    assert "Cara is placed 412 m from Otto's home." in page.locator("main").inner_text()
    assert "412.5" in page.locator("section.flag").first.inner_text()
    assert "missing" in page.locator("table.timeline").inner_text()
    screenshot(page, "tasking-2-cluster")

    due = (date.today() + timedelta(days=14)).isoformat()
    page.select_option("#flag_id", board_graph["near"])
    page.select_option("#status", "actioned")
    page.fill("#action", "Ask the placing authority to review the placement")
    page.fill("#owner", "DS Reed")
    page.fill("#due_date", due)
    page.fill("#reason", "Very high risk offender within 500 m of a looked-after child.")
    page.get_by_role("button", name="Record decision").click()
    assert "Recorded 'actioned (action agreed)' on 1 flag" in page.locator(".notice").first \
        .inner_text()
    assert flags.get_flag(store, board_graph["near"])["status"] == "actioned"

    page.get_by_role("link", name="Back to the board").click()
    page.get_by_role("link", name="Minutes so far").click()
    minutes = page.locator("table.minutes tbody").inner_text()
    assert "Ask the placing authority to review the placement" in minutes
    assert "DS Reed" in minutes and due in minutes and "shaw" in minutes
    screenshot(page, "tasking-3-minutes")
    assert page.console_errors == []


def test_a_decision_with_a_past_due_date_is_refused_in_plain_words(
        board_graph, live_server, signed_in_page, store):
    page = signed_in_page("tasking")
    page.goto(f"{live_server.url}/tasking/")
    page.fill("#chair", "DI Shaw")
    page.get_by_role("button", name="Open meeting").click()
    page.goto(f"{live_server.url}/tasking/clusters/{board_graph['cluster']}")
    page.select_option("#status", "actioned")
    page.fill("#action", "Visit")
    page.fill("#owner", "")
    page.eval_on_selector("#due_date", "el => el.removeAttribute('min')")
    page.fill("#due_date", "2020-01-01")
    page.fill("#reason", "Testing the form")
    page.get_by_role("button", name="Record decision").click()
    alert = page.locator("[role=alert]").inner_text()
    assert "The decision was not recorded." in alert
    assert "An action needs an owner" in alert and "2020-01-01 is in the past" in alert
    assert page.input_value("#action") == "Visit"  # what was typed is kept
    screenshot(page, "tasking-4-refused")
    assert flags.get_flag(store, board_graph["near"])["status"] == "new"


def test_a_control_room_user_is_refused_the_board(board_graph, live_server, signed_in_page):
    page = signed_in_page("control_room")
    answer = page.goto(f"{live_server.url}/tasking/")
    assert answer.status == 403
    text = page.locator("main").inner_text()
    assert "Not allowed" in text and board_graph["cluster"] not in text
    assert page.locator("nav.site-nav").get_by_text("Tasking board").count() == 0
    screenshot(page, "tasking-5-control-room-refused")
