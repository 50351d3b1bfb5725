"""Intelligence search: one box for people, addresses, vehicles and phones, with a reason.

The reason given for a search is kept in the session as the current enquiry, so the entity
pages opened from the results are recorded against it (web/entity.py).
"""

from __future__ import annotations

import logging

from flask import Blueprint, redirect, render_template, request, session, url_for

from graphsvc.errors import InputError
from graphsvc.flag_text import flag_words
from graphsvc.search import KINDS, check_justification, search_entities
from graphsvc.timing import part
from web.auth import _safe_next
from web.context import get_settings, get_store
from web.entity import bp as entity_bp
from web.security import current_identity, requires

log = logging.getLogger(__name__)

bp = Blueprint("search", __name__, url_prefix="/search")
bp.register_blueprint(entity_bp)
NAV = [("search.index", "Search")]

ENQUIRY = "enquiry_reason"  # session key: the reason the officer gave for the current enquiry


@bp.route("/", methods=["GET", "POST"])
@requires("intelligence")
def index():
    reason = session.get(ENQUIRY, "")
    if request.method == "GET":
        return render_template("search/index.html", q="", kind="auto", reason=reason,
                               kinds=KINDS, results=None)
    q = request.form.get("q", "").strip()
    kind = request.form.get("kind", "auto")
    reason = request.form.get("justification", "")
    page = request.form.get("page", "1").strip() or "1"
    if not page.isdigit():
        raise InputError(f"page must be a whole number, not {page[:20]!r}.")
    identity = current_identity()
    found = search_entities(get_settings(), get_store(), user=identity.name,
                            role=identity.role, text=q, kind=kind, justification=reason,
                            page=int(page))
    session[ENQUIRY] = check_justification(reason)
    with part("page"):
        return render_template("search/index.html", q=q, kind=kind, reason=session[ENQUIRY],
                               kinds=KINDS, found=found, results=found.results,
                               flag_text=flag_words(get_store(), [f for r in found.results
                                                                  for f in r.flags]))


@bp.route("/reason", methods=["POST"])
@requires("intelligence")
def set_reason():
    """Set the current enquiry's reason (asked for when an entity page is opened directly)."""
    session[ENQUIRY] = check_justification(request.form.get("justification", ""))
    return redirect(_safe_next(request.form.get("next")) or url_for("search.index"))
