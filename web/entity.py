"""Entity pages: details, links to a chosen depth as a list and a graph picture, timeline,
open flags, and exports of the view. Nested under the search blueprint (/search/entity/...)."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from graphsvc.entity import (
    ICONS,
    LINK_TYPES,
    MAX_DEPTH,
    PAGE_SIZE,
    detail_groups,
    parse_chart_state,
    view_entity,
    view_expansion,
)
from graphsvc.errors import InputError
from graphsvc.exports import FORMATS, export_view
from graphsvc.flag_text import flag_words
from graphsvc.model import KINDS
from web.context import get_settings, get_store
from web.security import current_identity, requires

log = logging.getLogger(__name__)

bp = Blueprint("entity", __name__, url_prefix="/entity")

ENQUIRY = "enquiry_reason"  # the same session key as web/search.py


def _int_arg(source, name: str, default: int) -> int:
    raw = source.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name} must be a whole number, not {raw!r}.") from None


def _view_args(source) -> dict:
    return {"depth": _int_arg(source, "depth", 1), "page": _int_arg(source, "page", 1),
            "types": [t for t in source.getlist("type") if t]}


def _with_links(view, args: dict) -> dict:
    """The graph JSON with each node's page (`href`); the chart expands a node in place at
    its page's path + `/expand.json` (js/graph.js)."""
    data = view.graph_json()
    for node in data["nodes"]:
        node["href"] = url_for("search.entity.show", kind=node["kind"], key=node["key"],
                               depth=args["depth"], type=args["types"])
    return data


def _reason() -> str | None:
    """The reason the page is opened for: the intelligence officer's current enquiry, or for
    the tasking role the meeting's (or the board's) reason, never one typed for the page."""
    if current_identity().role == "tasking":
        from web.tasking import justification as tasking_justification

        return tasking_justification()
    return session.get(ENQUIRY)


@bp.route("/<kind>/<path:key>")
@requires("intelligence", "tasking")
def show(kind: str, key: str):
    reason = _reason()
    if not reason:
        if current_identity().role == "tasking":
            return redirect(url_for("tasking.board"))
        return render_template("entity/reason.html", next=request.full_path)
    identity = current_identity()
    args = _view_args(request.args)
    view = view_entity(get_settings(), get_store(), user=identity.name, role=identity.role,
                       kind=kind, key=key, justification=reason, **args)
    shown = list(view.flags)
    if view.root.kind == "flag":
        shown.append({"flag_id": view.root.key,
                      "summary": view.root.props.get("summary"),
                      "concerned_keys": list(view.nodes)})
    say = flag_words(get_store(), shown)
    lead = say(shown[-1], view.names) if view.root.kind == "flag" else ""  # in names, not ids
    return render_template("entity/show.html", view=view, graph=_with_links(view, args),
                           details=detail_groups(view.root, skip={"summary"} if lead else None),
                           flag_text=say, lead=lead,
                           link_types=LINK_TYPES, max_depth=MAX_DEPTH, page_size=PAGE_SIZE,
                           formats=FORMATS, kinds=KINDS, icons=ICONS, reason=reason,
                           can_export=identity.role == "intelligence")


@bp.route("/<kind>/<path:key>/graph.json")
@requires("intelligence", "tasking")
def graph(kind: str, key: str):
    """`{nodes, edges}` for web/static/js/graph.js (recorded like the page itself)."""
    reason = _reason()
    if not reason:
        raise InputError("Give the reason for this enquiry first (search, or open the page).")
    identity = current_identity()
    view = view_entity(get_settings(), get_store(), user=identity.name, role=identity.role,
                       kind=kind, key=key, justification=reason, **_view_args(request.args))
    return jsonify(_with_links(view, _view_args(request.args)))


@bp.route("/<kind>/<path:key>/expand.json")
@requires("intelligence", "tasking")
def expand(kind: str, key: str):
    """One node's links of one type (`type`, all when blank), page `page`: what the link chart
    adds when the officer expands a node in place (recorded like the page)."""
    reason = session.get(ENQUIRY)
    if not reason:
        raise InputError("Give the reason for this enquiry first (search, or open the page).")
    identity = current_identity()
    if kind not in KINDS:
        raise InputError(f"There is no kind of entity called {kind!r}.")
    view = view_expansion(get_settings(), get_store(), user=identity.name, role=identity.role,
                          node=f"{KINDS[kind].key}={key}", link_type=request.args.get("type", ""),
                          page=_int_arg(request.args, "page", 1), justification=reason)
    return jsonify(_with_links(view, {"depth": 1, "types": []}))


@bp.route("/<kind>/<path:key>/export", methods=["POST"])
@requires("intelligence")
def export(kind: str, key: str):
    identity = current_identity()
    fmt = request.form.get("format", "")
    expansions, shown = parse_chart_state(request.form.get("chart_state", ""))
    name, data = export_view(get_settings(), get_store(), user=identity.name,
                             role=identity.role, kind=kind, key=key, fmt=fmt,
                             justification=request.form.get("justification", ""),
                             expansions=expansions, shown=shown, **_view_args(request.form))
    media = FORMATS[fmt][1]
    return Response(data, mimetype=media.split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        **({"Content-Type": media} if ";" in media else {})})
