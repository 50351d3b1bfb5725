"""Clusters kept in app.db: recompute them from the graph's open flags, keep their history,
read them for the board."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from graphsvc import appdb
from graphsvc.clusters.ids import cluster_flags
from graphsvc.errors import NotFound
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS cluster_runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    computed_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    flags INTEGER NOT NULL,
    clusters INTEGER NOT NULL,
    seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS cluster_snapshots (
    run_id INTEGER NOT NULL REFERENCES cluster_runs(run_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    severity TEXT NOT NULL,
    flag_count INTEGER NOT NULL,
    entity_count INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (run_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS cluster_members (
    run_id INTEGER NOT NULL REFERENCES cluster_runs(run_id) ON DELETE CASCADE,
    cluster_id TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (run_id, member)
);
CREATE INDEX IF NOT EXISTS cluster_members_by_cluster ON cluster_members (run_id, cluster_id);
CREATE TABLE IF NOT EXISTS cluster_history (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    related_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cluster_history_by_cluster ON cluster_history (cluster_id, event_id);
CREATE TABLE IF NOT EXISTS cluster_sequence (
    name TEXT PRIMARY KEY,
    next_number INTEGER NOT NULL
);
"""
# Clusterings kept in app.db; older ones are pruned (their history stays, and a meeting keeps
# its own copy of what it saw).
KEEP_RUNS = 20


def open_db(settings: Settings) -> sqlite3.Connection:
    """app.db with the cluster tables in place."""
    conn = appdb.connect(settings)
    appdb.ensure_schema(conn, SCHEMA)
    return conn


def read_open_flags(store: GraphStore) -> list[dict[str, Any]]:
    """Flags that may be open, with their entities, from one graph read."""
    flags = []
    for row in store.read("read/cluster_open_flags"):
        row["entities"] = [e for e in row.get("entities") or [] if e.get("key")]
        flags.append(row)
    return flags


def recompute(store: GraphStore, settings: Settings, *, as_of: date | None = None
              ) -> dict[str, Any]:
    """Cluster the open flags now, keep ids from the previous clustering, store it and its history.

    Called after every rule run and by `graphsvc clusters recompute`; returns a summary.
    """
    started = time.perf_counter()
    as_of = as_of or date.today()
    flags = read_open_flags(store)
    read_s = elapsed_s(started)
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):  # one recomputation at a time keeps ids consistent
            previous_run = latest_run_id(conn)
            previous = run_members(conn, previous_run) if previous_run else {}
            row = conn.execute("SELECT next_number FROM cluster_sequence WHERE name = 'cluster'"
                               ).fetchone()
            next_number = row["next_number"] if row else 1
            cluster_start = time.perf_counter()
            result = cluster_flags(flags, as_of, previous, next_number)
            cluster_s = elapsed_s(cluster_start)
            run_id = _store_run(conn, result, as_of, len(flags), elapsed_s(started))
        _prune(conn)
    finally:
        conn.close()
    kinds = defaultdict(int)
    for event in result["history"]:
        kinds[event["kind"]] += 1
    summary = {"run_id": run_id, "as_of": as_of.isoformat(), "flags_read": len(flags),
               "open_flags": sum(len(c["flags"]) for c in result["clusters"]),
               "clusters": len(result["clusters"]), "events": dict(sorted(kinds.items())),
               "read_s": read_s, "cluster_s": cluster_s, "seconds": elapsed_s(started)}
    log.info("Clusters recomputed: %s", summary)
    return summary


