"""In real headless Chromium: an administrator runs every rule from the jobs page; the run goes
on in the background and the page, refreshed, shows each rule's outcome."""

from __future__ import annotations

import time

import pytest

from graphsvc.rules import catalogue
from tests.browser.conftest import screenshot
from tests.rule_data import AS_OF, load_repeat_missing_scene

pytestmark = pytest.mark.browser


def test_an_admin_runs_all_rules_and_follows_the_run(store, web_settings, tmp_path,
                                                     live_server, signed_in_page):
    load_repeat_missing_scene(store, web_settings, tmp_path)
    page = signed_in_page("admin", "root")
    page.goto(f"{live_server.url}/admin/jobs/")
    page.fill("#as_of", AS_OF.isoformat())
    page.get_by_role("button", name="Run all rules now").click()
    status = page.locator("#all-rules-run")
    status.wait_for()
    deadline = time.monotonic() + 120
    while "All rules ran" not in status.inner_text():
        assert time.monotonic() < deadline, status.inner_text()
        page.wait_for_timeout(300)
        page.get_by_role("link", name="Refresh").click()
        status = page.locator("#all-rules-run")
    text = status.inner_text()
    assert f"repeat_missing_child ran as of {AS_OF.isoformat()}: 1 rows, 1 new" in text
    assert all(rule_id in text for rule_id in catalogue())
    assert "failed" not in text
    screenshot(page, "jobs-all-rules")
