"""The cluster page and the decisions recorded in place on it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from graphsvc import clusters, dates, tasking
from graphsvc.errors import InputError, NotFound
from graphsvc.model import KIND_OF_KEY
from web.context import get_settings, get_store
from web.security import current_identity, record, requires
from web.tasking import ROLES, bp, justification

FORM_FIELDS = ("flag_id", "status", "action", "owner", "due_date", "reason")


@bp.route("/clusters/<cluster_id>", methods=["GET"])
@requires(*ROLES)
def cluster(cluster_id: str):
    reason = justification()
    if not reason:
        flash("Give a reason or incident number before viewing a cluster.", "error")
        return redirect(url_for("tasking.board"))
    return _render_cluster(cluster_id, reason)


def _render_cluster(cluster_id: str, reason: str, *, errors: str = "",
                    form: dict[str, str] | None = None, status: int = 200):
    settings = get_settings()
    data = tasking.cluster_page(get_store(), settings, cluster_id)
    meeting = tasking.current_meeting(settings)
    if meeting:  # the meeting has this cluster before it: its agenda item is reviewed
        tasking.mark_reviewed(settings, meeting["meeting_id"], cluster_id,
                              by=current_identity().name)
    _link_picture(data["picture"])
    record("consultation", "tasking cluster", asked={"cluster_id": cluster_id},
           shown=[f"cluster_id={cluster_id}"]
           + [f"flag_id={f['flag_id']}" for f in data["flags"]]
           + [e["key"] for e in data["entities"]]
           + [f"incident_id={i['incident_id']}" for i in data["incidents"]],
           justification=reason)
    return render_template("tasking/cluster.html", data=data, errors=errors, form=form or {},
                           meeting=meeting, decisions=tasking.DECISIONS,
                           rules=tasking.DECISION_RULES, today=dates.today()), status


def _link_picture(picture: dict[str, Any]) -> None:
    """Each node of the picture opens its entity page (search blueprint) when clicked."""
    for node in picture["nodes"]:
        prefix, _, key = node["id"].partition("=")
        if node["kind"] == "flag":
            prefix, key = "flag_id", node["id"].removeprefix("flag:")
        kind = KIND_OF_KEY.get(prefix)
        if kind and key:
            node["href"] = url_for("search.entity.show", kind=kind, key=key)


@bp.route("/clusters/<cluster_id>/decisions", methods=["POST"])
@requires(*ROLES)
def decide(cluster_id: str):
    settings = get_settings()
    who = current_identity()
    meeting = tasking.current_meeting(settings)
    form = {k: (request.form.get(k) or "").strip() for k in FORM_FIELDS}
    if meeting is None:
        flash("Open a meeting before recording decisions.", "error")
        return redirect(url_for("tasking.cluster", cluster_id=cluster_id))
    try:
        rows = tasking.decide(get_store(), settings, meeting_id=meeting["meeting_id"],
                              cluster_id=cluster_id, flag_id=form["flag_id"] or None,
                              by=who.name, status=form["status"], reason=form["reason"],
                              action=form["action"], owner=form["owner"],
                              due_date=form["due_date"])
    except InputError as exc:  # shown beside the form it came from, with what was typed
        return _render_cluster(cluster_id, justification() or "", errors=str(exc), form=form,
                               status=400)
    record("alteration", "tasking decision",
           asked={"meeting_id": meeting["meeting_id"], "cluster_id": cluster_id, **form},
           shown=[f"flag_id={r['flag_id']}" for r in rows],
           justification=f"Tasking meeting {meeting['meeting_id']}: {form['reason']}")
    what = tasking.DECISIONS[form["status"]].lower()
    subject = rows[0]["context"]["subject"] if len(rows) == 1 else None
    flash(f"Recorded '{what}' on {len(rows)} flag{'s' if len(rows) != 1 else ''} of "
          f"{cluster_id}{f' ({subject})' if subject else ''}. The board is up to date.",
          "success")
    try:
        clusters.get_cluster(settings, cluster_id)
    except NotFound:  # the decision closed its last open flag: back to the board
        return redirect(url_for("tasking.board"))
    return redirect(url_for("tasking.cluster", cluster_id=cluster_id))
