"""Incremental re-clustering after a decision: only the clusters the decided flags touch.

A decision closes flags (no further action), keeps them open (under review, an action agreed)
or reopens them; the rest of the board is unchanged. So instead of clustering every open flag
again, `recluster_flags` reads the flags of the clusters that hold the decided flags (and of
any cluster a reopened flag now joins), clusters those again, and rewrites those clusters in
the latest stored clustering in place, with their history; every cluster's rank is then set
again from the stored scores. The hubs a big group was split around stay set aside.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import networkx as nx

from graphsvc import appdb, clusters
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


def recluster_flags(store: GraphStore, settings: Settings, flag_ids: Iterable[str], *,
                    as_of: date | None = None) -> dict[str, Any]:
    """Re-cluster the clusters holding these flags, in the latest clustering; return a summary.

    Without a stored clustering there is nothing to update (the first recompute makes one).
    Scores use the stored clustering's as-of date unless `as_of` is given.
    """
    started = time.perf_counter()
    decided = sorted(set(flag_ids))
    conn = clusters.open_db(settings)
    try:
        with appdb.immediate(conn):  # the same lock as a full recompute: one at a time
            run_id = clusters.latest_run_id(conn)
            if run_id is None or not decided:
                return {"run_id": run_id, "clusters_before": [], "clusters_after": [],
                        "seconds": clusters.elapsed_s(started)}
            if as_of is None:  # score as the stored clustering did, so ranks stay comparable
                stored = conn.execute("SELECT as_of FROM cluster_runs WHERE run_id = ?",
                                      (run_id,)).fetchone()["as_of"]
                as_of = date.fromisoformat(stored)
            members = clusters.run_members(conn, run_id)
            cluster_of = {m: cid for cid, ms in members.items() for m in ms}
            decided_rows = _read(store, decided)
            affected = {cluster_of[clusters.flag_node(f)] for f in decided
                        if clusters.flag_node(f) in cluster_of}
            for row in decided_rows:  # a reopened flag joins the clusters of what it concerns
                if clusters.is_open(row):
                    affected |= {cluster_of[e["key"]] for e in row["entities"]
                                 if e["key"] in cluster_of}
            affected_members = {m for cid in affected for m in members[cid]}
            flag_ids_now = sorted({m[5:] for m in affected_members if m.startswith("flag:")}
                                  | set(decided))
            rows = _read(store, flag_ids_now)
            graph = clusters.build_flag_graph(rows)
            was_member = {m for m in affected_members if m.startswith("flag:")}
            hubs = {n for n in graph if not n.startswith("flag:") and n not in affected_members
                    and any(m in was_member for m in graph.adj[n])}
            groups = clusters.find_clusters(nx.restricted_view(graph, hubs, []))
            found = clusters.describe_clusters(graph, as_of, groups=groups)
            row = conn.execute("SELECT next_number FROM cluster_sequence WHERE name = 'cluster'"
                               ).fetchone()
            matched = clusters.match_ids({cid: members[cid] for cid in affected},
                                         [c["members"] for c in found],
                                         row["next_number"] if row else 1)
            for cluster, cid in zip(found, matched["ids"], strict=True):
                cluster["cluster_id"] = cid
            _replace(conn, run_id, sorted(affected), found, matched)
    finally:
        conn.close()
    summary = {"run_id": run_id, "clusters_before": sorted(affected, key=clusters.cluster_number),
               "clusters_after": [c["cluster_id"] for c in found],
               "flags_read": len(rows), "seconds": clusters.elapsed_s(started)}
    log.info("Clusters updated after a decision: %s", summary)
    return summary


def _read(store: GraphStore, flag_ids: list[str]) -> list[dict[str, Any]]:
    rows = []
    for row in store.read("read/cluster_flags_by_id", flag_ids=flag_ids):
        row["entities"] = [e for e in row.get("entities") or [] if e.get("key")]
        rows.append(row)
    return rows


def _replace(conn: sqlite3.Connection, run_id: int, old_ids: list[str], found: list[dict[str, Any]],
             matched: dict[str, Any]) -> None:
    """Swap the old clusters for the new in the stored run, record their history, re-rank."""
    now = datetime.now().isoformat(timespec="seconds")
    for cid in old_ids:
        conn.execute("DELETE FROM cluster_snapshots WHERE run_id = ? AND cluster_id = ?",
                     (run_id, cid))
        conn.execute("DELETE FROM cluster_members WHERE run_id = ? AND cluster_id = ?",
                     (run_id, cid))
    for cluster in found:
        cluster["rank"] = 0  # set below with every other cluster's
    conn.executemany(
        "INSERT INTO cluster_snapshots (run_id, cluster_id, rank, score, severity, flag_count, "
        "entity_count, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, c["cluster_id"], 0, c["score"], c["severity"], len(c["flags"]),
          len(c["entities"]), clusters.to_json(c)) for c in found])
    conn.executemany(
        "INSERT INTO cluster_members (run_id, cluster_id, member) VALUES (?, ?, ?)",
        [(run_id, c["cluster_id"], m) for c in found for m in c["members"]])
    conn.executemany(
        "INSERT INTO cluster_history (run_id, at, cluster_id, kind, note, related_json) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(run_id, now, e["cluster_id"], e["kind"], e["note"], clusters.to_json(e["related"]))
         for e in matched["history"] if e["kind"] != "unchanged"])
    conn.execute("INSERT INTO cluster_sequence (name, next_number) VALUES ('cluster', ?) "
                 "ON CONFLICT (name) DO UPDATE SET next_number = excluded.next_number",
                 (matched["next_number"],))
    ranked = [{"cluster_id": r["cluster_id"], "score": r["score"], "severity": r["severity"],
               "members": [r["first_member"]]} for r in conn.execute(
        "SELECT s.cluster_id, s.score, s.severity, min(m.member) AS first_member "
        "FROM cluster_snapshots s JOIN cluster_members m "
        "ON m.run_id = s.run_id AND m.cluster_id = s.cluster_id "
        "WHERE s.run_id = ? GROUP BY s.cluster_id, s.score, s.severity", (run_id,))]
    ranked.sort(key=clusters.rank_key)
    conn.executemany("UPDATE cluster_snapshots SET rank = ? WHERE run_id = ? AND cluster_id = ?",
                     [(rank, run_id, c["cluster_id"]) for rank, c in enumerate(ranked, start=1)])
    conn.execute("UPDATE cluster_runs SET clusters = ?, flags = (SELECT count(*) FROM "
                 "cluster_members WHERE run_id = ? AND member LIKE 'flag:%') WHERE run_id = ?",
                 (len(ranked), run_id, run_id))
