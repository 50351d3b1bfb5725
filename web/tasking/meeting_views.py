"""Board, meetings (open, agenda, attendance, close), minutes and outstanding actions."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, flash, redirect, render_template, request, session, url_for

from graphsvc import dates, tasking
from graphsvc.errors import InputError, NotFound
from graphsvc.validate import check_justification
from web.context import get_settings, get_store
from web.security import current_identity, record, requires
from web.tasking import REASON_KEY, ROLES, bp, justification


@bp.route("/", methods=["GET"])
@requires(*ROLES)
def board():
    settings = get_settings()
    reason = justification()
    if not reason:
        return render_template("tasking/reason.html", meetings=tasking.list_meetings(settings, 5),
                               today=dates.today())
    data = tasking.board(get_store(), settings, view=request.args.get("view", "top"))
    items = tasking.agenda(settings, data["meeting"]["meeting_id"]) if data["meeting"] else []
    record("consultation", "tasking board",
           asked={"as_of": data["as_of"].isoformat(), "view": data["view"]},
           shown=[f"cluster_id={c['cluster_id']}" for c in data["clusters"]]
           + [f"flag_id={o['flag_id']}" for o in data["overdue"]],
           justification=reason)
    return render_template("tasking/board.html", data=data, reason=reason, today=dates.today(),
                           top=tasking.BOARD_TOP, agenda=items)


@bp.route("/reason", methods=["POST"])
@requires(*ROLES)
def give_reason():
    try:
        reason = check_justification(request.form.get("justification"),
                                     "Give a reason or incident number before viewing the board")
    except InputError as exc:
        flash(str(exc), "error")
        return render_template("tasking/reason.html", today=dates.today(),
                               meetings=tasking.list_meetings(get_settings(), 5)), 400
    session[REASON_KEY] = reason
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
    items = tasking.agenda(get_settings(), meeting["meeting_id"])
    record("alteration", "open tasking meeting", asked=_meeting_asked(meeting),
           shown=[f"meeting_id={meeting['meeting_id']}"]
           + [f"cluster_id={i['cluster_id']}" for i in items],
           justification=f"Tasking meeting {meeting['meeting_id']}")
    flash(f"Meeting {meeting['meeting_id']} is open with an agenda of {len(items)} "
          f"cluster{'s' if len(items) != 1 else ''}. Decisions are recorded in its minutes.",
          "success")
    return redirect(url_for("tasking.board"))


@bp.route("/meetings/<int(max=2147483647):meeting_id>/close", methods=["POST"])
@requires(*ROLES)
def close_meeting(meeting_id: int):
    meeting = tasking.close_meeting(get_settings(), meeting_id, by=current_identity().name)
    record("alteration", "close tasking meeting", asked=_meeting_asked(meeting),
           shown=[f"meeting_id={meeting_id}"], justification=f"Tasking meeting {meeting_id}")
    flash(f"Meeting {meeting_id} is closed. The next meeting will see what changed since now; "
          "items not reached are carried over to its agenda.", "success")
    return redirect(url_for("tasking.minutes", meeting_id=meeting_id))


def _meeting_asked(meeting: dict[str, Any]) -> dict[str, Any]:
    return {"meeting_id": meeting["meeting_id"], "held_on": meeting["held_on"],
            "chair": meeting["chair"], "attendees": meeting["attendees"]}


@bp.route("/meetings/<int(max=2147483647):meeting_id>/attendance", methods=["POST"])
@requires(*ROLES)
def attendance(meeting_id: int):
    attendees = request.form.get("attendees", "")
    try:
        tasking.set_attendance(get_settings(), meeting_id, attendees)
    except InputError as exc:
        flash(str(exc), "error")
        return redirect(url_for("tasking.board"))
    record("alteration", "tasking attendance", asked={"meeting_id": meeting_id,
                                                      "attendees": attendees},
           shown=[f"meeting_id={meeting_id}"], justification=f"Tasking meeting {meeting_id}")
    flash("Attendance recorded.", "success")
    return redirect(url_for("tasking.board") + "#agenda")


@bp.route("/meetings/<int(max=2147483647):meeting_id>/agenda", methods=["POST"])
@requires(*ROLES)
def agenda_add(meeting_id: int):
    cluster_id = request.form.get("cluster_id", "")
    try:
        item = tasking.add_item(get_settings(), meeting_id, cluster_id,
                                by=current_identity().name)
    except (InputError, NotFound) as exc:
        flash(f"Not added: {exc}", "error")
        return redirect(url_for("tasking.board") + "#agenda")
    record("alteration", "tasking agenda add", asked={"meeting_id": meeting_id,
                                                      "cluster_id": cluster_id},
           shown=[f"cluster_id={item['cluster_id']}"],
           justification=f"Tasking meeting {meeting_id}")
    flash(f"Cluster {item['cluster_id']} added to the agenda.", "success")
    return redirect(url_for("tasking.board") + "#agenda")


@bp.route("/meetings/<int(max=2147483647):meeting_id>/agenda/<int(max=2147483647):item_id>",
          methods=["POST"])
@requires(*ROLES)
def agenda_change(meeting_id: int, item_id: int):
    what = request.form.get("change", "")
    try:
        if what == "remove":
            tasking.remove_item(get_settings(), meeting_id, item_id)
        else:
            tasking.move_item(get_settings(), meeting_id, item_id, what)
    except InputError as exc:
        flash(str(exc), "error")
        return redirect(url_for("tasking.board") + "#agenda")
    record("alteration", f"tasking agenda {what}", asked={"meeting_id": meeting_id,
                                                          "item_id": item_id},
           shown=[f"meeting_id={meeting_id}"], justification=f"Tasking meeting {meeting_id}")
    return redirect(url_for("tasking.board") + "#agenda")


@bp.route("/meetings/<int(max=2147483647):meeting_id>/minutes", methods=["GET"])
@requires(*ROLES)
def minutes(meeting_id: int):
    data = tasking.minutes(get_settings(), meeting_id, store=get_store())
    record("disclosure", "tasking minutes", asked={"meeting_id": meeting_id},
           shown=_minutes_shown(data), justification=f"Minutes of tasking meeting {meeting_id}")
    return render_template("tasking/minutes.html", data=data)


@bp.route("/meetings/<int(max=2147483647):meeting_id>/minutes.csv", methods=["GET"])
@requires(*ROLES)
def minutes_csv(meeting_id: int):
    data = tasking.minutes(get_settings(), meeting_id, store=get_store())
    out = io.StringIO()
    tasking.write_minutes_csv(data, out)
    record("disclosure", "tasking minutes CSV", asked={"meeting_id": meeting_id},
           shown=_minutes_shown(data), justification=f"Minutes of tasking meeting {meeting_id}")
    name = f"tasking-minutes-{meeting_id}-{data['meeting']['held_on']}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _minutes_shown(data: dict[str, Any]) -> list[str]:
    return [f"flag_id={d['flag_id']}" for d in data["decisions"]] + \
        [f"cluster_id={i['cluster_id']}" for i in data["reviewed"]]


@bp.route("/actions", methods=["GET"])
@requires(*ROLES)
def actions():
    reason = justification()
    if not reason:
        flash("Give a reason or incident number before viewing the actions.", "error")
        return redirect(url_for("tasking.board"))
    data = tasking.list_actions(get_store(), get_settings(), owner=request.args.get("owner"))
    record("consultation", "tasking actions", asked={"owner": data["owner"]},
           shown=[f"flag_id={a['flag_id']}" for a in data["actions"]], justification=reason)
    return render_template("tasking/actions.html", data=data)
