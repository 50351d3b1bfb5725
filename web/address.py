"""The address check page: find an address, say why, see what officers going there must know."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, render_template, request

from graphsvc import address_check
from graphsvc.errors import InputError, NotFound
from graphsvc.model import ADDRESS_CHECK_ROLES
from graphsvc.rules.config import proximity_radius_m
from graphsvc.validate import check_justification
from web.context import get_settings, get_store
from web.security import current_identity, record, requires

log = logging.getLogger(__name__)

bp = Blueprint("address", __name__, url_prefix="/address-check")
NAV = [("address.check", "Address check")]

# docs/roles.md: admins administer; they do not check addresses (need to know).
ROLES = ADDRESS_CHECK_ROLES


def query_from_form(form: Any) -> dict[str, str]:
    """The address query a form (or API call) gives: coordinates, an id, or the one search box."""
    fields = {k: (form.get(k) or "").strip() for k in address_check.QUERY_KEYS}
    if any(fields[k] for k in ("address_id", "uprn", "postcode", "q", "lat", "lon", "easting",
                               "northing")):
        return {k: v for k, v in fields.items() if v}
    return address_check.interpret(form.get("find", ""))


def justification_from(form: Any) -> str:
    return check_justification(form.get("justification"),
                               "Give the reason for this check or the incident number",
                               ": it is recorded in the audit log")


def run_check(action: str, kind: str = "consultation"
              ) -> tuple[address_check.Answer, dict[str, str], str]:
    """Parse, check, audit: the one path the page, the briefing and the API share."""
    identity = current_identity()
    query = query_from_form(request.values)
    justification = justification_from(request.values)
    radius = request.values.get("radius_m")
    as_of = request.values.get("as_of")
    asked = {**query, **({"radius_m": radius} if radius else {}),
             **({"as_of": as_of} if as_of else {})}
    try:
        result = address_check.check_address(
            get_store(), query, role=identity.role, as_of=as_of, radius_m=radius,
            default_radius_m=default_radius(), tile_url=get_settings().tile_url)
    except NotFound:
        record(kind, action, asked=asked, shown=[], justification=justification)
        raise
    record(kind, action if result.status == "found" else f"{action} (candidates)",
           asked=asked, shown=result.shown, justification=justification)
    return result, query, justification


def default_radius() -> int:
    """The proximity rule's radius (rules.toml): the check's radius when none is given."""
    return proximity_radius_m(get_settings())


def _form_values() -> dict[str, str]:
    keys = ("find", "justification", "radius_m", "lat", "lon", "easting", "northing")
    return {k: (request.values.get(k) or "").strip() for k in keys}


@bp.route("/", methods=["GET", "POST"])
@requires(*ROLES)
def check():
    if request.method == "GET":
        return render_template("address/check.html", form=_form_values(), result=None,
                               default_radius=default_radius())
    try:
        result, query, justification = run_check("address check")
    except (InputError, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return render_template("address/check.html", form=_form_values(), result=None,
                               error=str(exc), default_radius=default_radius()
                               ), status
    return render_template("address/check.html", form=_form_values(), result=result,
                           justification=justification,
                           default_radius=default_radius())


@bp.route("/briefing", methods=["POST"])
@requires(*ROLES)
def briefing():
    """A one-page printable briefing of a check (a disclosure: it leaves the screen)."""
    result, query, justification = run_check("address check briefing printed", "disclosure")
    if result.status != "found":
        raise InputError("Choose one address before printing a briefing.")
    return render_template("address/briefing.html", result=result, justification=justification)
