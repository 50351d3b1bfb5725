"""A meeting's agenda: built from the ranked board when the meeting opens, edited by the chair.

At county scale thousands of clusters are open and a meeting reviews perhaps 20 to 40, so the
agenda takes, in this order: items the last meeting did not reach (carried over), clusters with
an action due by the meeting's date (overdue actions come back by themselves), the
highest-ranked clusters new or changed since the last meeting, and the top clusters by score.
Each item keeps the flags its cluster had, so it follows the situation if a later clustering
gives it another id. Viewing a cluster during the meeting marks its item reviewed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date
from typing import Any

from graphsvc import appdb, clusters
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.tasking.db import now as _now
from graphsvc.tasking.db import open_db
from graphsvc.tasking.meetings import baseline, compare_with, get_meeting, require_open

log = logging.getLogger(__name__)

AGENDA_TOP = 20  # clusters by score
AGENDA_CHANGED = 10  # new or changed clusters, highest ranked first, beyond the top ones


def build_agenda(conn: sqlite3.Connection, meeting_id: int, held_on: date, by: str,
                 since: dict[str, Any] | None) -> int:
    """Write the agenda of a meeting being opened (inside its transaction); return its length.

    `since` is the last closed meeting (what "new or changed" and "carried over" refer to).
    """
    run = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()["run_id"]
    ranked = [clusters.snapshot_data(r) for r in conn.execute(
        "SELECT rank, data_json FROM cluster_snapshots WHERE run_id = ? ORDER BY rank",
        (run if run is not None else -1,))]
    by_id = {c["cluster_id"]: c for c in ranked}
    cluster_of = {f: c["cluster_id"] for c in ranked for f in c["flags"]}
    reasons: dict[str, list[str]] = {}
    carried: dict[str, int] = {}

    def add(cluster_id: str, why: str) -> None:
        reasons.setdefault(cluster_id, [])
        if why not in reasons[cluster_id]:
            reasons[cluster_id].append(why)

    if since:
        for item in items_of(conn, since["meeting_id"]):
            if item["state"] == "not reached":
                current = _follow(item, by_id, cluster_of)
                if current:
                    add(current, f"carried over from meeting {since['meeting_id']} "
                                 "(not reached)")
                    carried.setdefault(current, since["meeting_id"])
    for cluster in ranked:
        due = [f for f in cluster.get("flag_records") or []
               if f.get("action") and f.get("due_date") and str(f["due_date"]) <= str(held_on)]
        if due:
            late = any(str(f["due_date"]) < str(held_on) for f in due)
            add(cluster["cluster_id"], f"{len(due)} action{'s' if len(due) > 1 else ''} "
                                       f"{'overdue' if late else 'due'}")
    if since:
        base = baseline(conn, since["meeting_id"])
        changed = 0
        for cluster in ranked:
            change = compare_with(base, cluster)
            if change["change"] in ("new", "changed") and changed < AGENDA_CHANGED:
                add(cluster["cluster_id"], "new since the last meeting"
                    if change["change"] == "new" else f"changed since the last meeting "
                                                      f"({change['note']})")
                changed += 1
    for cluster in ranked[:AGENDA_TOP]:
        add(cluster["cluster_id"], f"rank {cluster['rank']} by score")
    order = sorted(reasons, key=lambda cid: (cid not in carried,
                                             not any("action" in r for r in reasons[cid]),
                                             by_id[cid]["rank"]))
    at = _now()
    conn.executemany(
        "INSERT INTO tasking_agenda_items (meeting_id, position, cluster_id, why, carried_from, "
        "flags_json, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(meeting_id, pos, cid, "; ".join(reasons[cid]), carried.get(cid),
          json.dumps(by_id[cid]["flags"]), by, at) for pos, cid in enumerate(order, start=1)])
    return len(order)


def _follow(item: dict[str, Any], by_id: dict[str, Any], cluster_of: dict[str, str]) -> str | None:
    """The cluster an item's situation is in now: its id if still there, else the cluster
    holding most of its flags; None when all its flags have left the board."""
    if item["cluster_id"] in by_id:
        return str(item["cluster_id"])
    now = [cluster_of[f] for f in item["flags"] if f in cluster_of]
    return max(set(now), key=now.count) if now else None


def items_of(conn: sqlite3.Connection, meeting_id: int) -> list[dict[str, Any]]:
    """A meeting's agenda items in order, each with its `state`: decided, reviewed, removed,
    not reached (the meeting closed without reviewing it) or to review."""
    meeting = conn.execute("SELECT closed_at FROM tasking_meetings WHERE meeting_id = ?",
                           (meeting_id,)).fetchone()
    decided_flags: set[str] = set()
    decided_clusters: set[str] = set()
    for row in conn.execute("SELECT cluster_id, flag_id FROM tasking_decisions "
                            "WHERE meeting_id = ?", (meeting_id,)):
        decided_flags.add(row["flag_id"])
        decided_clusters.add(row["cluster_id"])
    items = []
    for row in conn.execute("SELECT * FROM tasking_agenda_items WHERE meeting_id = ? "
                            "ORDER BY position, item_id", (meeting_id,)):
        item = dict(row)
        item["flags"] = json.loads(item.pop("flags_json"))
        if item["removed_at"]:
            item["state"] = "removed"
        elif item["cluster_id"] in decided_clusters or decided_flags & set(item["flags"]):
            item["state"] = "decided"
        elif item["reviewed_at"]:
            item["state"] = "reviewed"
        elif meeting and meeting["closed_at"]:
            item["state"] = "not reached"
        else:
            item["state"] = "to review"
        items.append(item)
    return items


def agenda(settings: Settings, meeting_id: int) -> list[dict[str, Any]]:
    """A meeting's agenda with each item's state and where its cluster stands on the board now
    (`now`: the current cluster id, rank and score, or None when it has left the board)."""
    get_meeting(settings, meeting_id)
    conn = open_db(settings)
    try:
        items = items_of(conn, meeting_id)
        run = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()["run_id"]
        rows = conn.execute("SELECT cluster_id, rank, score, data_json FROM cluster_snapshots "
                            "WHERE run_id = ?", (run if run is not None else -1,)).fetchall()
    finally:
        conn.close()
    by_id = {r["cluster_id"]: r for r in rows}
    cluster_of = {f: r["cluster_id"] for r in rows
                  for f in json.loads(r["data_json"])["flags"]}
    for item in items:
        current = _follow(item, by_id, cluster_of)
        item["now"] = ({"cluster_id": current, "rank": by_id[current]["rank"],
                        "score": by_id[current]["score"]} if current else None)
    return items


def _open_meeting_id(conn: sqlite3.Connection, meeting_id: int) -> None:
    require_open(conn, meeting_id, "its agenda can no longer change")


def add_item(settings: Settings, meeting_id: int, cluster_id: str, *, by: str,
             why: str = "added by the chair", reviewed: bool = False) -> dict[str, Any]:
    """Add a cluster of the board at the end of the agenda (once)."""
    cluster_id = (cluster_id or "").strip().upper()
    if not cluster_id:
        raise InputError("Give the id of the cluster to add, such as C-12.")
    cluster = clusters.get_cluster(settings, cluster_id)
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            _open_meeting_id(conn, meeting_id)
            row = conn.execute("SELECT item_id, removed_at FROM tasking_agenda_items WHERE "
                               "meeting_id = ? AND cluster_id = ?",
                               (meeting_id, cluster_id)).fetchone()
            if row and not row["removed_at"]:
                raise InputError(f"Cluster {cluster_id} is already on the agenda.")
            if row:  # put back what was removed
                conn.execute("UPDATE tasking_agenda_items SET removed_at = NULL WHERE "
                             "item_id = ?", (row["item_id"],))
                item_id = row["item_id"]
            else:
                last = conn.execute("SELECT coalesce(max(position), 0) AS p FROM "
                                    "tasking_agenda_items WHERE meeting_id = ?",
                                    (meeting_id,)).fetchone()["p"]
                item_id = conn.execute(
                    "INSERT INTO tasking_agenda_items (meeting_id, position, cluster_id, why, "
                    "flags_json, added_by, added_at, reviewed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (meeting_id, last + 1, cluster_id, why, json.dumps(cluster["flags"]), by,
                     _now(), _now() if reviewed else None)).lastrowid
    finally:
        conn.close()
    return {"item_id": item_id, "cluster_id": cluster_id}


def remove_item(settings: Settings, meeting_id: int, item_id: int) -> None:
    """Take an item off the agenda (it stays in the record as removed)."""
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            _open_meeting_id(conn, meeting_id)
            done = conn.execute("UPDATE tasking_agenda_items SET removed_at = ? WHERE "
                                "meeting_id = ? AND item_id = ?",
                                (_now(), meeting_id, item_id)).rowcount
    finally:
        conn.close()
    if not done:
        raise NotFound(f"Meeting {meeting_id} has no agenda item {item_id}.")


def move_item(settings: Settings, meeting_id: int, item_id: int, direction: str) -> None:
    """Move an item one place up or down the agenda."""
    if direction not in ("up", "down"):
        raise InputError("Move an agenda item up or down.")
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            _open_meeting_id(conn, meeting_id)
            order = [r["item_id"] for r in conn.execute(
                "SELECT item_id FROM tasking_agenda_items WHERE meeting_id = ? AND "
                "removed_at IS NULL ORDER BY position, item_id", (meeting_id,))]
            if item_id not in order:
                raise NotFound(f"Meeting {meeting_id} has no agenda item {item_id}.")
            i = order.index(item_id)
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
            conn.executemany("UPDATE tasking_agenda_items SET position = ? WHERE item_id = ?",
                             [(pos, iid) for pos, iid in enumerate(order, start=1)])
    finally:
        conn.close()


def mark_reviewed(settings: Settings, meeting_id: int, cluster_id: str, *, by: str) -> None:
    """The meeting looked at this cluster: its item is reviewed (added if not on the agenda)."""
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):
            items = items_of(conn, meeting_id)
            mine = [i for i in items if i["cluster_id"] == cluster_id and i["state"] != "removed"]
            for item in mine:
                if not item["reviewed_at"]:
                    conn.execute("UPDATE tasking_agenda_items SET reviewed_at = ? WHERE "
                                 "item_id = ?", (_now(), item["item_id"]))
    finally:
        conn.close()
    if not mine:
        add_item(settings, meeting_id, cluster_id, by=by, why="reviewed, not on the agenda",
                 reviewed=True)
