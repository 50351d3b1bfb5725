"""In real headless Chromium: the entity page's link chart and timeline, as an analyst uses them.

Screenshots go to test-artifacts/ (kept by CI); the 300-node layout time is printed and written
to test-artifacts/chart-layout.json, never asserted (the machine is shared).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from graphsvc.rules import run_rule
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.factories import load_graph

pytestmark = pytest.mark.browser

FAMILY = {
    "people": [
        {"person_id": "P1", "given_name": "Tom", "family_name": "Hale",
         "date_of_birth": "1990-02-03"},
        {"person_id": "P2", "given_name": "Sam", "family_name": "Hale",
         "date_of_birth": "1992-05-06"},
    ],
    "addresses": [{"address_id": "A1", "line1": "4 Mill Lane", "town": "Wexford",
                   "postcode": "WX1 1AA"}],
    "residences": [{"person_id": "P2", "address_id": "A1", "start_date": "2020-01-01"}],
    "incidents": [
        {"incident_id": "I2020", "incident_type": "violence", "occurred_at": "2020-03-01T20:00",
         "address_id": "A1"},
        {"incident_id": "I2024", "incident_type": "domestic_abuse",
         "occurred_at": "2024-07-01T21:00", "address_id": "A1", "risk_grade": "standard"},
    ],
    "incident_people": [{"incident_id": "I2020", "person_id": "P1", "role": "suspect"},
                        {"incident_id": "I2024", "person_id": "P1", "role": "suspect"}],
    "associations": [
        {"person_id": "P1", "target_type": "person", "target_id": "P2", "relation": "family",
         "first_seen": "2019-01-01", "grading": "A1"},
        {"person_id": "P1", "target_type": "person", "target_id": "P2",
         "relation": "associate", "first_seen": "2023-06-01", "grading": "C3"},
    ],
}


def open_entity(page, live_server, path: str, reason: str = "INC-2026-0101"):
    page.goto(f"{live_server.url}{path}")
    if page.locator("#justification").count():
        page.fill("#justification", reason)
        page.click("form.narrow button[type=submit]")
    page.wait_for_selector("#graph[data-graph-ready]")


def chart(page, expression: str):
    """Evaluate `expression` with `cy` bound to the page's cytoscape instance."""
    return page.evaluate(f"() => {{ const cy = document.getElementById('graph').graph; "
                         f"return {expression}; }}")


def wait_chart(page, expression: str):
    """Wait until `expression` (with `cy` bound) is true: cytoscape restyles on the next frame."""
    page.wait_for_function(f"() => {{ const cy = document.getElementById('graph').graph; "
                           f"return {expression}; }}", timeout=10_000)


def no_script_errors(page):
    problems = [p for p in page.console_errors if not p.startswith("Failed to load resource")]
    assert problems == [], problems


