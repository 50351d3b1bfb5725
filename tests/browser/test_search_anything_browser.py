"""In real headless Chromium: one search box, keyboard first, with true totals and pages."""

from __future__ import annotations

import pytest

from graphsvc.search.index import forget_all
from tests.browser.conftest import screenshot
from tests.factories import load_graph
from tests.integration.test_search_anything import SMITHS, county

pytestmark = pytest.mark.browser


def test_anything_by_keyboard_with_a_true_total_and_pages(store, web_settings, tmp_path,
                                                          live_server, signed_in_page):
    forget_all()
    load_graph(store, web_settings, tmp_path, county())
    page = signed_in_page("intelligence")
    page.goto(f"{live_server.url}/search/")
    assert page.evaluate("document.activeElement.id") == "q"  # autofocus
    page.keyboard.type("smith")
    page.fill("#justification", "INC-2026-0202")
    page.press("#justification", "Enter")
    page.wait_for_selector("#results-heading")
    heading = page.inner_text("#results-heading")
    assert heading.startswith(f"1–25 of {SMITHS + 1} results"), heading
    assert "date of birth" in page.inner_text("#refine")
    # the first result has the focus; arrow keys move through the results
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.textContent")
    assert first != second and page.evaluate(
        "document.activeElement.closest('.result') !== null")
    screenshot(page, "search-anything-1-true-total")
    page.click("#next-results")
    page.wait_for_selector("#results-heading")
    assert page.inner_text("#results-heading").startswith(f"26–50 of {SMITHS + 1}")

    page.keyboard.press("/")  # back to the box from anywhere
    assert page.evaluate("document.activeElement.id") == "q"
    for typed, title in [("Mill Lane", "4 Mill Lane, Wexford, WX1 1AA"),
                         ("100012345678", "4 Mill Lane, Wexford, WX1 1AA"),
                         ("07700 900123", "07700900123"), ("wx12 abc", "WX12ABC"),
                         ("Lily Hale", "Lily Hale")]:
        page.fill("#q", typed)
        page.press("#q", "Enter")
        page.wait_for_selector("#results-heading")
        assert page.locator(".result__title a").first.inner_text() == title, typed
    result = page.locator(".result").first.inner_text().lower()
    assert "child" in result and "lives at 4 mill lane" in result
    screenshot(page, "search-anything-2-child-with-home")
    problems = [p for p in page.console_errors if not p.startswith("Failed to load resource")]
    assert problems == [], problems
