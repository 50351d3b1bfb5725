"""The tasking board: clusters ranked, meetings opened and closed, decisions, minutes.

Role `tasking` only: a tasking meeting's board is personal data about children and offenders,
and admins who chair a meeting use a tasking account (least privilege).
"""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for

from graphsvc import tasking
from graphsvc.entity import KIND_OF_KEY
from graphsvc.errors import InputError
from web.context import get_settings, get_store
from web.security import current_identity, record, requires

log = logging.getLogger(__name__)

bp = Blueprint("tasking", __name__, url_prefix="/tasking")
NAV = [("tasking.board", "Tasking board")]
ROLES = ("tasking",)
_REASON_KEY = "tasking_reason"


def tasking_justification() -> str | None:
    """Why the user is looking: the open meeting, or the reason they gave this session."""
    meeting = tasking.current_meeting(get_settings())
    if meeting:
        return f"Tasking meeting {meeting['meeting_id']} of {meeting['held_on']}"
    return session.get(_REASON_KEY)


@bp.route("/", methods=["GET"])
@requires(*ROLES)
def board():
    settings = get_settings()
    reason = tasking_justification()
    if not reason:
        return render_template("tasking/reason.html", meetings=tasking.list_meetings(settings, 5),
                               today=date.today())
    data = tasking.board(get_store(), settings, view=request.args.get("view", "top"))
    record("consultation", "tasking board",
           asked={"as_of": data["as_of"].isoformat(), "view": data["view"]},
           shown=[f"cluster_id={c['cluster_id']}" for c in data["clusters"]]
           + [f"flag_id={o['flag_id']}" for o in data["overdue"]],
           justification=reason)
    return render_template("tasking/board.html", data=data, reason=reason, today=date.today(),
                           top=tasking.BOARD_TOP)


@bp.route("/reason", methods=["POST"])
@requires(*ROLES)
def give_reason():
    reason = (request.form.get("justification") or "").strip()
    if not reason:
        flash("Give a reason or incident number before viewing the board.", "error")
        return render_template("tasking/reason.html", today=date.today(),
                               meetings=tasking.list_meetings(get_settings(), 5)), 400
    session[_REASON_KEY] = reason[:500]
    return redirect(url_for("tasking.board"))


@bp.route("/meetings", methods=["GET"])
@requires(*ROLES)
def meetings():
    return render_template("tasking/meetings.html",
                           meetings=tasking.list_meetings(get_settings(), 200))


@bp.route("/meetings", methods=["POST"])
@requires(*ROLES)
def open_meeting():
    who = current_identity()
    form = request.form
    try:
        meeting = tasking.open_meeting(get_settings(), held_on=form.get("held_on", ""),
                                       chair=form.get("chair", ""),
                                       attendees=form.get("attendees", ""), by=who.name)
    except InputError as exc:
        flash(str(exc), "error")
        return redirect(url_for("tasking.board"))
    record("alteration", "open tasking meeting", asked=_meeting_asked(meeting),
           shown=[f"meeting_id={meeting['meeting_id']}"],
           justification=f"Tasking meeting {meeting['meeting_id']}")
    flash(f"Meeting {meeting['meeting_id']} is open. Decisions are recorded in its minutes.",
          "success")
    return redirect(url_for("tasking.board"))


@bp.route("/meetings/<int(max=2147483647):meeting_id>/close", methods=["POST"])
@requires(*ROLES)
def close_meeting(meeting_id: int):
    meeting = tasking.close_meeting(get_settings(), meeting_id, by=current_identity().name)
    record("alteration", "close tasking meeting", asked=_meeting_asked(meeting),
           shown=[f"meeting_id={meeting_id}"], justification=f"Tasking meeting {meeting_id}")
    flash(f"Meeting {meeting_id} is closed. The next meeting will see what changed since now.",
          "success")
    return redirect(url_for("tasking.minutes", meeting_id=meeting_id))