def _store_run(conn: sqlite3.Connection, result: dict[str, Any], as_of: date, flags: int,
               seconds: float) -> int:
    now = datetime.now().isoformat(timespec="seconds")
    run_id = conn.execute(
        "INSERT INTO cluster_runs (computed_at, as_of, flags, clusters, seconds) "
        "VALUES (?, ?, ?, ?, ?)",
        (now, as_of.isoformat(), flags, len(result["clusters"]), seconds)).lastrowid
    conn.executemany(
        "INSERT INTO cluster_snapshots (run_id, cluster_id, rank, score, severity, flag_count, "
        "entity_count, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, c["cluster_id"], c["rank"], c["score"], c["severity"], len(c["flags"]),
          len(c["entities"]), to_json(c)) for c in result["clusters"]])
    conn.executemany(
        "INSERT INTO cluster_members (run_id, cluster_id, member) VALUES (?, ?, ?)",
        [(run_id, c["cluster_id"], m) for c in result["clusters"] for m in c["members"]])
    conn.executemany(
        "INSERT INTO cluster_history (run_id, at, cluster_id, kind, note, related_json) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, now, e["cluster_id"], e["kind"], e["note"], to_json(e["related"]))
         for e in result["history"] if e["kind"] != "unchanged"])
    conn.execute("INSERT INTO cluster_sequence (name, next_number) VALUES ('cluster', ?) "
                 "ON CONFLICT (name) DO UPDATE SET next_number = excluded.next_number",
                 (result["next_number"],))
    return run_id


def _prune(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM cluster_runs WHERE run_id NOT IN "
                 "(SELECT run_id FROM cluster_runs ORDER BY run_id DESC LIMIT ?)", (KEEP_RUNS,))


def latest_run_id(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()
    return row["run_id"] if row else None


def run_members(conn: sqlite3.Connection, run_id: int) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute("SELECT cluster_id, member FROM cluster_members WHERE run_id = ?",
                            (run_id,)):
        members[row["cluster_id"]].append(row["member"])
    return dict(members)


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The latest clustering's run record (when, as of, counts), or None before the first."""
    conn = open_db(settings)
    try:
        row = conn.execute("SELECT * FROM cluster_runs ORDER BY run_id DESC LIMIT 1").fetchone()
        return dict(row) if row else None
    finally:
        conn.close()


def list_clusters(settings: Settings, *, run_id: int | None = None) -> list[dict[str, Any]]:
    """The clusters of the latest (or a given) clustering, best first, as stored."""
    conn = open_db(settings)
    try:
        run_id = run_id or latest_run_id(conn)
        if run_id is None:
            return []
        rows = conn.execute("SELECT rank, data_json FROM cluster_snapshots WHERE run_id = ? "
                            "ORDER BY rank", (run_id,)).fetchall()
        return [snapshot_data(r) for r in rows]
    finally:
        conn.close()


def get_cluster(settings: Settings, cluster_id: str) -> dict[str, Any]:
    """One cluster of the latest clustering; NotFound when it is not in it."""
    conn = open_db(settings)
    try:
        run_id = latest_run_id(conn)
        row = conn.execute("SELECT rank, data_json FROM cluster_snapshots WHERE run_id = ? AND "
                           "cluster_id = ?", (run_id, cluster_id)).fetchone()
    finally:
        conn.close()
    if row is None:
        raise NotFound(f"There is no cluster {cluster_id} in the latest clustering; it may "
                       "have closed or merged into another (see its history).")
    return snapshot_data(row)


def snapshot_data(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored cluster; its rank is the column's (an incremental update re-ranks the column
    alone, not every cluster's JSON)."""
    data = json.loads(row["data_json"])
    data["rank"] = row["rank"]
    return data


def cluster_history(settings: Settings, cluster_id: str | None = None,
                    limit: int = 200) -> list[dict[str, Any]]:
    """What happened to clusters (new, changed, split, merged, closed), newest first."""
    conn = open_db(settings)
    try:
        if cluster_id:
            rows = conn.execute(
                "SELECT * FROM cluster_history WHERE cluster_id = ? OR related_json LIKE ? "
                "ORDER BY event_id DESC LIMIT ?", (cluster_id, f'%"{cluster_id}"%', limit))
        else:
            rows = conn.execute("SELECT * FROM cluster_history ORDER BY event_id DESC LIMIT ?",
                                (limit,))
        return [{**dict(r), "related": json.loads(r["related_json"])} for r in rows]
    finally:
        conn.close()




def to_json(value: Any) -> str:
    """JSON text for app.db columns (dates as ISO text)."""
    return json.dumps(value, default=str, sort_keys=True)


def elapsed_s(start: float) -> float:
    return round(time.perf_counter() - start, 3)
