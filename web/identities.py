"""The review queue for intelligence officers: pairs of records side by side; confirm, reject or
undo a link, each with a reason (audited as a combination by graphsvc.identities.links)."""

from __future__ import annotations

import logging

from flask import Blueprint, redirect, render_template, request, url_for

from graphsvc.errors import GraphsvcError
from graphsvc.identities import DECISIONS
from graphsvc.identities.links import decide_link
from graphsvc.identities.review import review_queue
from web.context import get_settings, get_store
from web.security import current_identity, record, requires

log = logging.getLogger(__name__)

bp = Blueprint("identities", __name__, url_prefix="/identities")
NAV = [("identities.review", "Record links")]


def _page(*, error: str | None = None, done: str | None = None, status: int = 200):
    pairs = review_queue(get_store())
    record("consultation", "identity review queue", asked={"pairs": len(pairs)},
           shown=sorted({f"person_id={p}" for x in pairs for p in (x.link.a, x.link.b)}))
    return render_template("identities/review.html", pairs=pairs, error=error, done=done,
                           decisions=DECISIONS, form=request.form), status


@bp.route("/review")
@requires("intelligence")
def review():
    return _page(done=request.args.get("done"))


@bp.route("/decide", methods=["POST"])
@requires("intelligence")
def decide():
    identity = current_identity()
    first = (request.form.get("a") or "").strip()
    second = (request.form.get("b") or "").strip()
    decision = (request.form.get("decision") or "").strip()
    try:
        done = decide_link(get_store(), get_settings(), first, second, decision=decision,
                           reason=request.form.get("reason"), by=identity.name,
                           role=identity.role)
    except GraphsvcError as exc:
        return _page(error=str(exc), status=exc.http_status)
    said = {"confirm": "confirmed as one person", "reject": "recorded as two people",
            "undo": "decision undone"}[decision]
    return redirect(url_for("identities.review", done=f"{done.a} and {done.b}: {said}."), 303)
