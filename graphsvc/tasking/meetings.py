"""Tasking meetings: opened with a copy of the board, closed, and compared with."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection

from graphsvc import appdata, clusters
from graphsvc.dates import parse_date, stamp
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.tasking.db import MEETINGS_LOCK

log = logging.getLogger(__name__)

def open_meeting(settings: Settings, *, held_on: date | str, chair: str,
                 attendees: Iterable[str] | str, by: str) -> dict[str, Any]:
    """Open a meeting, keep a copy of the clusters it starts from and build its agenda from
    the board; one meeting at a time."""
    held = parse_date(held_on, "meeting date")
    chair = (chair or "").strip()
    if isinstance(attendees, str):
        attendees = attendees.replace("\n", ",").split(",")
    people = [a.strip() for a in attendees if a and a.strip()]
    problems = []
    if held is None:
        problems.append("Give the meeting's date.")
    if not chair:
        problems.append("Say who chairs the meeting.")
    if problems or held is None:
        raise InputError(" ".join(problems))
    with appdata.transaction(settings) as conn:
        appdata.lock_chain(conn, MEETINGS_LOCK)
        current = appdata.run(conn, "tasking/open_meeting").mappings().first()
        if current:
            raise InputError(f"Meeting {current['meeting_id']} of {current['held_on']} is "
                             "still open; close it before opening another.")
        since = last_closed(conn)
        meeting_id = int(appdata.run(
            conn, "tasking/insert_meeting", held_on=held.isoformat(), chair=chair,
            attendees=json.dumps(people), opened_at=stamp(), opened_by=by).scalar_one())
        _snapshot(conn, meeting_id)
        from graphsvc.tasking.agenda import build_agenda  # the agenda reads meetings

        build_agenda(conn, meeting_id, held, by, since)
    log.info("Tasking meeting %s opened by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def require_open(conn: Connection, meeting_id: int, why_not: str) -> None:
    """NotFound when there is no such meeting; InputError ("Meeting 3 is closed (closed at
    …): <why_not>.") when it is closed."""
    row = appdata.run(conn, "tasking/meeting", meeting_id=meeting_id).mappings().first()
    if row is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    if row["closed_at"]:
        raise InputError(f"Meeting {meeting_id} is closed (closed at {row['closed_at']}): "
                         f"{why_not}.")


def close_meeting(settings: Settings, meeting_id: int, *, by: str) -> dict[str, Any]:
    """Close a meeting; its copy of the clusters becomes what the next meeting compares with."""
    with appdata.transaction(settings) as conn:
        appdata.lock_chain(conn, MEETINGS_LOCK)
        require_open(conn, meeting_id, "it was already closed")
        _snapshot(conn, meeting_id)
        appdata.run(conn, "tasking/close_meeting", closed_at=stamp(), closed_by=by,
                    meeting_id=meeting_id)
    log.info("Tasking meeting %s closed by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def _snapshot(conn: Connection, meeting_id: int) -> None:
    """Copy the latest clustering's memberships into the meeting (replacing an earlier copy)."""
    run = clusters.latest_run_id(conn)
    appdata.run(conn, "tasking/delete_meeting_clusters", meeting_id=meeting_id)
    appdata.run(conn, "tasking/set_meeting_run", run_id=run, meeting_id=meeting_id)
    if run is None:
        return
    members = clusters.run_members(conn, run)
    appdata.run_many(conn, "tasking/copy_meeting_cluster", [
        {"meeting_id": meeting_id, "members_json": json.dumps(sorted(m)), "run_id": run,
         "cluster_id": cid} for cid, m in members.items()])


def meeting_dict(row: Mapping[Any, Any]) -> dict[str, Any]:
    meeting = dict(row)
    meeting["attendees"] = json.loads(meeting["attendees"])
    meeting["is_open"] = meeting["closed_at"] is None
    return meeting


def get_meeting(settings: Settings, meeting_id: int) -> dict[str, Any]:
    with appdata.transaction(settings, write=False) as conn:
        row = appdata.run(conn, "tasking/meeting", meeting_id=meeting_id).mappings().first()
    if row is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting_dict(row)


def current_meeting(settings: Settings) -> dict[str, Any] | None:
    """The meeting now open, if any."""
    with appdata.transaction(settings, write=False) as conn:
        return open_meeting_in(conn)


def open_meeting_in(conn: Connection) -> dict[str, Any] | None:
    row = appdata.run(conn, "tasking/open_meeting").mappings().first()
    return meeting_dict(row) if row else None


def list_meetings(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Meetings, newest first, with how many decisions each took."""
    with appdata.transaction(settings, write=False) as conn:
        rows = appdata.run(conn, "tasking/list_meetings", limit=limit).mappings().all()
    return [meeting_dict(r) for r in rows]


def last_closed(conn: Connection) -> dict[str, Any] | None:
    row = appdata.run(conn, "tasking/last_closed_meeting").mappings().first()
    return meeting_dict(row) if row else None


def baseline(conn: Connection, meeting_id: int) -> dict[str, set[str]]:
    return {cid: set(json.loads(members)) for cid, members in
            appdata.run(conn, "tasking/meeting_clusters", meeting_id=meeting_id)}


def compare_with(baseline: dict[str, set[str]] | None, cluster: dict[str, Any]) -> dict[str, Any]:
    """Whether a cluster is new or changed since a meeting's copy, and which of its flags are new.

    >>> compare_with({"C-1": {"flag:a", "person_id=P1"}},
    ...              {"cluster_id": "C-1", "members": ["flag:a", "flag:b", "person_id=P1"]})
    {'change': 'changed', 'note': '1 flag joined', 'new_flags': ['b']}
    >>> compare_with({}, {"cluster_id": "C-2", "members": ["flag:c"]})["change"]
    'new'
    """
    if baseline is None:
        return {"change": None, "note": "", "new_flags": []}
    before = baseline.get(cluster["cluster_id"])
    members = set(cluster["members"])
    seen_flags = set().union(*baseline.values()) if baseline else set()
    new_flags = sorted(m.split(":", 1)[1] for m in members
                       if m.startswith("flag:") and m not in seen_flags)
    if before is None:
        return {"change": "new", "note": "not on the board at the last meeting",
                "new_flags": new_flags}
    if before == members:
        return {"change": "unchanged", "note": "", "new_flags": new_flags}
    return {"change": "changed", "note": clusters.describe_change(before, members),
            "new_flags": new_flags}


def set_attendance(settings: Settings, meeting_id: int, attendees: Iterable[str] | str) -> None:
    """Record who attends an open meeting (names and agencies), replacing the list."""
    if isinstance(attendees, str):
        attendees = attendees.replace("\n", ",").split(",")
    people = [a.strip() for a in attendees if a and a.strip()]
    with appdata.transaction(settings) as conn:
        require_open(conn, meeting_id, "its attendance stands")
        appdata.run(conn, "tasking/set_attendees", attendees=json.dumps(people),
                    meeting_id=meeting_id)
