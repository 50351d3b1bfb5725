"""In real headless Chromium: sign in, check an address, print a briefing, be refused elsewhere."""

from __future__ import annotations

from graphsvc import audit
from tests.browser.conftest import screenshot, sign_in
from tests.factories import load_graph
from tests.integration.test_address_check import TABLES


def test_a_control_room_officer_checks_an_address(live_server, signed_in_page, store,
                                                  tmp_path):
    load_graph(store, live_server.settings, tmp_path, TABLES)
    page = signed_in_page("control_room", "dispatcher")
    assert page.url.endswith("/address-check/")
    screenshot(page, "address-check-form")
    page.get_by_label("Address, postcode or UPRN").fill("NR1 3AB")
    page.get_by_label("Reason or incident number (required)").fill("INC-2025-0042")
    page.get_by_role("button", name="Check address").click()
    warnings = page.locator("#warnings")
    warnings.wait_for()
    text = warnings.inner_text()
    assert "A child on a child protection plan lives here." in text
    assert "lives 111 m away" in text
    body = page.locator("main").inner_text()
    assert "Amy" not in body and "Oscar" not in body  # no names for the control room
    screenshot(page, "address-check-result-control-room")
    assert page.console_errors == []  # nothing refused by the Content-Security-Policy

    page.get_by_role("button", name="Printable briefing").click()
    page.get_by_role("heading", name="Address briefing").wait_for()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    screenshot(page, "address-briefing-print")
    page.emulate_media(media="screen")

    [entry] = audit.search(live_server.settings, user="dispatcher", kind="consultation")
    assert entry.justification == "INC-2025-0042" and "person_id=C1" in entry.shown


def test_an_analyst_chooses_between_candidates_and_sees_names(live_server, signed_in_page,
                                                              store, tmp_path):
    load_graph(store, live_server.settings, tmp_path, TABLES)
    page = signed_in_page("intelligence", "analyst")
    page.goto(live_server.url + "/address-check/")
    page.get_by_label("Address, postcode or UPRN").fill("elm road")
    page.get_by_label("Reason or incident number (required)").fill("Op Beacon")
    page.get_by_role("button", name="Check address").click()
    page.locator("#offenders").wait_for()
    assert "Oscar Vane" in page.locator("#offenders").inner_text()
    assert "Amy Brook" in page.locator("#residents").inner_text()
    screenshot(page, "address-check-result-intelligence")
    page.get_by_label("Address, postcode or UPRN").fill("NR1 3FF")
    page.get_by_role("button", name="Check address").click()
    page.locator("#candidates").wait_for()
    screenshot(page, "address-check-candidates")
    page.get_by_role("button", name="Flat 2, Quay House, Norwich, NR1 3FF").click()
    page.get_by_role("heading", name="Flat 2, Quay House, Norwich, NR1 3FF").wait_for()


def test_a_control_room_officer_is_refused_another_roles_page(live_server, signed_in_page):
    page = signed_in_page("control_room")
    response = page.goto(live_server.url + "/admin/users")
    assert response.status == 403
    assert "Not allowed" in page.locator("h1").inner_text()
    screenshot(page, "refused-admin-page")


def test_a_wrong_password_is_refused_on_the_page(live_server, page, make_user):
    make_user("admin", "root")
    sign_in(page, live_server.url, "root", "not my password at all")
    assert "/sign-in" in page.url
    assert "The name or password is wrong" in page.locator("#sign-in-error").inner_text()
    screenshot(page, "sign-in-refused")
