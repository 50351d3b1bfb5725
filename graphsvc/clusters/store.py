"""Clusters kept in the application database (SQLite app.db or PostgreSQL): recompute them from
the graph's open flags, keep their history, read them for the board."""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any, TypedDict

from sqlalchemy import Connection

from graphsvc import appdata, dates
from graphsvc.clusters.ids import cluster_flags
from graphsvc.dates import stamp
from graphsvc.errors import NotFound
from graphsvc.model import LIVE
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# Clusterings kept in app.db; older ones are pruned (their history stays, and a meeting keeps
# its own copy of what it saw).
KEEP_RUNS = 20


# Held by whoever rewrites the stored clustering: one recomputation or re-clustering at a time
# keeps cluster ids consistent.
CLUSTERS_LOCK = appdata.Lock.CLUSTERS


def read_open_flags(store: GraphStore) -> list[dict[str, Any]]:
    """Flags that may be open, with their entities, from one graph read."""
    flags = []
    for row in store.read("read/cluster_open_flags", statuses=list(LIVE)):
        row["entities"] = [e for e in row.get("entities") or [] if e.get("key")]
        flags.append(row)
    return flags


class Recomputed(TypedDict):
    """What a recomputation of the clusters did (the run report's `clusters`)."""

    run_id: int
    as_of: str
    flags_read: int
    open_flags: int
    clusters: int
    events: dict[str, int]  # kind of change → how many (new, split, merged, ...)
    read_s: float
    cluster_s: float
    seconds: float


def recompute(store: GraphStore, settings: Settings, *, as_of: date | None = None
              ) -> Recomputed:
    """Cluster the open flags now, keep ids from the previous clustering, store it and its history.

    Called after every rule run and by `graphsvc clusters recompute`; returns a summary.
    """
    started = time.perf_counter()
    as_of = as_of or dates.today()
    flags = read_open_flags(store)
    read_s = elapsed_s(started)
    with appdata.transaction(settings) as conn:
        appdata.lock_chain(conn, CLUSTERS_LOCK)  # one recomputation at a time keeps ids
        previous_run = latest_run_id(conn)
        previous = run_members(conn, previous_run) if previous_run else {}
        cluster_start = time.perf_counter()
        result = cluster_flags(flags, as_of, previous, next_number(conn))
        cluster_s = elapsed_s(cluster_start)
        run_id = _store_run(conn, result, as_of, len(flags), elapsed_s(started))
        appdata.run(conn, "clusters/prune_runs", keep=KEEP_RUNS)
    kinds: defaultdict[str, int] = defaultdict(int)
    for event in result["history"]:
        kinds[event["kind"]] += 1
    summary: Recomputed = {
        "run_id": run_id, "as_of": as_of.isoformat(), "flags_read": len(flags),
        "open_flags": sum(len(c["flags"]) for c in result["clusters"]),
        "clusters": len(result["clusters"]), "events": dict(sorted(kinds.items())),
        "read_s": read_s, "cluster_s": cluster_s, "seconds": elapsed_s(started)}
    log.info("Clusters recomputed: %s", summary)
    return summary


def _store_run(conn: Connection, result: dict[str, Any], as_of: date, flags: int,
               seconds: float) -> int:
    run_id = int(appdata.run(conn, "clusters/insert_run", computed_at=stamp(),
                             as_of=as_of.isoformat(), flags=flags,
                             clusters=len(result["clusters"]), seconds=seconds).scalar_one())
    store_clusters(conn, run_id, result["clusters"], result["history"], result["next_number"])
    return run_id


def store_clusters(conn: Connection, run_id: int, found: list[dict[str, Any]],
                   history: list[dict[str, Any]], next_number_: int) -> None:
    """Write clusters into a stored clustering with their members, their history (what
    changed) and the number the next new cluster id takes."""
    appdata.run_many(conn, "clusters/insert_snapshot", [
        {"run_id": run_id, "cluster_id": c["cluster_id"], "rank": c["rank"], "score": c["score"],
         "severity": c["severity"], "flag_count": len(c["flags"]),
         "entity_count": len(c["entities"]), "data_json": to_json(c)} for c in found])
    appdata.run_many(conn, "clusters/insert_member", [
        {"run_id": run_id, "cluster_id": c["cluster_id"], "member": m}
        for c in found for m in c["members"]])
    at = stamp()
    appdata.run_many(conn, "clusters/insert_history", [
        {"run_id": run_id, "at": at, "cluster_id": e["cluster_id"], "kind": e["kind"],
         "note": e["note"], "related_json": to_json(e["related"])}
        for e in history if e["kind"] != "unchanged"])
    appdata.run(conn, "clusters/set_next_number", next_number=next_number_)


def next_number(conn: Connection) -> int:
    """The number the next new cluster id takes."""
    row = appdata.run(conn, "clusters/next_number").first()
    return int(row[0]) if row else 1


def latest_run_id(conn: Connection) -> int | None:
    value = appdata.run(conn, "clusters/latest_run_id").scalar()
    return int(value) if value is not None else None


def run_members(conn: Connection, run_id: int) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for cluster_id, member in appdata.run(conn, "clusters/run_members", run_id=run_id):
        members[cluster_id].append(member)
    return dict(members)


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The latest clustering's run record (when, as of, counts), or None before the first."""
    with appdata.transaction(settings, write=False) as conn:
        row = appdata.run(conn, "clusters/latest_run").mappings().first()
    return dict(row) if row else None


def list_clusters(settings: Settings, *, run_id: int | None = None) -> list[dict[str, Any]]:
    """The clusters of the latest (or a given) clustering, best first, as stored."""
    with appdata.transaction(settings, write=False) as conn:
        run_id = run_id or latest_run_id(conn)
        if run_id is None:
            return []
        rows = appdata.run(conn, "clusters/snapshots", run_id=run_id).mappings().all()
    return [snapshot_data(r) for r in rows]


def get_cluster(settings: Settings, cluster_id: str) -> dict[str, Any]:
    """One cluster of the latest clustering; NotFound when it is not in it."""
    with appdata.transaction(settings, write=False) as conn:
        row = appdata.run(conn, "clusters/snapshot", run_id=latest_run_id(conn),
                          cluster_id=cluster_id).mappings().first()
    if row is None:
        raise NotFound(f"There is no cluster {cluster_id} in the latest clustering; it may "
                       "have closed or merged into another (see its history).")
    return snapshot_data(row)


def snapshot_data(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A stored cluster; its rank is the column's (an incremental update re-ranks the column
    alone, not every cluster's JSON)."""
    data: dict[str, Any] = json.loads(row["data_json"])
    data["rank"] = row["rank"]
    return data


def cluster_history(settings: Settings, cluster_id: str | None = None,
                    limit: int = 200) -> list[dict[str, Any]]:
    """What happened to clusters (new, changed, split, merged, closed), newest first."""
    with appdata.transaction(settings, write=False) as conn:
        if cluster_id:
            rows = appdata.run(conn, "clusters/history_of_cluster", cluster_id=cluster_id,
                               related=f'%"{cluster_id}"%', limit=limit).mappings().all()
        else:
            rows = appdata.run(conn, "clusters/history", limit=limit).mappings().all()
    return [{**dict(r), "related": json.loads(r["related_json"])} for r in rows]


def to_json(value: Any) -> str:
    """JSON text for app.db columns (dates as ISO text)."""
    return json.dumps(value, default=str, sort_keys=True)


def elapsed_s(start: float) -> float:
    return round(time.perf_counter() - start, 3)