def _meeting_asked(meeting: dict[str, Any]) -> dict[str, Any]:
    return {"meeting_id": meeting["meeting_id"], "held_on": meeting["held_on"],
            "chair": meeting["chair"], "attendees": meeting["attendees"]}


@bp.route("/clusters/<cluster_id>", methods=["GET"])
@requires(*ROLES)
def cluster(cluster_id: str):
    reason = tasking_justification()
    if not reason:
        flash("Give a reason or incident number before viewing a cluster.", "error")
        return redirect(url_for("tasking.board"))
    return _render_cluster(cluster_id, reason)


def _render_cluster(cluster_id: str, reason: str, *, errors: str = "",
                    form: dict[str, str] | None = None, status: int = 200):
    settings = get_settings()
    data = tasking.cluster_page(get_store(), settings, cluster_id)
    _link_picture(data["picture"])
    record("consultation", "tasking cluster", asked={"cluster_id": cluster_id},
           shown=[f"cluster_id={cluster_id}"]
           + [f"flag_id={f['flag_id']}" for f in data["flags"]]
           + [e["key"] for e in data["entities"]]
           + [f"incident_id={i['incident_id']}" for i in data["incidents"]],
           justification=reason)
    return render_template("tasking/cluster.html", data=data, errors=errors, form=form or {},
                           meeting=tasking.current_meeting(settings),
                           decisions=tasking.DECISIONS, today=date.today()), status


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
    form = {k: (request.form.get(k) or "").strip()
            for k in ("flag_id", "status", "action", "owner", "due_date", "reason")}
    if meeting is None:
        flash("Open a meeting before recording decisions.", "error")
        return redirect(url_for("tasking.cluster", cluster_id=cluster_id))
    try:
        rows = tasking.decide(get_store(), settings, meeting_id=meeting["meeting_id"],
                              cluster_id=cluster_id, flag_id=form["flag_id"] or None,
                              by=who.name, status=form["status"], reason=form["reason"],
                              action=form["action"], owner=form["owner"],
                              due_date=form["due_date"])
    except InputError as exc:
        return _render_cluster(cluster_id, tasking_justification() or "", errors=str(exc),
                               form=form, status=400)
    record("alteration", "tasking decision",
           asked={"meeting_id": meeting["meeting_id"], "cluster_id": cluster_id, **form},
           shown=[f"flag_id={r['flag_id']}" for r in rows],
           justification=f"Tasking meeting {meeting['meeting_id']}: {form['reason']}")
    what = tasking.DECISIONS[form["status"]].lower()
    flash(f"Recorded '{what}' on {len(rows)} flag{'s' if len(rows) != 1 else ''} of "
          f"{cluster_id}.", "success")
    return redirect(url_for("tasking.cluster", cluster_id=cluster_id))


@bp.route("/meetings/<int(max=2147483647):meeting_id>/minutes", methods=["GET"])
@requires(*ROLES)
def minutes(meeting_id: int):
    data = tasking.minutes(get_settings(), meeting_id)
    record("disclosure", "tasking minutes", asked={"meeting_id": meeting_id},
           shown=[f"flag_id={d['flag_id']}" for d in data["decisions"]],
           justification=f"Minutes of tasking meeting {meeting_id}")
    return render_template("tasking/minutes.html", data=data)


@bp.route("/meetings/<int(max=2147483647):meeting_id>/minutes.csv", methods=["GET"])
@requires(*ROLES)
def minutes_csv(meeting_id: int):
    data = tasking.minutes(get_settings(), meeting_id)
    out = io.StringIO()
    tasking.write_minutes_csv(data, out)
    record("disclosure", "tasking minutes CSV", asked={"meeting_id": meeting_id},
           shown=[f"flag_id={d['flag_id']}" for d in data["decisions"]],
           justification=f"Minutes of tasking meeting {meeting_id}")
    name = f"tasking-minutes-{meeting_id}-{data['meeting']['held_on']}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
