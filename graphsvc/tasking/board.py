"""The tasking board: clusters ranked, each marked new or changed since the last meeting."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from graphsvc import appdata, clusters, dates
from graphsvc.errors import InputError
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.tasking.agenda import decided_in
from graphsvc.tasking.meetings import baseline, compare_with, last_closed, open_meeting_in

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
    as_of = as_of or dates.today()
    with appdata.transaction(settings, write=False) as conn:
        found_run = appdata.run(conn, "clusters/latest_run").mappings().first()
        run = dict(found_run) if found_run else None
        run_id = run["run_id"] if run else -1
        meeting = open_meeting_in(conn)
        since = last_closed(conn)
        base = baseline(conn, since["meeting_id"]) if since else None
        ranked = list(appdata.run(conn, "clusters/ranked_ids", run_id=run_id).scalars())
        members: dict[str, list[str]] = {cid: [] for cid in ranked}
        members.update(clusters.run_members(conn, run_id))
        decided_clusters, decided_flags = (decided_in(conn, meeting["meeting_id"]) if meeting
                                           else (set(), set()))
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
    return {"as_of": as_of, "run": run, "meeting": meeting, "since": since,
            "clusters": found, "view": view, "overdue": overdue, "counts": counts}


def _cluster_data(settings: Settings, run_id: int, cluster_ids: list[str]) -> list[dict[str, Any]]:
    """The stored clusters, in the order asked."""
    with appdata.transaction(settings, write=False) as conn:
        data = {row["cluster_id"]: clusters.snapshot_data(row) for row in appdata.run(
            conn, "clusters/snapshots_by_ids", run_id=run_id,
            ids=json.dumps(cluster_ids)).mappings()}
    return [data[cid] for cid in cluster_ids]
