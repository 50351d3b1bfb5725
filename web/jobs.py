"""The admin jobs page: each rule's schedule, last and next run, and a "Run now" button.

It shows and runs rules through graphsvc.rules.overview, as `graphsvc jobs list|run` do.
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request

from graphsvc import clusters
from graphsvc.errors import InputError
from graphsvc.rules.overview import flags_changed, list_jobs, run_now
from web.context import get_settings, get_store
from web.security import record, requires

log = logging.getLogger(__name__)

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")
ALL = "all"


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
    ids = [] if chosen in ("", ALL) else [chosen]
    try:
        results = run_now(store, settings, ids, as_of=as_of, trigger="web")
    except InputError as exc:
        return _page(error=str(exc)), 400
    record("alteration", "rule run", asked={"rules": ids or ALL, "as_of": as_of or "today"},
           shown=[f"rule={r['rule_id']}" for r in results])
    note = None
    if flags_changed(results):
        try:
            clusters.recompute(store, settings)
        except Exception:  # the rules ran: say the board is stale, do not hide the results
            log.exception("Recomputing clusters after a manual rule run failed")
            note = ("The tasking clusters could not be recomputed; the board shows the previous "
                    "clustering until the next run. The details are in the server log.")
    busy = [r for r in results if r.get("status") == "busy"]
    status = 409 if busy and len(busy) == len(results) else 200
    return _page(results=results, note=note), status


def _page(results: list[dict] | None = None, error: str | None = None,
          note: str | None = None) -> str:
    settings = get_settings()
    return render_template("jobs/index.html", jobs=list_jobs(get_store(), settings),
                           results=results, error=error, note=note, all_rules=ALL)
