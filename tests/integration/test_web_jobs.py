"""The admin jobs page: rules' runs shown, "Run now" under the rule lock, audited, admin only."""

from __future__ import annotations

import html
import re
import threading
import time

import pytest

from graphsvc import audit, clusters, flags
from graphsvc.locks import rule_lock
from graphsvc.rules import catalogue, latest_runs
from tests.conftest import csrf_token
from tests.rule_data import AS_OF, load_repeat_missing_scene
from web import jobs

RULE = "repeat_missing_child"


_scene = load_repeat_missing_scene


@pytest.fixture(autouse=True)
def _fresh_all_rules_run(monkeypatch):
    monkeypatch.setattr(jobs, "ALL_RULES_RUN", jobs.AllRulesRun())


def _wait_for_all_rules(timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while (state := jobs.ALL_RULES_RUN.snapshot()).get("running"):
        assert time.monotonic() < deadline, "the all-rules run did not finish"
        time.sleep(0.1)
    return state


def _row(text: str, rule_id: str) -> str:
    match = re.search(rf'<tr id="job-{rule_id}">(.*?)</tr>', text, re.S)
    assert match, f"no row for {rule_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _notice(text: str) -> str:
    """The run's message as a user reads it."""
    match = re.search(r'<div class="notice[^"]*" role="status" id="run-result">(.*?)</div>',
                      text, re.S)
    assert match, "no run result shown"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()).replace(" :", ":")


def _run(browser, rule: str, as_of: str | None = AS_OF.isoformat(), token: str | None = None):
    data = {"rule": rule, "as_of": as_of or "",
            "csrf_token": token if token is not None else csrf_token(browser, "/admin/jobs/")}
    return browser.post("/admin/jobs/run", data=data)


def test_an_admin_runs_a_rule_and_sees_its_flags_and_last_run(store, web_settings, tmp_path,
                                                               sign_in_as):
    _scene(store, web_settings, tmp_path)
    browser = sign_in_as("admin", "root")
    before = browser.get("/admin/jobs/").get_data(as_text=True)
    assert "never" in _row(before, RULE) and "scheduler not started" in _row(before, RULE)

    page = _run(browser, RULE)
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert (f"{RULE} ran as of {AS_OF.isoformat()}: 1 rows, 1 new, 0 updated, 0 resolved, "
            "0 reopened.") in _notice(text)
    assert "1 rows; flags: 1 new, 0 updated, 0 resolved, 0 reopened" in _row(text, RULE)
    assert "never" in _row(text, "order_breach")  # only the chosen rule ran
    (flag,) = flags.list_flags(store, rule=RULE)
    assert flag["status"] == "new" and "person_id=C1" in flag["concerned_keys"]
    assert clusters.latest_run(web_settings) is not None  # the board was recomputed
    (entry,) = audit.search(web_settings, user="root", kind="alteration")
    assert entry.action == "rule run" and entry.shown == [f"rule={RULE}"]
    assert entry.asked == {"rules": [RULE], "as_of": AS_OF.isoformat()}

    again = _run(browser, RULE).get_data(as_text=True)  # the same facts: nothing new
    assert f"{RULE} ran as of {AS_OF.isoformat()}: 1 rows, 0 new" in _notice(again)


def test_a_rule_already_running_is_not_run_twice(store, web_settings, tmp_path, sign_in_as):
    _scene(store, web_settings, tmp_path)
    browser = sign_in_as("admin", "root")
    token = csrf_token(browser, "/admin/jobs/")
    with rule_lock(web_settings, RULE):  # as the scheduler holds it during its run
        page = _run(browser, RULE, token=token)
    text = page.get_data(as_text=True)
    assert page.status_code == 409
    assert f"{RULE} was not run: this rule is already running" in _notice(text)
    assert "Traceback" not in text
    assert RULE not in latest_runs(store) and flags.list_flags(store, rule=RULE) == []


def test_a_bad_as_of_date_or_rule_is_a_plain_error(store, sign_in_as):
    browser = sign_in_as("admin")
    future = _run(browser, RULE, as_of="2999-01-01")
    assert future.status_code == 400 and "in the future" in future.get_data(as_text=True)
    unknown = _run(browser, "no_such_rule")
    assert unknown.status_code == 400
    assert "There is no rule 'no_such_rule'" in html.unescape(unknown.get_data(as_text=True))
    assert latest_runs(store) == {}


def test_run_now_needs_the_csrf_token(store, sign_in_as):
    browser = sign_in_as("admin")
    page = browser.post("/admin/jobs/run", data={"rule": RULE})
    assert page.status_code == 400
    assert latest_runs(store) == {}


def test_only_admins_see_or_run_jobs(store, sign_in_as):
    browser = sign_in_as("intelligence")
    assert browser.get("/admin/jobs/").status_code == 403
    token = csrf_token(browser, "/search/")
    assert _run(browser, RULE, token=token).status_code == 403
    assert latest_runs(store) == {}


def test_all_rules_run_in_the_background_and_the_page_follows_them(store, web_settings, tmp_path,
                                                                   sign_in_as):
    _scene(store, web_settings, tmp_path)
    browser = sign_in_as("admin", "root")
    page = _run(browser, "all")
    assert page.status_code == 303 and page.headers["Location"].endswith("/admin/jobs/")
    state = _wait_for_all_rules()
    assert [r["rule_id"] for r in state["results"]] == list(catalogue())
    assert not [r for r in state["results"] if r.get("error")] and state["note"] is None
    text = browser.get("/admin/jobs/").get_data(as_text=True)
    shown = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    assert f"All rules ran (as of {AS_OF.isoformat()})" in shown and "by root" in shown
    assert f"{RULE} ran as of {AS_OF.isoformat()}: 1 rows, 1 new" in shown
    assert set(latest_runs(store)) == set(catalogue())
    assert clusters.latest_run(web_settings) is not None
    (entry,) = audit.search(web_settings, user="root", kind="alteration")
    assert entry.asked == {"rules": "all", "as_of": AS_OF.isoformat()}
    assert entry.shown == ["all rules started in the background"]


def test_a_second_all_rules_run_waits_for_the_first(store, sign_in_as, monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_run_now(*args, announce=None, **kwargs):
        announce("repeat_missing_child")
        started.set()
        release.wait(30)
        return []

    monkeypatch.setattr(jobs, "run_now", slow_run_now)
    browser = sign_in_as("admin", "root")
    assert _run(browser, "all").status_code == 303
    assert started.wait(30)
    running = browser.get("/admin/jobs/").get_data(as_text=True)
    assert "All rules are running" in running and "now running" in running
    second = _run(browser, "all")
    assert second.status_code == 409
    assert "All rules are already being run" in second.get_data(as_text=True)
    release.set()
    assert _wait_for_all_rules()["results"] == []


def test_a_bad_as_of_date_for_all_rules_is_said_at_once(store, sign_in_as):
    browser = sign_in_as("admin")
    page = _run(browser, "all", as_of="2999-01-01")
    assert page.status_code == 400 and "in the future" in page.get_data(as_text=True)
    assert jobs.ALL_RULES_RUN.snapshot() == {"results": []}
    assert latest_runs(store) == {}
