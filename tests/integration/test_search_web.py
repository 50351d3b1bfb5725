"""The search and entity pages through the real Flask app: roles, reasons, audit, exports."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest

from graphsvc import audit
from tests.conftest import csrf_token
from tests.factories import load_graph
from tests.tasking_data import concern, run_rule

TABLES = {
    "people": [
        {"person_id": "P1", "given_name": "Siobhan", "family_name": "Murphy",
         "date_of_birth": "1999-09-09", "aliases": ["Shiv Murphy"]},
        {"person_id": "P2", "given_name": "Simon", "family_name": "Murphy",
         "date_of_birth": "1970-01-01"},
    ],
    "addresses": [{"address_id": "A1", "line1": "2 Elm Row", "town": "Norwich",
                   "postcode": "NR2 2BB"}],
    "residences": [{"person_id": "P1", "address_id": "A1", "start_date": "2019-01-01"},
                   {"person_id": "P2", "address_id": "A1", "start_date": "2019-01-01"}],
    "incidents": [{"incident_id": "D1", "incident_type": "domestic_abuse",
                   "occurred_at": "2024-05-01T21:00:00", "address_id": "A1",
                   "summary": "Shouting heard"}],
}


@pytest.fixture
def graph(store, web_settings, tmp_path):
    load_graph(store, web_settings, tmp_path, TABLES)
    return store


def search(browser, q: str, reason: str = "INC-2025-0042"):
    return browser.post("/search/", data={"q": q, "kind": "auto", "justification": reason,
                                          "csrf_token": csrf_token(browser, "/search/")})


def test_a_search_shows_ranked_results_with_reasons_and_is_audited(graph, sign_in_as,
                                                                   web_settings):
    browser = sign_in_as("intelligence", "analyst")
    page = search(browser, "Siobahn Murphy")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 result for" in text and "Siobhan Murphy" in text
    assert "Simon Murphy" not in text  # one name word in common is not enough
    assert "name &#39;Siobhan Murphy&#39; ~ &#39;Siobahn Murphy&#39;" in text
    [entry] = audit.search(web_settings, user="analyst", kind="consultation")
    assert entry.justification == "INC-2025-0042"
    assert entry.shown[0] == "person_id=P1"


def test_a_search_without_a_reason_is_refused(graph, sign_in_as, web_settings):
    browser = sign_in_as("intelligence", "analyst")
    page = search(browser, "Siobhan Murphy", reason="")
    assert page.status_code == 400
    assert "reason" in page.get_data(as_text=True)
    assert audit.search(web_settings, user="analyst", kind="consultation") == []


@pytest.mark.parametrize("role", ["control_room", "tasking", "admin"])
def test_only_intelligence_officers_may_search(graph, sign_in_as, role):
    assert sign_in_as(role).get("/search/").status_code == 403


def test_an_entity_page_asks_for_a_reason_when_none_was_given(graph, sign_in_as, web_settings):
    browser = sign_in_as("intelligence", "analyst")
    page = browser.get("/search/entity/person/P1")
    assert "Why are you looking at this record?" in page.get_data(as_text=True)
    assert audit.search(web_settings, user="analyst", kind="consultation") == []
    answer = browser.post("/search/reason", data={
        "justification": "Op Lantern", "next": "/search/entity/person/P1",
        "csrf_token": csrf_token(browser, "/search/entity/person/P1")})
    assert answer.status_code == 302 and answer.location.endswith("/search/entity/person/P1")
    page = browser.get("/search/entity/person/P1")
    assert "2 Elm Row" in page.get_data(as_text=True)
    [entry] = audit.search(web_settings, user="analyst", kind="consultation")
    assert entry.action == "entity_view" and entry.justification == "Op Lantern"


def test_an_entity_page_shows_details_links_timeline_and_graph_data(graph, sign_in_as):
    browser = sign_in_as("intelligence")
    search(browser, "Siobhan Murphy")
    text = browser.get("/search/entity/address/A1?depth=2").get_data(as_text=True)
    assert "Showing 3 of 3 direct links" in text
    assert 'data-graph-source="graph-data"' in text
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', text,
                     re.S).group(1)
    assert '"id": "person_id=P1"' in data and '"href": "/search/entity/person/P1' in data
    assert "domestic abuse 2024-05-01" in text


def _tasking_browser(sign_in_as):
    browser = sign_in_as("tasking")
    browser.post("/tasking/reason", data={"justification": "Tasking meeting 12",
                                          "csrf_token": csrf_token(browser, "/tasking/")})
    return browser


def test_tasking_opens_only_what_a_live_flag_concerns_to_depth_1(graph, sign_in_as,
                                                                 web_settings):
    browser = _tasking_browser(sign_in_as)
    refused = browser.get("/search/entity/incident/D1")
    assert refused.status_code == 403
    assert "only the records a live flag on the board concerns" in refused.get_data(as_text=True)
    [flag_id] = run_rule(graph, "repeat_domestic_abuse_with_child",
                         concern(("incident_id", "D1", "incident")))
    page = browser.get("/search/entity/incident/D1")
    assert page.status_code == 200
    assert browser.get(f"/search/entity/flag/{flag_id}").status_code == 200
    assert browser.get("/search/entity/incident/D1?depth=2").status_code == 403
    assert browser.get("/search/entity/person/P1").status_code == 403  # one hop is not enough
    [entry] = [e for e in audit.search(web_settings, kind="consultation")
               if e.action == "entity_view" and e.asked["entity"] == "incident_id=D1"]
    assert entry.justification == "Tasking meeting 12"  # the board's reason, not one typed here


def test_tasking_sees_entity_pages_without_incident_summaries_and_cannot_export(
        graph, sign_in_as):
    run_rule(graph, "repeat_domestic_abuse_with_child", concern(("incident_id", "D1", "x")))
    browser = _tasking_browser(sign_in_as)
    text = browser.get("/search/entity/incident/D1").get_data(as_text=True)
    assert "domestic_abuse" in text and "Shouting heard" not in text
    assert 'id="export-form"' not in text
    answer = browser.post("/search/entity/incident/D1/export", data={
        "format": "csv", "justification": "x" * 10,
        "csrf_token": csrf_token(browser, "/tasking/")})
    assert answer.status_code == 403


def test_an_export_downloads_the_view_and_is_recorded_as_a_disclosure(graph, sign_in_as,
                                                                      web_settings):
    browser = sign_in_as("intelligence", "analyst")
    search(browser, "Siobhan Murphy")
    answer = browser.post("/search/entity/address/A1/export", data={
        "format": "graphml", "depth": "1", "page": "1", "justification": "Disclosed to CPS",
        "csrf_token": csrf_token(browser, "/search/entity/address/A1")})
    assert answer.status_code == 200
    assert 'filename="address-A1-depth1-page1.graphml"' in answer.headers["Content-Disposition"]
    back = nx.read_graphml(io.BytesIO(answer.data))
    assert set(back.nodes) == {"address_id=A1", "person_id=P1", "person_id=P2", "incident_id=D1"}
    [entry] = audit.search(web_settings, user="analyst", kind="disclosure")
    assert entry.justification == "Disclosed to CPS" and entry.action == "export_graphml"


def test_bad_page_parameters_get_a_plain_message(graph, sign_in_as):
    browser = sign_in_as("intelligence")
    search(browser, "Siobhan Murphy")
    assert browser.get("/search/entity/person/P1?depth=9").status_code == 400
    assert browser.get("/search/entity/person/P1?depth=two").status_code == 400
    assert browser.get("/search/entity/person/P404").status_code == 404
    assert browser.get("/search/entity/spaceship/P1").status_code == 404


def test_expanding_in_place_answers_json_and_is_audited(graph, sign_in_as, web_settings):
    browser = sign_in_as("intelligence", "analyst")
    search(browser, "Siobhan Murphy")
    answer = browser.get("/search/entity/address/A1/expand.json?type=RESIDES_AT")
    assert answer.status_code == 200
    data = answer.get_json()
    assert {n["id"] for n in data["nodes"]} == {"address_id=A1", "person_id=P1", "person_id=P2"}
    assert {e["label"] for e in data["edges"]} == {"home"} and data["total"] == 2
    [entry] = [e for e in audit.search(web_settings, user="analyst", kind="consultation")
               if e.action == "chart_expand"]
    assert entry.justification == "INC-2025-0042"
    assert set(entry.shown) == {"address_id=A1", "person_id=P1", "person_id=P2"}
    bad = browser.get("/search/entity/address/A1/expand.json?type=LOVES")
    assert bad.status_code == 400 and "Unknown link type" in bad.get_data(as_text=True)
    assert browser.get("/search/entity/address/A1/expand.json?page=x").status_code == 400


def test_an_export_with_a_broken_chart_state_gets_a_plain_message(graph, sign_in_as):
    browser = sign_in_as("intelligence")
    search(browser, "Siobhan Murphy")
    answer = browser.post("/search/entity/address/A1/export", data={
        "format": "csv", "justification": "Disclosed to CPS", "chart_state": "{oops",
        "csrf_token": csrf_token(browser, "/search/entity/address/A1")})
    assert answer.status_code == 400
    assert "state could not be read" in answer.get_data(as_text=True)


def test_a_search_page_number_that_is_not_a_number_gets_a_plain_message(graph, sign_in_as):
    browser = sign_in_as("intelligence")
    answer = browser.post("/search/", data={
        "q": "murphy", "kind": "auto", "justification": "INC-1", "page": "two",
        "csrf_token": csrf_token(browser, "/search/")})
    assert answer.status_code == 400 and "whole number" in answer.get_data(as_text=True)


def test_with_server_timing_a_search_says_where_its_time_went(graph, web_settings, make_user):
    """GRAPHSVC_SERVER_TIMING (for the benches): each part in a Server-Timing header, with the
    graph statements the search ran; without it, no header."""
    from dataclasses import replace

    from bench.common import server_timing
    from tests.conftest import TEST_PASSWORD
    from web import create_app

    user = make_user("intelligence", "timed")
    for timed in (True, False):
        app = create_app({"TESTING": True, "PREFERRED_URL_SCHEME": "https",
                          "GRAPHSVC_SETTINGS": replace(web_settings, server_timing=timed)})
        try:
            browser = app.test_client()
            assert browser.post("/sign-in", data={
                "name": user.name, "password": TEST_PASSWORD,
                "csrf_token": csrf_token(browser)}).status_code == 302
            page = search(browser, "Siobahn Murphy")
            assert page.status_code == 200 and "Siobhan Murphy" in page.get_data(as_text=True)
            parts = server_timing(page.headers.get("Server-Timing"))
            if not timed:
                assert parts == {}
                continue
            assert {"app", "checks", "search", "flags", "audit", "page"} <= set(parts)
            assert parts["graph.read.search_people_details"][1] == 1  # run once
            # the flags of people and addresses come with their details: no statement of its own
            assert "graph.flags.for_entities" not in parts
            assert parts["app"][0] >= parts["search"][0] + parts["audit"][0]
        finally:
            opened = app.extensions["graphsvc.store"].get("store")
            if opened is not None:
                opened.close()
