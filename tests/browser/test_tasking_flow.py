"""In real headless Chromium, a tasking meeting end to end: opened with an agenda, decisions
recorded with the buttons in place on the cluster page (a refused one keeps what was typed),
the board changing as decisions land, the meeting closed and minutes that name subjects and
addresses; a control-room user is refused the board."""

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
                              evidence={"distance_m": 412.5, "rosh_level": "very_high",
                                        "high_risk_offender": True}))
    [house] = run_rule(store, "offender_household_with_child",
                       concern(("person_id", "O1", "offender"), ("address_id", "H1", "address"),
                               summary="Otto lives at 3 Beech Close."))
    [missing] = run_rule(store, "repeat_missing_child", concern(("person_id", "C2", "child"),
                                                                severity="medium"))
    clusters.recompute(store, web_settings)
    ranked = clusters.list_clusters(web_settings)
    return {"near": near, "house": house, "missing": missing,
            "cluster": ranked[0]["cluster_id"], "other": ranked[1]["cluster_id"]}


def test_a_meeting_runs_end_to_end_from_agenda_to_minutes(
        board_graph, live_server, signed_in_page, store):
    page = signed_in_page("tasking", "shaw")
    page.on("dialog", lambda dialog: dialog.accept())  # "Close meeting 1?"
    page.goto(f"{live_server.url}/tasking/")
    page.fill("#chair", "DI Shaw")
    page.fill("#attendees", "DS Reed, J. Bell (children's services)")
    page.get_by_role("button", name="Open meeting").click()
    assert "Meeting 1 is open with an agenda of 2 clusters" in page.locator(".notice").first \
        .inner_text()
    agenda = page.locator("table.agenda-items tbody tr")
    assert agenda.count() == 2
    assert board_graph["cluster"] in agenda.first.inner_text()
    assert "rank 1 by score" in agenda.first.inner_text()
    counts = " ".join(page.locator("ul.counts").inner_text().split())
    assert "3 open flags in 2 clusters" in counts and "0 flags decided in this meeting" in counts
    assert page.locator("table.board tbody tr").count() == 2
    screenshot(page, "tasking-1-agenda")

    agenda.first.get_by_role("link", name=board_graph["cluster"]).click()
    page.wait_for_selector("#cluster-graph[data-graph-ready]")
    summary = page.locator(".cluster-summary").inner_text()
    assert "Child: Cara Child (" in summary and "Otto Offender (" in summary
    assert "Where: 3 Beech Close, Norwich NR3 3CC" in summary
    assert "Why it matters: 2 open flags (1 critical, 1 high)" in summary
    flags_shown = page.locator("details.flag")
    assert flags_shown.count() == 2
    assert flags_shown.first.get_attribute("open") is None  # collapsed: a compact page
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    screenshot(page, "tasking-2-cluster-compact")

    first = flags_shown.first
    first.locator("summary").click()
    assert "412 m from the home of Otto Offender" in first.inner_text()
    assert "'Action' needs the action agreed, who owns it and a due date" in first.inner_text()
    assert not page.is_visible("#flag-1-action")  # no action field until "Action" is chosen
    page.locator("label[for=flag-1-actioned]").click()
    assert page.is_visible("#flag-1-action")
    page.fill("#flag-1-action", "Ask the placing authority to review the placement")
    page.fill("#flag-1-reason", "Very high risk offender within 500 m of a looked-after child.")
    page.locator("#flag-1-form").get_by_role("button", name="Record decision").click()
    alert = page.locator("#flag-1-form [role=alert]").inner_text()
    assert "The decision was not recorded." in alert and "An action needs an owner" in alert
    assert page.input_value("#flag-1-action") == \
        "Ask the placing authority to review the placement"  # what was typed is kept
    assert page.is_checked("#flag-1-actioned") and page.is_visible("#flag-1-action")
    assert flags.get_flag(store, board_graph["near"])["status"] == "new"
    screenshot(page, "tasking-3-refused-keeps-typing")

    due = (date.today() + timedelta(days=14)).isoformat()
    page.fill("#flag-1-owner", "DS Reed")
    page.fill("#flag-1-due", due)
    page.locator("#flag-1-form").get_by_role("button", name="Record decision").click()
    assert "Recorded 'action' on 1 flag" in page.locator(".notice").first.inner_text()
    assert flags.get_flag(store, board_graph["near"])["status"] == "actioned"

    page.locator("details.whole-cluster summary").click()
    page.locator("label[for=whole-no_further_action]").click()
    assert not page.is_visible("#whole-action")
    page.fill("#whole-reason", "Placement ended today; offender recalled to prison.")
    page.locator("#whole-form").get_by_role("button", name="Record decision").click()
    assert "Recorded 'no further action' on 2 flags" in page.locator(".notice").first \
        .inner_text()
    assert "/clusters/" not in page.url  # the cluster closed: back to the board
    rows = page.locator("table.board tbody tr")
    assert rows.count() == 1 and board_graph["other"] in rows.first.inner_text()
    counts = " ".join(page.locator("ul.counts").inner_text().split())
    assert "1 open flag in 1 cluster" in counts and "2 flags decided in this meeting" in counts
    states = page.locator("table.agenda-items tbody").inner_text().lower()
    assert "decided" in states and "to review" in states
    screenshot(page, "tasking-4-board-after-decisions")

    page.get_by_role("button", name="Close meeting").click()
    minutes = page.locator("table.minutes").first.inner_text()
    assert "Cara Child (" in minutes and "3 Beech Close, Norwich NR3 3CC" in minutes
    assert "Child placed out of area near a high-risk offender" in minutes
    assert "Ask the placing authority to review the placement" in minutes and due in minutes
    assert "DI Shaw (chair)" in minutes and "recorded by shaw" in minutes
    assert "Attendance" in page.locator("main").inner_text()
    assert "J. Bell (children's services)" in page.locator("main").inner_text()
    not_reached = page.locator("table.minutes--not-reached").inner_text()
    assert board_graph["other"] in not_reached and "Dan Young (" in not_reached
    screenshot(page, "tasking-5-minutes")
    # The refused decision answered 400, which Chromium logs; nothing else (no CSP refusal).
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    assert len(page.console_errors) == 1


