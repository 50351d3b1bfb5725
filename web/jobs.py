"""The admin jobs page: each rule's schedule, last and next run, and a "Run now" button.

It lists rules through graphsvc.rules.overview and runs them through graphsvc.rules.run_rules,
as `graphsvc jobs list|run` do. One
rule runs within the request (a second or two); all rules run in the background, one run at a
time per server, and the page shows how far that run has gone.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from graphsvc import dates, sessions, users
from graphsvc.errors import InputError, NotFound
from graphsvc.rules import RuleRun, catalogue, run_rules
from graphsvc.rules.overview import list_jobs
from graphsvc.rules.runner import as_of_date
from graphsvc.settings import Settings
from graphsvc.store import GraphStore, open_store
from jobs.scheduler import next_run_times
from web.context import get_settings, get_store
from web.security import current_identity, record, requires

log = logging.getLogger(__name__)

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
ALL = "all"


class AllRulesRun:
    """The all-rules run started from this server's jobs page: one at a time, in a thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.state, results=list(self.state.get("results", [])))

    def start(self, settings: Settings, as_of: str | None, user: str) -> bool:
        """Start a run unless one is going; False if one is."""
        with self.lock:
            if self.state.get("running"):
                return False
            self.state = {"running": True, "started_at": dates.graph_now(), "by": user,
                          "as_of": as_of or "today", "total": len(catalogue()), "results": [],
                          "current": None, "note": None}
        threading.Thread(target=self._run, args=(settings, as_of, user), daemon=True,
                         name="all-rules-run").start()
        return True

    def _announce(self, rule_id: str) -> None:
        with self.lock:
            self.state["current"] = rule_id

    def _run(self, settings: Settings, as_of: str | None, user: str) -> None:
        note = None
        results: list[RuleRun] = []
        try:
            with open_store(settings) as store:
                report = run_rules(store, settings, as_of=as_of, trigger="web",
                                   announce=self._announce)
                results, note = report.runs, report.regroup_error
                _hand_over_bookmarks(settings, store, user)
        except Exception as exc:  # noqa: BLE001 - shown on the page, trace in the log
            log.exception("Running all rules from the jobs page failed")
            note = f"The run stopped: {exc}. The details are in the server log."
        with self.lock:
            self.state.update(running=False, finished_at=dates.graph_now(), results=results,
                              current=None, note=note)


def _hand_over_bookmarks(settings: Settings, store: GraphStore, name: str) -> None:
    """Keep the run's graph bookmarks in the sessions of the user who started it: their next
    read, on any web process, sees what the run wrote."""
    bookmarks = store.bookmarks()
    if bookmarks:
        with contextlib.suppress(NotFound):
            sessions.remember_bookmarks(settings, users.find_user(settings, name).id, bookmarks)


ALL_RULES_RUN = AllRulesRun()


@bp.route("/")
@requires("admin")
def index():
    return _page()


@bp.route("/run", methods=["POST"])
@requires("admin")
def run():
    """Run one rule (or all) now under its lock; a rule already running is not run twice."""
    settings, store = get_settings(), get_store()
    chosen = (request.form.get("rule") or "").strip()
    as_of = (request.form.get("as_of") or "").strip() or None
    if chosen in ("", ALL):
        return _run_all(settings, as_of)
    try:
        report = run_rules(store, settings, [chosen], as_of=as_of, trigger="web")
    except InputError as exc:
        return _page(error=str(exc)), 400
    record("alteration", "rule run", asked={"rules": [chosen], "as_of": as_of or "today"},
           shown=[f"rule={r.rule_id}" for r in report.runs])
    busy = [r for r in report.runs if r.status == "busy"]
    status = 409 if busy and len(busy) == len(report.runs) else 200
    return _page(results=report.runs, note=report.regroup_error), status


def _run_all(settings: Settings, as_of: str | None):
    try:
        as_of_date(as_of)  # a bad date is said now, not found by the background run
    except InputError as exc:
        return _page(error=str(exc)), 400
    started = ALL_RULES_RUN.start(settings, as_of, current_identity().name)
    record("alteration", "rule run", asked={"rules": ALL, "as_of": as_of or "today"},
           shown=["all rules started in the background" if started else
                  "not started: an all-rules run was already going"])
    if not started:
        return _page(error="All rules are already being run (see below); wait for that run "
                           "to finish."), 409
    return redirect(url_for("jobs.index"), 303)


def _page(results: list[RuleRun] | None = None, error: str | None = None,
          note: str | None = None) -> str:
    settings = get_settings()
    jobs = list_jobs(get_store(), settings, next_run_times(settings))
    return render_template("jobs/index.html", jobs=jobs,
                           results=results, error=error, note=note, all_rules=ALL,
                           background=ALL_RULES_RUN.snapshot())