def test_a_node_expands_and_hides_in_place_and_the_export_is_the_chart(
        store, web_settings, tmp_path, live_server, signed_in_page):
    load_graph(store, web_settings, tmp_path, FAMILY)
    page = signed_in_page("intelligence")
    open_entity(page, live_server, "/search/entity/person/P1")
    url = page.url
    # brothers linked as family and as associate: two links, each labelled, graded by style
    pair = chart(page, "cy.edges('[source = \"person_id=P1\"][target = \"person_id=P2\"]')"
                       ".map(e => [e.data('label'), e.style('line-style')]).sort()")
    assert pair == [["associate", "dashed"], ["family", "solid"]]
    assert chart(page, "cy.getElementById('address_id=A1').length") == 0
    screenshot(page, "chart-1-pair-two-links")

    # keyboard: Tab to the chart selects the subject; arrows move to a linked record
    page.focus("#graph")
    assert chart(page, "cy.nodes(':selected').map(n => n.id())") == ["person_id=P1"]
    for key in ("ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
        if chart(page, "cy.nodes(':selected').map(n => n.id())") != ["person_id=P1"]:
            break
    assert chart(page, "cy.nodes(':selected').length") == 1
    assert "Selected" in page.inner_text("#chart-status")

    chart(page, "(cy.elements().unselect(), cy.getElementById('person_id=P2').select(), 1)")
    page.select_option("#expand-type", "RESIDES_AT")
    page.click("[data-chart=expand]")
    page.wait_for_selector("#graph[data-expanded='1']")
    assert page.url == url  # in place: no new page
    assert chart(page, "cy.getElementById('address_id=A1').length") == 1
    assert chart(page, "cy.edges('[source = \"person_id=P2\"][target = \"address_id=A1\"]')"
                       ".map(e => e.data('label'))") == ["home"]
    screenshot(page, "chart-2-expanded-in-place")

    chart(page, "(cy.elements().unselect(), cy.getElementById('person_id=P2').select(), 1)")
    page.focus("#graph")
    page.keyboard.press("h")
    assert chart(page, "cy.getElementById('person_id=P2').hasClass('hidden')") is True
    wait_chart(page, "!cy.getElementById('person_id=P2').visible()")
    assert page.url == url
    screenshot(page, "chart-3-hidden-in-place")

    page.keyboard.press("g")  # group by type, and back
    assert page.get_attribute("[data-chart=group]", "aria-pressed") == "true"
    assert chart(page, "cy.getElementById('address_id=A1').parent().id()") == "kind-box:address"
    screenshot(page, "chart-3b-grouped-by-type")
    page.keyboard.press("g")
    assert chart(page, "cy.nodes('.kind-box').length") == 0
    chart(page, "(cy.elements().unselect(), cy.getElementById('address_id=A1').select(), 1)")
    page.keyboard.press("p")
    assert chart(page, "cy.getElementById('address_id=A1').locked()") is True

    page.select_option("#format", "csv")
    page.fill("#export-justification", "Disclosed to the CSE team")
    with page.expect_download() as download:
        page.click("#export-form button[type=submit]")
    saved = tmp_path / "chart.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    # the export is the chart: P2 hidden (its links gone), A1 expanded in but now unlinked
    assert rows and all("P2" not in (r["from_key"], r["to_key"]) for r in rows)
    no_script_errors(page)


def test_the_timeline_filters_the_chart_and_a_node_lights_its_events(
        store, web_settings, tmp_path, live_server, signed_in_page):
    load_graph(store, web_settings, tmp_path, FAMILY)
    page = signed_in_page("intelligence")
    open_entity(page, live_server, "/search/entity/person/P1")
    page.wait_for_selector("#timeline-chart[data-timeline-items='2']")
    screenshot(page, "timeline-1-all-dates")
    page.fill("#period-from", "2024-01-01")
    page.fill("#period-to", "2024-12-31")
    page.click("[data-timeline=apply]")
    page.wait_for_selector("#graph[data-filtered='1']")
    wait_chart(page, "!cy.getElementById('incident_id=I2020').visible()")
    assert chart(page, "cy.getElementById('incident_id=I2024').visible()") is True
    assert chart(page, "cy.getElementById('person_id=P2').visible()") is True  # undated stays
    assert "1 outside that period hidden" in page.inner_text("#chart-status")
    screenshot(page, "timeline-2-period-filters-chart")

    chart(page, "(cy.getElementById('incident_id=I2024').select(), 1)")
    lit = page.eval_on_selector_all("#timeline-canvas .is-highlighted",
                                    "els => els.map(e => e.getAttribute('data-id'))")
    assert lit == ["incident_id=I2024"]
    page.click("[data-timeline=clear]")
    wait_chart(page, "cy.getElementById('incident_id=I2020').visible()")

    # drag across the timeline around the 2024 incident: the chart keeps only that period
    box = page.locator("#timeline-canvas [data-id='incident_id=I2024']").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] - 30, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 10, y, steps=4)
    page.mouse.move(box["x"] + 40, y, steps=4)
    page.mouse.up()
    wait_chart(page, "!cy.getElementById('incident_id=I2020').visible()")
    assert page.input_value("#period-from").startswith("2024-")
    screenshot(page, "timeline-3-dragged-period")
    no_script_errors(page)


def star_of_300() -> dict:
    """A person with 30 associates, each with 3 phones, 3 vehicles and 3 homes: 301 records
    at depth 2 (no busy neighbourhood to collapse)."""
    people = [{"person_id": "R0", "given_name": "Root", "family_name": "Case"}]
    addresses, residences, associations = [], [], []
    for i in range(30):
        pid = f"R{i + 1:02d}"
        people.append({"person_id": pid, "given_name": f"Name{i}", "family_name": "Assoc"})
        associations.append({"person_id": "R0", "target_type": "person", "target_id": pid,
                             "relation": "associate"})
        for j in range(3):
            associations.append({"person_id": pid, "target_type": "phone",
                                 "target_id": f"07700900{i:02d}{j}", "relation": "uses_phone"})
            associations.append({"person_id": pid, "target_type": "vehicle",
                                 "target_id": f"WX{i:02d}AB{j}", "relation": "uses_vehicle"})
            aid = f"H{i:02d}{j}"
            addresses.append({"address_id": aid, "line1": f"{i * 3 + j} Long Road",
                              "town": "Wexford", "postcode": "WX2 2AB"})
            residences.append({"person_id": pid, "address_id": aid,
                               "start_date": f"201{j}-01-01"})
    return {"people": people, "addresses": addresses, "residences": residences,
            "associations": associations}