def test_a_control_room_user_is_refused_the_board(board_graph, live_server, signed_in_page):
    page = signed_in_page("control_room")
    answer = page.goto(f"{live_server.url}/tasking/")
    assert answer.status == 403
    text = page.locator("main").inner_text()
    assert "Not allowed" in text and board_graph["cluster"] not in text
    assert page.locator("nav.site-nav").get_by_text("Tasking board").count() == 0
    screenshot(page, "tasking-6-control-room-refused")


def test_a_cluster_of_eighteen_flags_opens_as_a_short_page(store, web_settings, tmp_path,
                                                           live_server, signed_in_page):
    from tests.tasking_data import load, person

    load(store, web_settings, tmp_path,
         people=[person("O1", "Otto", "Offender")]
         + [person(f"C{n}", f"Child{n}", "Smith", "2012-01-01") for n in range(18)])
    run_rule(store, "shared_exploitation_link", *[
        concern(("person_id", f"C{n}", "child"), ("person_id", "O1", "adult"),
                summary=f"Child {n} is linked to Otto.") for n in range(18)])
    clusters.recompute(store, web_settings)
    [cluster] = clusters.list_clusters(web_settings)
    assert len(cluster["flags"]) == 18
    page = signed_in_page("tasking")
    page.goto(f"{live_server.url}/tasking/")
    page.fill("#chair", "DI Shaw")
    page.get_by_role("button", name="Open meeting").click()
    page.goto(f"{live_server.url}/tasking/clusters/{cluster['cluster_id']}")
    page.wait_for_selector("#cluster-graph[data-graph-ready]")
    assert page.locator("details.flag").count() == 18
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height  # was 19,300 px with every flag open and its form below
    screenshot(page, "tasking-7-eighteen-flags")
