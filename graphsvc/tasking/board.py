"""The tasking board: clusters ranked, each marked new or changed since the last meeting."""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc import clusters
from graphsvc.errors import InputError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.tasking.db import open_db
from graphsvc.tasking.meetings import baseline, compare_with, last_closed, meeting_dict

BOARD_VIEWS = ("top", "changed", "all")
BOARD_TOP = 100


def board(store: GraphStore, settings: Settings, *, as_of: date | None = None,
          view: str = "top") -> dict[str, Any]:
    """Clusters best first, each marked new or changed since the last closed meeting and
    decided in the open one, and the actions past their due date (listed first).

    `view` picks the clusters listed: the best BOARD_TOP, only the new and changed ones, or all.
    """
    if view not in BOARD_VIEWS:
        raise InputError(f"Unknown board view {view!r}: choose one of {', '.join(BOARD_VIEWS)}.")
    as_of = as_of or date.today()
    conn = open_db(settings)
    try:
        run = conn.execute("SELECT * FROM cluster_runs ORDER BY run_id DESC LIMIT 1").fetchone()
        run_id = run["run_id"] if run else -1
        meeting = conn.execute("SELECT * FROM tasking_meetings WHERE closed_at IS NULL"
                               ).fetchone()
        since = last_closed(conn)
        base = baseline(conn, since["meeting_id"]) if since else None
        ranked = [r["cluster_id"] for r in conn.execute(
            "SELECT cluster_id FROM cluster_snapshots WHERE run_id = ? ORDER BY rank",
            (run_id,))]
        members: dict[str, list[str]] = {cid: [] for cid in ranked}
        for row in conn.execute("SELECT cluster_id, member FROM cluster_members "
                                "WHERE run_id = ?", (run_id,)):
            members[row["cluster_id"]].append(row["member"])
        decided_flags, decided_clusters = set(), set()
        if meeting:
            for row in conn.execute("SELECT cluster_id, flag_id FROM tasking_decisions "
                                    "WHERE meeting_id = ?", (meeting["meeting_id"],)):
                decided_flags.add(row["flag_id"])
                decided_clusters.add(row["cluster_id"])
    finally:
        conn.close()
    cluster_of = {m[5:]: cid for cid, ms in members.items() for m in ms if m.startswith("flag:")}
    overdue = []
    for row in store.read("read/cluster_overdue_actions", as_of=as_of.isoformat()):
        row["cluster_id"] = cluster_of.get(row["flag_id"])
        row["days_overdue"] = (as_of - row["due_date"]).days
        overdue.append(row)
    overdue_by_cluster: dict[str, list[str]] = {}
    for row in overdue:
        if row["cluster_id"]:
            overdue_by_cluster.setdefault(row["cluster_id"], []).append(row["flag_id"])
    changes = {cid: compare_with(base, {"cluster_id": cid, "members": ms})
               for cid, ms in members.items()}
    decided = {cid for cid in ranked if cid in decided_clusters
               or any(m[5:] in decided_flags for m in members[cid] if m.startswith("flag:"))}
    # Each count says what it counts: clusters, or flags.
    counts = {"clusters": len(ranked), "flags": len(cluster_of),
              "new": sum(1 for c in changes.values() if c["change"] == "new"),
              "changed": sum(1 for c in changes.values() if c["change"] == "changed"),
              "new_flags": len({f for c in changes.values() for f in c["new_flags"]}),
              "overdue": len(overdue), "decided_clusters": len(decided),
              "decided_flags": len(decided_flags)}
    if view == "top":
        listed = ranked[:BOARD_TOP]
    elif view == "changed":
        listed = [cid for cid in ranked if changes[cid]["change"] in ("new", "changed")
                  or cid in overdue_by_cluster]
    else:
        listed = ranked
    found = []
    for cid, data in zip(listed, _cluster_data(settings, run_id, listed), strict=True):
        data.update(changes[cid])
        data["overdue"] = sorted(overdue_by_cluster.get(cid, []))
        data["decided"] = cid in decided
        data.pop("members", None)
        data.pop("flag_records", None)
        found.append(data)
    return {"as_of": as_of, "run": dict(run) if run else None,
            "meeting": meeting_dict(meeting) if meeting else None, "since": since,
            "clusters": found, "view": view, "overdue": overdue, "counts": counts}


def _cluster_data(settings: Settings, run_id: int, cluster_ids: list[str]) -> list[dict[str, Any]]:
    """The stored clusters, in the order asked."""
    conn = open_db(settings)
    try:
        data = {}
        for start in range(0, len(cluster_ids), 500):
            chunk = cluster_ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in conn.execute(f"SELECT cluster_id, rank, data_json FROM cluster_snapshots "
                                    f"WHERE run_id = ? AND cluster_id IN ({marks})",
                                    (run_id, *chunk)):
                data[row["cluster_id"]] = clusters.snapshot_data(row)
    finally:
        conn.close()
    return [data[cid] for cid in cluster_ids]
