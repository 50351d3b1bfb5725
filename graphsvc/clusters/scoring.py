"""A cluster's score (severity and recency of its flags), its key people (betweenness) and
its description."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import networkx as nx

from graphsvc.clusters.graph import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_LIMIT,
    KEY_PEOPLE,
    MAX_CLUSTER_FLAGS,
    RECENCY_FLOOR,
    RECENCY_HALF_LIFE_DAYS,
    SEVERITY_WEIGHTS,
    find_clusters,
    linked_through,
)
from graphsvc.dates import parse_date


def recency(last_seen: date | datetime | str | None, as_of: date) -> tuple[float, int | None]:
    """The recency factor of a flag and its age in days: halves every RECENCY_HALF_LIFE_DAYS.

    >>> recency(date(2025, 3, 1), date(2025, 3, 31))
    (0.5, 30)
    >>> recency(None, date(2025, 3, 31))
    (1.0, None)
    """
    seen = as_date(last_seen)
    if seen is None:
        return 1.0, None
    age = max(0, (as_of - seen).days)
    return round(max(RECENCY_FLOOR, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)), 4), age


def score_cluster(graph: nx.Graph, members: Iterable[str], as_of: date) -> dict[str, Any]:
    """A cluster's score, the sum over its flags of severity weight times recency, with its working.

    >>> from graphsvc.clusters.graph import build_flag_graph
    >>> g = build_flag_graph([
    ...     {"flag_id": "a", "severity": "critical", "status": "new", "last_seen": "2025-03-31"},
    ...     {"flag_id": "b", "severity": "medium", "status": "new", "last_seen": "2025-03-01"}])
    >>> result = score_cluster(g, ["flag:a", "flag:b"], date(2025, 3, 31))
    >>> result["score"], [line["points"] for line in result["lines"]]
    (9.5, [9.0, 0.5])
    """
    lines = []
    for node in members:
        data = graph.nodes[node]
        if data.get("kind") != "flag":
            continue
        flag = data["flag"]
        weight = SEVERITY_WEIGHTS.get(flag.get("severity"), SEVERITY_WEIGHTS["medium"])
        factor, age = recency(flag.get("last_seen"), as_of)
        lines.append({"flag_id": flag["flag_id"], "rule_id": flag.get("rule_id"),
                      "severity": flag.get("severity"), "weight": weight, "age_days": age,
                      "recency": factor, "points": round(weight * factor, 2)})
    lines.sort(key=lambda line: (-line["points"], line["flag_id"]))
    score = round(sum(line["points"] for line in lines), 2)
    weights = ", ".join(f"{k} {v:g}" for k, v in SEVERITY_WEIGHTS.items())
    return {"score": score, "lines": lines,
            "method": (f"Sum over the cluster's open flags of severity weight ({weights}) times "
                       f"recency (1 when last seen on {as_of.isoformat()}, halving every "
                       f"{RECENCY_HALF_LIFE_DAYS} days since, never below {RECENCY_FLOOR:g}).")}


def key_people(graph: nx.Graph, members: Iterable[str], top: int = KEY_PEOPLE
               ) -> list[dict[str, Any]]:
    """The people most often on the shortest paths between the cluster's flags and entities.

    Betweenness is computed within the cluster (exact up to EXACT_BETWEENNESS_LIMIT nodes, sampled
    with a fixed seed above). A person on one flag only links nothing and is never a key person.

    >>> g = nx.Graph([("flag:a", "person_id=P1"), ("flag:b", "person_id=P1"),
    ...               ("flag:b", "person_id=P2")])
    >>> [(p["key"], p["betweenness"]) for p in key_people(g, list(g.nodes))]
    [('person_id=P1', 0.667)]
    """
    members = set(members)
    if sum(1 for n in members if n.startswith("flag:")) < 2:
        return []  # one flag: nobody links anything
    sub = nx.Graph()  # a small plain copy: betweenness walks it many times, faster than a view
    sub.add_edges_from((u, v) for u in members for v in graph.adj[u] if v in members)
    people = [n for n in sub if n.startswith("person_id=")]
    if not any(sub.degree(n) > 1 for n in people):
        return []  # nobody is on two of the cluster's flags: nobody links anything
    sampled = len(sub) > EXACT_BETWEENNESS_LIMIT
    if len(sub) <= 2:
        centrality = dict.fromkeys(sub, 0.0)
    elif sampled:
        centrality = nx.betweenness_centrality(sub, k=BETWEENNESS_SAMPLES, seed=0)
    else:
        centrality = nx.betweenness_centrality(sub)
    linking = [n for n in people if round(centrality[n], 6) > 0]
    ranked = sorted(linking, key=lambda n: (-round(centrality[n], 6), n))[:top]
    return [{"key": n, "name": graph.nodes[n].get("name", n.split("=", 1)[1]),
             "betweenness": round(centrality[n], 3), "flags": sub.degree(n),
             "sampled": sampled} for n in ranked]


def describe_clusters(graph: nx.Graph, as_of: date, max_flags: int = MAX_CLUSTER_FLAGS,
                      groups: list[list[str]] | None = None) -> list[dict[str, Any]]:
    """Every cluster with its flags, entities, score with working and key people, best first.

    `groups` gives the clusters' members when they are already known (an incremental update);
    by default they are found in the graph.

    >>> from graphsvc.clusters.graph import build_flag_graph
    >>> g = build_flag_graph([
    ...     {"flag_id": "a", "severity": "high", "status": "new", "last_seen": "2025-03-31",
    ...      "entities": [{"key": "person_id=P1"}]},
    ...     {"flag_id": "b", "severity": "critical", "status": "new", "last_seen": "2025-03-31",
    ...      "entities": [{"key": "person_id=P9"}]}])
    >>> [(c["flags"], c["score"]) for c in describe_clusters(g, date(2025, 3, 31))]
    [(['b'], 9.0), (['a'], 3.0)]
    """
    clusters = []
    for members in find_clusters(graph, max_flags) if groups is None else groups:
        flags = [graph.nodes[n]["flag"] for n in members if n.startswith("flag:")]
        entities = [{"key": n, "label": graph.nodes[n].get("label"),
                     "name": graph.nodes[n].get("name")}
                    for n in members if not n.startswith("flag:")]
        scored = score_cluster(graph, members, as_of)
        severities = [f.get("severity") for f in flags]
        top = next((s for s in SEVERITY_WEIGHTS if s in severities), "medium")
        clusters.append({
            "members": members,
            "flags": sorted(f["flag_id"] for f in flags),
            "flag_records": sorted((_flag_record(f) for f in flags),
                                   key=lambda f: f["flag_id"]),
            "rules": sorted({f.get("rule_id") or "" for f in flags}),
            "entities": entities,
            "severity": top,
            "severity_counts": {s: severities.count(s) for s in SEVERITY_WEIGHTS
                                if severities.count(s)},
            "score": scored["score"],
            "score_lines": scored["lines"],
            "score_method": scored["method"],
            "key_people": key_people(graph, members),
            "linked_through": linked_through(graph, members),
            "last_seen": max((str(as_date(f.get("last_seen")) or "") for f in flags),
                             default=""),
        })
    clusters.sort(key=rank_key)
    return clusters


def rank_key(cluster: Mapping[str, Any]) -> tuple[Any, ...]:
    """Board order: highest score first, then worst severity, then first member (stable)."""
    return (-cluster["score"], -SEVERITY_WEIGHTS[cluster["severity"]], cluster["members"][0])


def _flag_record(flag: Mapping[str, Any]) -> dict[str, Any]:
    """What the board shows of a flag without reading the graph again."""
    keep = ("flag_id", "rule_id", "severity", "status", "summary", "first_seen", "last_seen",
            "action", "owner", "due_date")
    record = {k: flag.get(k) for k in keep}
    record["entity_keys"] = sorted(e["key"] for e in flag.get("entities") or [])
    return record

def as_date(value: date | datetime | str | None) -> date | None:
    """The day of a stored date or timestamp (ISO text keeps only its date part)."""
    return parse_date(value[:10] if isinstance(value, str) else value, "last-seen date")
