"""In real headless Chromium: sign in, search, open a result, expand a link, export the view."""

from __future__ import annotations

import io
import socket
import threading
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import TEST_PASSWORD
from tests.factories import load_graph

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

TABLES = {
    "people": [
        {"person_id": "P1", "given_name": "Siobhan", "family_name": "Murphy",
         "date_of_birth": "2009-09-09"},
        {"person_id": "P2", "given_name": "Simon", "family_name": "Murphy",
         "date_of_birth": "1970-01-01"},
        {"person_id": "P3", "given_name": "Dean", "family_name": "Carr",
         "date_of_birth": "1984-02-02"},
    ],
    "addresses": [{"address_id": "A1", "line1": "2 Elm Row", "town": "Norwich",
                   "postcode": "NR2 2BB"},
                  {"address_id": "A2", "line1": "9 Quay Side", "town": "Norwich",
                   "postcode": "NR3 1AA"}],
    "residences": [{"person_id": "P1", "address_id": "A1", "start_date": "2019-01-01"},
                   {"person_id": "P2", "address_id": "A1", "start_date": "2019-01-01"},
                   {"person_id": "P3", "address_id": "A2", "start_date": "2021-01-01"}],
    "incidents": [{"incident_id": "M1", "incident_type": "missing",
                   "occurred_at": "2024-05-01T21:00:00", "address_id": "A1",
                   "found_address_id": "A2", "risk_grade": "high"}],
    "incident_people": [{"incident_id": "M1", "person_id": "P1", "role": "missing_person"},
                        {"incident_id": "M1", "person_id": "P3", "role": "found_with"}],
    "associations": [{"person_id": "P3", "target_type": "vehicle", "target_id": "CA11ABC",
                      "relation": "uses_vehicle"}],
}


@pytest.fixture
def search_server(store, web_settings, tmp_path, make_user):
    """The app on the test's graph, served by waitress on a free loopback port."""
    from waitress import create_server

    from web import create_app

    load_graph(store, web_settings, tmp_path, TABLES)
    make_user("intelligence", "analyst")
    app = create_app({"GRAPHSVC_SETTINGS": replace(web_settings, cookie_secure=False)})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
    thread.join(timeout=10)


@pytest.fixture
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280,
                                                                       "height": 900})
        tab = context.new_page()
        tab.problems = []
        tab.on("console", lambda m: tab.problems.append(f"{m.text} @ {m.location.get('url')}")
               if m.type == "error" else None)
        tab.on("pageerror", lambda e: tab.problems.append(str(e)))
        yield tab
        context.close()
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"search-{name}.png"), full_page=True)


def test_search_open_expand_and_export_in_a_real_browser(search_server, page, tmp_path):
    page.goto(f"{search_server}/sign-in")
    page.fill("input[name=name]", "analyst")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{search_server}/search/")
    page.fill("#q", "Siobahn Murphy")
    page.fill("#justification", "INC-2025-0042")
    page.click("form[role=search] button[type=submit]")
    results = page.locator(".result__title a")
    assert results.first.inner_text() == "Siobhan Murphy"
    reasons = page.locator(".result__reasons").first.inner_text()
    assert "Siobhan Murphy' ~ 'Siobahn Murphy'" in reasons
    shot(page, "1-results")

    results.first.click()
    page.wait_for_selector("#graph[data-graph-ready]")
    assert page.locator("h1").inner_text() == "Siobhan Murphy"
    assert page.get_attribute("#graph", "data-graph-ready") == "3"  # P1, A1, M1
    assert page.locator("#graph canvas").count() > 0
    shot(page, "2-entity")

    page.select_option("#depth", "2")
    page.click("#expand-form button[type=submit]")
    page.wait_for_selector("#graph[data-graph-ready]")
    assert int(page.get_attribute("#graph", "data-graph-ready")) >= 5  # + P2, A2, P3
    assert "Dean Carr" in page.locator("#links").inner_text()
    shot(page, "3-depth2")

    page.locator("#links a", has_text="Dean Carr").first.click()  # expand a link
    page.wait_for_selector("#graph[data-graph-ready]")
    assert page.locator("h1").inner_text() == "Dean Carr"
    assert "CA11ABC" in page.locator("#links").inner_text()
    shot(page, "4-linked-person")

    page.select_option("#format", "graphml")
    page.fill("#export-justification", "Disclosed to the CSE team")
    with page.expect_download() as download:
        page.click("#export-form button[type=submit]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    graph = nx.read_graphml(io.BytesIO(saved.read_bytes()))
    assert "person_id=P3" in graph.nodes and "vrm=CA11ABC" in graph.nodes
    problems = [p for p in page.problems if "favicon.ico" not in p]
    assert problems == [], problems  # no script errors, no CSP refusals
