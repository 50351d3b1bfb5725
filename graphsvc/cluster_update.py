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
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

import networkx as nx
from sqlalchemy import Connection

from graphsvc import appdata, clusters
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
    with appdata.transaction(settings) as conn:
        appdata.lock_chain(conn, clusters.CLUSTERS_LOCK)  # as a full recompute: one at a time
        run_id = clusters.latest_run_id(conn)
        if run_id is None or not decided:
            return {"run_id": run_id, "clusters_before": [], "clusters_after": [],
                    "seconds": clusters.elapsed_s(started)}
        if as_of is None:  # score as the stored clustering did, so ranks stay comparable
            stored = appdata.run(conn, "clusters/run_as_of", run_id=run_id).scalar_one()
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
        matched = clusters.match_ids({cid: members[cid] for cid in affected},
                                     [c["members"] for c in found],
                                     clusters.next_number(conn))
        for cluster, cid in zip(found, matched["ids"], strict=True):
            cluster["cluster_id"] = cid
        _replace(conn, run_id, sorted(affected), found, matched)
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


def _replace(conn: Connection, run_id: int, old_ids: list[str], found: list[dict[str, Any]],
             matched: dict[str, Any]) -> None:
    """Swap the old clusters for the new in the stored run, record their history, re-rank."""
    for cid in old_ids:
        appdata.run(conn, "clusters/delete_snapshot", run_id=run_id, cluster_id=cid)
        appdata.run(conn, "clusters/delete_members", run_id=run_id, cluster_id=cid)
    for cluster in found:
        cluster["rank"] = 0  # set below with every other cluster's
    clusters.store_clusters(conn, run_id, found, matched["history"], matched["next_number"])
    ranked = [{"cluster_id": r["cluster_id"], "score": r["score"], "severity": r["severity"],
               "members": [r["first_member"]]}
              for r in appdata.run(conn, "clusters/rank_inputs", run_id=run_id).mappings()]
    ranked.sort(key=clusters.rank_key)
    appdata.run_many(conn, "clusters/set_rank",
                     [{"rank": rank, "run_id": run_id, "cluster_id": c["cluster_id"]}
                      for rank, c in enumerate(ranked, start=1)])
    appdata.run(conn, "clusters/recount_run", clusters=len(ranked), run_id=run_id)
