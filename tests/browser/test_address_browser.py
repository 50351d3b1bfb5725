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
    assert "An offender tied to this address" in text and "lives 111 m north" in text
    assert "Amy Brook" in page.locator("#children-on-plans").inner_text()
    assert "sexual abuse" in page.locator("#children-on-plans").inner_text()
    assert "Oscar Vane" in page.locator("#offenders").inner_text()
    assert "Owen Lowe" not in page.locator("main").inner_text()  # nothing ties him here
    assert "Violence" in page.locator("#officer-safety").inner_text()
    # the picture of the surroundings: two offenders north of the address, rings, a legend
    picture = page.locator("svg#surroundings")
    assert picture.is_visible()
    assert picture.locator("[data-kind=offender]").count() == 2
    assert picture.locator("[data-kind=care_setting]").count() == 1
    assert picture.locator("circle.ring--radius").count() == 1
    box = picture.bounding_box()
    assert box and box["width"] > 200
    points = picture.locator("[data-kind=offender]")
    centre_y = float(picture.locator("rect.here").get_attribute("y")) + 6
    assert all(float(points.nth(i).get_attribute("cy")) < centre_y for i in range(2))  # north
    assert "RoSH low, 890 m north" in page.locator("#picture-points").inner_text()
    screenshot(page, "address-check-result-control-room")
    page.locator("#surroundings").screenshot(path=str(screenshot(page, "address-picture")))
    assert page.console_errors == []  # nothing refused by the Content-Security-Policy

    page.get_by_role("button", name="Printable briefing").click()
    page.get_by_role("heading", name="Address briefing").wait_for()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("svg#surroundings").is_visible()
    assert "Amy Brook" in page.locator("#children-on-plans").inner_text()
    screenshot(page, "address-briefing-print")
    page.pdf(path=str(screenshot(page, "address-briefing-print").with_suffix(".pdf")))
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
