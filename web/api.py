"""The JSON API for control room systems: `GET /api/v1/address-check` (bearer token or session)."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, jsonify

from graphsvc.address_check import SCHEMA_VERSION, as_json
from graphsvc.errors import InputError, NotFound
from web.address import ROLES, run_check
from web.openapi import document_text
from web.security import api_error, requires

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def plain(value: Any) -> Any:
    """JSON-ready values: dates as ISO 8601 text (Flask would write HTTP dates)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@bp.route("/address-check")
@requires(*ROLES, tokens=True)
def address_check():
    """Parameters: one of address_id, uprn, postcode, q, lat+lon, easting+northing;
    justification (required); radius_m (default: the proximity rule's radius); as_of
    (YYYY-MM-DD, default today)."""
    try:
        result, _query, _why = run_check("address check (API)")
    except InputError as exc:
        return api_error(400, str(exc))
    except NotFound as exc:
        return api_error(404, str(exc))
    response = jsonify(plain(as_json(result, shown=False)))
    response.headers["X-Schema-Version"] = SCHEMA_VERSION
    return response


@bp.route("/openapi.json")
@requires(*ROLES, tokens=True)
def openapi():
    """The API's OpenAPI 3.1 contract (also kept in docs/openapi.json)."""
    response = Response(document_text(), mimetype="application/json")
    response.headers["X-Schema-Version"] = SCHEMA_VERSION
    return response
