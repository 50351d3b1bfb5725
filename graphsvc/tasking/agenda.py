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
from datetime import date
from typing import Any

from sqlalchemy import Connection

from graphsvc import appdata, clusters
from graphsvc.dates import stamp
from graphsvc.errors import InputError, NotFound
from graphsvc.settings import Settings
from graphsvc.tasking.meetings import baseline, compare_with, get_meeting, require_open

log = logging.getLogger(__name__)

AGENDA_TOP = 20  # clusters by score
AGENDA_CHANGED = 10  # new or changed clusters, highest ranked first, beyond the top ones


def build_agenda(conn: Connection, meeting_id: int, held_on: date, by: str,
                 since: dict[str, Any] | None) -> int:
    """Write the agenda of a meeting being opened (inside its transaction); return its length.

    `since` is the last closed meeting (what "new or changed" and "carried over" refer to).
    """
    run = clusters.latest_run_id(conn)
    ranked = [clusters.snapshot_data(r) for r in appdata.run(
        conn, "clusters/snapshots", run_id=run if run is not None else -1).mappings()]
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
    at = stamp()
    for pos, cid in enumerate(order, start=1):
        appdata.run(conn, "tasking/insert_agenda_item", meeting_id=meeting_id, position=pos,
                    cluster_id=cid, why="; ".join(reasons[cid]), carried_from=carried.get(cid),
                    flags_json=json.dumps(by_id[cid]["flags"]), added_by=by, added_at=at,
                    reviewed_at=None)
    return len(order)


def _follow(item: dict[str, Any], by_id: dict[str, Any], cluster_of: dict[str, str]) -> str | None:
    """The cluster an item's situation is in now: its id if still there, else the cluster
    holding most of its flags; None when all its flags have left the board."""
    if item["cluster_id"] in by_id:
        return str(item["cluster_id"])
    now = [cluster_of[f] for f in item["flags"] if f in cluster_of]
    return max(set(now), key=now.count) if now else None


def items_of(conn: Connection, meeting_id: int) -> list[dict[str, Any]]:
    """A meeting's agenda items in order, each with its `state`: decided, reviewed, removed,
    not reached (the meeting closed without reviewing it) or to review."""
    meeting = appdata.run(conn, "tasking/meeting", meeting_id=meeting_id).mappings().first()
    decided_clusters, decided_flags = decided_in(conn, meeting_id)
    items = []
    for row in appdata.run(conn, "tasking/agenda_items", meeting_id=meeting_id).mappings():
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


def decided_in(conn: Connection, meeting_id: int) -> tuple[set[str], set[str]]:
    """The clusters and the flags a meeting has decided on."""
    decided_clusters: set[str] = set()
    decided_flags: set[str] = set()
    for cluster_id, flag_id in appdata.run(conn, "tasking/decided_in_meeting",
                                           meeting_id=meeting_id):
        decided_flags.add(flag_id)
        decided_clusters.add(cluster_id)
    return decided_clusters, decided_flags


def agenda(settings: Settings, meeting_id: int) -> list[dict[str, Any]]:
    """A meeting's agenda with each item's state and where its cluster stands on the board now
    (`now`: the current cluster id, rank and score, or None when it has left the board)."""
    get_meeting(settings, meeting_id)
    with appdata.transaction(settings, write=False) as conn:
        items = items_of(conn, meeting_id)
        run = clusters.latest_run_id(conn)
        rows = appdata.run(conn, "clusters/snapshots",
                           run_id=run if run is not None else -1).mappings().all()
    by_id = {r["cluster_id"]: r for r in rows}
    cluster_of = {f: r["cluster_id"] for r in rows
                  for f in json.loads(r["data_json"])["flags"]}
    for item in items:
        current = _follow(item, by_id, cluster_of)
        item["now"] = ({"cluster_id": current, "rank": by_id[current]["rank"],
                        "score": by_id[current]["score"]} if current else None)
    return items


def _open_meeting_id(conn: Connection, meeting_id: int) -> None:
    require_open(conn, meeting_id, "its agenda can no longer change")


def add_item(settings: Settings, meeting_id: int, cluster_id: str, *, by: str,
             why: str = "added by the chair", reviewed: bool = False) -> dict[str, Any]:
    """Add a cluster of the board at the end of the agenda (once)."""
    cluster_id = (cluster_id or "").strip().upper()
    if not cluster_id:
        raise InputError("Give the id of the cluster to add, such as C-12.")
    cluster = clusters.get_cluster(settings, cluster_id)
    with appdata.transaction(settings) as conn:
        _open_meeting_id(conn, meeting_id)
        row = appdata.run(conn, "tasking/agenda_item_of_cluster", meeting_id=meeting_id,
                          cluster_id=cluster_id).mappings().first()
        if row and not row["removed_at"]:
            raise InputError(f"Cluster {cluster_id} is already on the agenda.")
        if row:  # put back what was removed
            appdata.run(conn, "tasking/restore_agenda_item", item_id=row["item_id"])
            item_id = int(row["item_id"])
        else:
            last = int(appdata.run(conn, "tasking/last_agenda_position",
                                   meeting_id=meeting_id).scalar_one())
            at = stamp()
            item_id = int(appdata.run(
                conn, "tasking/insert_agenda_item", meeting_id=meeting_id, position=last + 1,
                cluster_id=cluster_id, why=why, carried_from=None,
                flags_json=json.dumps(cluster["flags"]), added_by=by, added_at=at,
                reviewed_at=at if reviewed else None).scalar_one())
    return {"item_id": item_id, "cluster_id": cluster_id}


def remove_item(settings: Settings, meeting_id: int, item_id: int) -> None:
    """Take an item off the agenda (it stays in the record as removed)."""
    with appdata.transaction(settings) as conn:
        _open_meeting_id(conn, meeting_id)
        done = appdata.run(conn, "tasking/remove_agenda_item", removed_at=stamp(),
                           meeting_id=meeting_id, item_id=item_id).rowcount
    if not done:
        raise NotFound(f"Meeting {meeting_id} has no agenda item {item_id}.")


def move_item(settings: Settings, meeting_id: int, item_id: int, direction: str) -> None:
    """Move an item one place up or down the agenda."""
    if direction not in ("up", "down"):
        raise InputError("Move an agenda item up or down.")
    with appdata.transaction(settings) as conn:
        _open_meeting_id(conn, meeting_id)
        order = list(appdata.run(conn, "tasking/live_agenda_items",
                                 meeting_id=meeting_id).scalars())
        if item_id not in order:
            raise NotFound(f"Meeting {meeting_id} has no agenda item {item_id}.")
        i = order.index(item_id)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
        appdata.run_many(conn, "tasking/set_agenda_position",
                         [{"position": pos, "item_id": iid}
                          for pos, iid in enumerate(order, start=1)])


def mark_reviewed(settings: Settings, meeting_id: int, cluster_id: str, *, by: str) -> None:
    """The meeting looked at this cluster: its item is reviewed (added if not on the agenda)."""
    with appdata.transaction(settings) as conn:
        items = items_of(conn, meeting_id)
        mine = [i for i in items if i["cluster_id"] == cluster_id and i["state"] != "removed"]
        for item in mine:
            if not item["reviewed_at"]:
                appdata.run(conn, "tasking/set_agenda_reviewed", reviewed_at=stamp(),
                            item_id=item["item_id"])
    if not mine:
        add_item(settings, meeting_id, cluster_id, by=by, why="reviewed, not on the agenda",
                 reviewed=True)