def test_a_300_node_neighbourhood_is_laid_out_and_its_time_reported(
        store, web_settings, tmp_path, live_server, signed_in_page):
    load_graph(store, web_settings, tmp_path, star_of_300())
    page = signed_in_page("intelligence")
    open_entity(page, live_server, "/search/entity/person/R0?depth=2")
    drawn = chart(page, "cy.nodes().length")
    ms = int(page.get_attribute("#graph", "data-layout-ms"))
    assert drawn == 301
    # every record is inside the frame after the layout and fit, none stacked on another
    spread = chart(page, "new Set(cy.nodes().map(n => Math.round(n.position().x) + ','"
                         " + Math.round(n.position().y))).size")
    assert spread == drawn
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    figure = {"nodes": drawn, "layout_ms": ms, "target_ms": 1500, "loadavg": load}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "chart-layout.json").write_text(json.dumps(figure) + "\n")
    print(json.dumps(figure))  # noqa: T201 -- the figure is reported, not asserted
    screenshot(page, "chart-4-300-nodes")
    page.locator("#graph").screenshot(path=str(ARTIFACTS / "chart-4-300-nodes-chart.png"))
    no_script_errors(page)


def test_a_busy_neighbourhood_collapses_into_one_node_that_opens_a_page_at_a_time(
        store, web_settings, tmp_path, live_server, signed_in_page):
    incidents = [{"incident_id": f"W{i:03d}", "incident_type": "concern_for_welfare",
                  "occurred_at": f"2024-01-{1 + i % 28:02d}T{i % 24:02d}:00",
                  "address_id": "B1"} for i in range(140)]
    load_graph(store, web_settings, tmp_path, {
        "addresses": [{"address_id": "B1", "line1": "The Station Hotel", "town": "Wexford",
                       "postcode": "WX1 9ZZ", "address_type": "hotel"}],
        "incidents": incidents})
    page = signed_in_page("intelligence")
    open_entity(page, live_server, "/search/entity/address/B1")
    group = "group:address_id=B1:incident"
    assert chart(page, f"cy.getElementById('{group}').data('label')").startswith(
        "+140 incidents")
    assert chart(page, "cy.nodes().length") == 2  # the hotel and its collapsed incidents
    screenshot(page, "chart-5-collapsed")
    chart(page, f"(cy.getElementById('{group}').select(), 1)")
    page.focus("#graph")
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('graph').graph.nodes().length > 2")
    assert chart(page, "cy.nodes('[kind = \"incident\"]').length") == 25
    assert chart(page, f"cy.getElementById('{group}').data('label')").startswith(
        "+115 incidents")
    screenshot(page, "chart-6-group-opened")
    no_script_errors(page)


def test_a_flag_reads_in_names(store, web_settings, tmp_path, live_server, signed_in_page):
    today = date.today()
    load_graph(store, web_settings, tmp_path, {
        "people": [{"person_id": "P-SCN-HH-01-OFFENDER", "given_name": "Victor",
                    "family_name": "Crane", "date_of_birth": "1970-01-01"},
                   {"person_id": "P-SCN-HH-01-CHILD", "given_name": "Lily",
                    "family_name": "Crane", "date_of_birth": f"{today.year - 9}-01-01"}],
        "addresses": [{"address_id": "A-HH-01", "line1": "7 Mill Lane", "town": "Wexford",
                       "postcode": "WX1 1AB"}],
        "residences": [{"person_id": "P-SCN-HH-01-OFFENDER", "address_id": "A-HH-01",
                        "start_date": "2020-01-01"},
                       {"person_id": "P-SCN-HH-01-CHILD", "address_id": "A-HH-01",
                        "start_date": "2020-01-01"}],
        "offenders": [{"person_id": "P-SCN-HH-01-OFFENDER", "registered_from": "2019-01-01",
                       "rosh_level": "high", "mappa_category": "1"}],
    })
    result = run_rule(store, "offender_household_with_child", as_of=today)
    assert result.error is None and result.flags_new >= 1
    page = signed_in_page("intelligence")
    page.goto(f"{live_server.url}/search/")
    page.fill("#q", "Lily Crane")
    page.fill("#justification", "INC-2026-0303")
    page.press("#q", "Enter")
    result = page.locator(".result").first.inner_text()
    assert "Victor Crane" in result and "a registered offender" in result
    assert "where Lily Crane (9) lives" in result and "P-SCN-HH-01-OFFENDER" not in result
    open_entity(page, live_server, "/search/entity/person/P-SCN-HH-01-CHILD")
    text = page.inner_text("#flags")
    assert "Victor Crane" in text and "Lily Crane" in text
    assert "P-SCN-HH-01" not in text
    screenshot(page, "chart-7-flag-in-names")
    page.click("#flags a")  # the flag's own page reads in names too
    page.wait_for_selector("#graph[data-graph-ready]")
    lead = page.inner_text("#flag-sentence")
    assert "Victor Crane" in lead and "P-SCN-HH-01" not in lead
    assert "P-SCN-HH-01" not in page.inner_text("#details")
    no_script_errors(page)
