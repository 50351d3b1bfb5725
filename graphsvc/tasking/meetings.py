"""Tasking meetings: opened with a copy of the board, closed, and compared with."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

from graphsvc import appdb, clusters
from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.tasking.db import now as _now
from graphsvc.tasking.db import open_db

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
    if problems:
        raise InputError(" ".join(problems))
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            current = conn.execute("SELECT meeting_id, held_on FROM tasking_meetings "
                                   "WHERE closed_at IS NULL").fetchone()
            if current:
                raise InputError(f"Meeting {current['meeting_id']} of {current['held_on']} is "
                                 "still open; close it before opening another.")
            since = last_closed(conn)
            meeting_id = conn.execute(
                "INSERT INTO tasking_meetings (held_on, chair, attendees, opened_at, opened_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (held.isoformat(), chair, json.dumps(people), _now(), by)).lastrowid
            _snapshot(conn, meeting_id)
            from graphsvc.tasking.agenda import build_agenda  # the agenda reads meetings

            build_agenda(conn, meeting_id, held, by, since)
    finally:
        conn.close()
    log.info("Tasking meeting %s opened by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def require_open(conn: sqlite3.Connection, meeting_id: int, why_not: str) -> None:
    """NotFound when there is no such meeting; InputError ("Meeting 3 is closed (closed at
    …): <why_not>.") when it is closed."""
    row = conn.execute("SELECT closed_at FROM tasking_meetings WHERE meeting_id = ?",
                       (meeting_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    if row["closed_at"]:
        raise InputError(f"Meeting {meeting_id} is closed (closed at {row['closed_at']}): "
                         f"{why_not}.")


def close_meeting(settings: Settings, meeting_id: int, *, by: str) -> dict[str, Any]:
    """Close a meeting; its copy of the clusters becomes what the next meeting compares with."""
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            require_open(conn, meeting_id, "it was already closed")
            _snapshot(conn, meeting_id)
            conn.execute("UPDATE tasking_meetings SET closed_at = ?, closed_by = ? "
                         "WHERE meeting_id = ?", (_now(), by, meeting_id))
    finally:
        conn.close()
    log.info("Tasking meeting %s closed by %s", meeting_id, by)
    return get_meeting(settings, meeting_id)


def _snapshot(conn: sqlite3.Connection, meeting_id: int) -> None:
    """Copy the latest clustering's memberships into the meeting (replacing an earlier copy)."""
    run = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()["run_id"]
    conn.execute("DELETE FROM tasking_meeting_clusters WHERE meeting_id = ?", (meeting_id,))
    conn.execute("UPDATE tasking_meetings SET cluster_run_id = ? WHERE meeting_id = ?",
                 (run, meeting_id))
    if run is None:
        return
    members: dict[str, list[str]] = {}
    for row in conn.execute("SELECT cluster_id, member FROM cluster_members WHERE run_id = ?",
                            (run,)):
        members.setdefault(row["cluster_id"], []).append(row["member"])
    conn.executemany(
        "INSERT INTO tasking_meeting_clusters (meeting_id, cluster_id, rank, score, members_json) "
        "SELECT ?, cluster_id, rank, score, ? FROM cluster_snapshots "
        "WHERE run_id = ? AND cluster_id = ?",
        [(meeting_id, json.dumps(sorted(m)), run, cid) for cid, m in members.items()])


def meeting_dict(row: sqlite3.Row) -> dict[str, Any]:
    meeting = dict(row)
    meeting["attendees"] = json.loads(meeting["attendees"])
    meeting["is_open"] = meeting["closed_at"] is None
    return meeting


def get_meeting(settings: Settings, meeting_id: int) -> dict[str, Any]:
    conn = open_db(settings)
    try:
        row = conn.execute("SELECT * FROM tasking_meetings WHERE meeting_id = ?",
                           (meeting_id,)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting_dict(row)


def current_meeting(settings: Settings) -> dict[str, Any] | None:
    """The meeting now open, if any."""
    conn = open_db(settings)
    try:
        row = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NULL").fetchone()
    finally:
        conn.close()
    return meeting_dict(row) if row else None


def list_meetings(settings: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """Meetings, newest first, with how many decisions each took."""
    conn = open_db(settings)
    try:
        rows = conn.execute(
            "SELECT m.*, (SELECT count(*) FROM tasking_decisions d "
            "WHERE d.meeting_id = m.meeting_id) AS decisions FROM tasking_meetings m "
            "ORDER BY m.meeting_id DESC LIMIT ?", (limit,)).fetchall()
    finally:
        conn.close()
    return [meeting_dict(r) for r in rows]


def last_closed(conn: sqlite3.Connection) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NOT NULL "
                       "ORDER BY closed_at DESC, meeting_id DESC LIMIT 1").fetchone()
    return meeting_dict(row) if row else None


def baseline(conn: sqlite3.Connection, meeting_id: int) -> dict[str, set[str]]:
    return {r["cluster_id"]: set(json.loads(r["members_json"])) for r in conn.execute(
        "SELECT cluster_id, members_json FROM tasking_meeting_clusters WHERE meeting_id = ?",
        (meeting_id,))}


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
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            require_open(conn, meeting_id, "its attendance stands")
            conn.execute("UPDATE tasking_meetings SET attendees = ? WHERE meeting_id = ?",
                         (json.dumps(people), meeting_id))
    finally:
        conn.close()
