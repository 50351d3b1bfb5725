"""Clusters: connected groups of open flags and the people, places, vehicles, phones they share.

A tasking meeting reviews situations, not single flags. The pure functions here take a networkx
graph first and return plain dicts; `recompute` reads the open flags from the graph store, clusters
them, keeps each cluster's id across recomputations and stores the result in `app.db`.

Which flags are open (on the board): `new`, `under_review`, and `actioned` while the action agreed
is outstanding, i.e. the latest decision on the flag recorded an action. A meeting closes an
actioned flag by recording `no_further_action`; `resolved` flags (the rule no longer fires) leave.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import networkx as nx

from graphsvc import appdb
from graphsvc.dates import parse_date
from graphsvc.errors import NotFound
from graphsvc.model import AWAITING_DECISION, LINKING
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

SEVERITY_WEIGHTS = {"critical": 9.0, "high": 3.0, "medium": 1.0}
# A flag not seen for this many days counts half as much; recency never falls below the floor.
RECENCY_HALF_LIFE_DAYS = 30
RECENCY_FLOOR = 0.1
KEY_PEOPLE = 3
# A connected group with more open flags than this is too big for a meeting to review as one
# situation: its most shared entities ("hubs": a children's home, a prolific offender) are set
# aside, this fraction of its entities at a time, until every piece is small enough. Each piece
# lists the hubs it was split from, so the link is never hidden.
MAX_CLUSTER_FLAGS = 50
HUB_PEEL_FRACTION = 0.05
# Above this many nodes, betweenness is estimated from this many sampled sources (seeded).
EXACT_BETWEENNESS_LIMIT = 600
BETWEENNESS_SAMPLES = 300


def flag_node(flag_id: str) -> str:
    """The node name of a flag in the cluster graph (entity nodes are their `label_key=value`)."""
    return f"flag:{flag_id}"


def is_open(flag: Mapping[str, Any]) -> bool:
    """Whether a flag belongs on the board (see the module docstring).

    >>> is_open({"status": "actioned", "action": "Visit the home"})
    True
    >>> is_open({"status": "actioned", "action": None}), is_open({"status": "resolved"})
    (False, False)
    """
    status = flag.get("status")
    if status == "actioned":
        return bool((flag.get("action") or "").strip())
    return status in AWAITING_DECISION


def build_flag_graph(flags: Iterable[Mapping[str, Any]]) -> nx.Graph:
    """A graph of open flags, each joined to the people, addresses, vehicles and phones it concerns.

    Each flag is a dict with `flag_id`, `rule_id`, `severity`, `status`, `last_seen` and
    `entities` (dicts with `key` such as `person_id=P1`, `label`, `role`, `name`). Entities of other
    kinds (orders, placements, incidents) stay on the flag's node: they do not join flags.

    >>> g = build_flag_graph([{"flag_id": "r:1", "severity": "high", "status": "new",
    ...     "entities": [{"key": "person_id=P1"}, {"key": "order_id=O1"}]}])
    >>> sorted(g.nodes), g.nodes["flag:r:1"]["others"][0]["key"]
    (['flag:r:1', 'person_id=P1'], 'order_id=O1')
    """
    graph = nx.Graph()
    for flag in flags:
        if not is_open(flag):
            continue
        node = flag_node(flag["flag_id"])
        linking, others = [], []
        for entity in flag.get("entities") or []:
            prefix = entity["key"].split("=", 1)[0]
            (linking if prefix in LINKING else others).append(entity)
        graph.add_node(node, kind="flag", flag=dict(flag), others=others)
        for entity in linking:
            key = entity["key"]
            if key not in graph:
                label = entity.get("label") or LINKING[key.split("=", 1)[0]].label
                graph.add_node(key, kind="entity", label=label,
                               name=entity.get("name") or key.split("=", 1)[1])
            graph.add_edge(node, key, role=entity.get("role") or "")
    return graph


def find_clusters(graph: nx.Graph, max_flags: int = MAX_CLUSTER_FLAGS) -> list[list[str]]:
    """Connected groups that hold at least one flag, each a sorted list of node names.

    A group with more than `max_flags` flags is split by setting aside its most shared entities
    (see MAX_CLUSTER_FLAGS); those hubs belong to no cluster. Sorted by first member, so the
    same graph always gives the same answer.

    >>> g = nx.Graph([("flag:a", "person_id=P1"), ("flag:b", "person_id=P1"), ("flag:c", "vrm=X")])
    >>> find_clusters(g)
    [['flag:a', 'flag:b', 'person_id=P1'], ['flag:c', 'vrm=X']]
    >>> star = nx.Graph([("flag:a", "address_id=H"), ("flag:b", "address_id=H"),
    ...                  ("flag:c", "address_id=H"), ("flag:c", "person_id=P3")])
    >>> find_clusters(star, max_flags=2)
    [['flag:a'], ['flag:b'], ['flag:c', 'person_id=P3']]
    """
    adj = graph.adj
    removed: set[str] = set()
    groups = []
    pending = [set(c) for c in nx.connected_components(graph)]
    while pending:
        group = pending.pop()
        flags = sum(1 for n in group if n.startswith("flag:"))
        if flags == 0:
            continue
        if flags <= max_flags:
            groups.append(sorted(group))
            continue

        def degree(n: str, group: set[str] = group) -> int:
            return sum(1 for m in adj[n] if m in group)

        shared = sorted((n for n in group if not n.startswith("flag:")),
                        key=lambda n: (-degree(n), n))
        hubs = shared[:max(1, math.ceil(len(shared) * HUB_PEEL_FRACTION))]
        removed.update(hubs)
        pending.extend(_components(adj, group - removed))
    return sorted(groups, key=lambda members: members[0])


def _components(adj: Mapping[str, Mapping], nodes: set[str]) -> list[set[str]]:
    """Connected components of the graph restricted to `nodes` (a plain breadth-first walk:
    much cheaper than copying a subgraph for every split)."""
    seen: set[str] = set()
    found = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        component, frontier = {start}, [start]
        while frontier:
            node = frontier.pop()
            for other in adj[node]:
                if other in nodes and other not in seen:
                    seen.add(other)
                    component.add(other)
                    frontier.append(other)
        found.append(component)
    return found


def linked_through(graph: nx.Graph, members: Iterable[str], top: int = 5) -> list[dict]:
    """The hubs set aside when a too-big group was split that this cluster's flags concern.

    >>> star = nx.Graph([("flag:a", "address_id=H"), ("flag:b", "address_id=H")])
    >>> linked_through(star, ["flag:a"])
    [{'key': 'address_id=H', 'name': 'H', 'flags': 2}]
    """
    inside = set(members)
    hubs = {n for m in inside if m.startswith("flag:") for n in graph[m] if n not in inside}
    ranked = sorted(hubs, key=lambda n: (-graph.degree(n), n))[:top]
    return [{"key": n, "name": graph.nodes[n].get("name", n.split("=", 1)[1]),
             "flags": graph.degree(n)} for n in ranked]


def recency(last_seen: date | datetime | str | None, as_of: date) -> tuple[float, int | None]:
    """The recency factor of a flag and its age in days: halves every RECENCY_HALF_LIFE_DAYS.

    >>> recency(date(2025, 3, 1), date(2025, 3, 31))
    (0.5, 30)
    >>> recency(None, date(2025, 3, 31))
    (1.0, None)
    """
    seen = _as_date(last_seen)
    if seen is None:
        return 1.0, None
    age = max(0, (as_of - seen).days)
    return round(max(RECENCY_FLOOR, 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)), 4), age


def score_cluster(graph: nx.Graph, members: Iterable[str], as_of: date) -> dict[str, Any]:
    """A cluster's score, the sum over its flags of severity weight times recency, with its working.

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


def key_people(graph: nx.Graph, members: Iterable[str], top: int = KEY_PEOPLE) -> list[dict]:
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
            "last_seen": max((str(_as_date(f.get("last_seen")) or "") for f in flags),
                             default=""),
        })
    clusters.sort(key=rank_key)
    return clusters


def rank_key(cluster: Mapping[str, Any]) -> tuple:
    """Board order: highest score first, then worst severity, then first member (stable)."""
    return (-cluster["score"], -SEVERITY_WEIGHTS[cluster["severity"]], cluster["members"][0])


def _flag_record(flag: Mapping[str, Any]) -> dict[str, Any]:
    """What the board shows of a flag without reading the graph again."""
    keep = ("flag_id", "rule_id", "severity", "status", "summary", "first_seen", "last_seen",
            "action", "owner", "due_date")
    record = {k: flag.get(k) for k in keep}
    record["entity_keys"] = sorted(e["key"] for e in flag.get("entities") or [])
    return record


def cluster_number(cluster_id: str) -> int:
    """The number in a cluster id (`C-12` → 12), used to order ids deterministically."""
    return int(cluster_id.split("-", 1)[1])


def match_ids(previous: Mapping[str, Iterable[str]], current: list[Iterable[str]],
              next_number: int) -> dict[str, Any]:
    """Give each new cluster the id of the earlier cluster it overlaps most, and say what happened.

    Pairs are taken greedily by overlap count, then Jaccard, then the older id, then the new
    cluster's first member, so the biggest overlap keeps an id and ties always fall the same way.
    A new cluster left without an id gets a fresh one: "split from C-n" when it shares members
    with an earlier cluster whose id went elsewhere. An earlier cluster whose id nobody inherits is
    "merged" into the new cluster it overlaps most, or "closed" when it overlaps none.

    >>> result = match_ids({"C-1": {"a", "b", "c", "d"}}, [{"a", "b", "c"}, {"d", "e"}], 2)
    >>> result["ids"], [(h["cluster_id"], h["kind"], h["note"]) for h in result["history"]]
    (['C-1', 'C-2'], [('C-1', 'changed', '1 entity left'), ('C-2', 'split', 'split from C-1')])
    >>> result = match_ids({"C-7": {"a"}, "C-9": {"b", "c"}}, [{"a", "b", "c"}], 10)
    >>> result["ids"], [(h["cluster_id"], h["kind"], h["note"]) for h in result["history"]]
    (['C-9'], [('C-9', 'merged', 'merged C-7 and C-9'), ('C-7', 'merged_into', 'merged into C-9')])
    """
    old = {cid: frozenset(m) for cid, m in previous.items()}
    new = [frozenset(m) for m in current]
    first = [min(m) if m else "" for m in new]
    owners: dict[str, set[str]] = defaultdict(set)
    for cid, members in old.items():
        for member in members:
            owners[member].add(cid)
    overlaps: dict[tuple[int, str], int] = defaultdict(int)
    for index, members in enumerate(new):
        for member in members:
            for cid in owners.get(member, ()):
                overlaps[(index, cid)] += 1

    def rank(pair: tuple[int, str]) -> tuple:
        index, cid = pair
        shared = overlaps[pair]
        jaccard = shared / (len(new[index]) + len(old[cid]) - shared)
        return (-shared, -jaccard, cluster_number(cid), first[index])

    ids: list[str | None] = [None] * len(new)
    taken: set[str] = set()
    for index, cid in sorted(overlaps, key=rank):
        if ids[index] is None and cid not in taken:
            ids[index] = cid
            taken.add(cid)

    pairs_of_new: dict[int, list[tuple[int, str]]] = defaultdict(list)
    pairs_of_old: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pair in overlaps:
        pairs_of_new[pair[0]].append(pair)
        pairs_of_old[pair[1]].append(pair)

    def best_old(index: int) -> str | None:
        pairs = pairs_of_new.get(index)
        return min(pairs, key=rank)[1] if pairs else None

    def best_new(cid: str) -> int | None:
        pairs = pairs_of_old.get(cid)
        return min(pairs, key=rank)[0] if pairs else None

    # Earlier clusters whose id nobody inherited fold into the new cluster they overlap most.
    merged_into: dict[int, list[str]] = defaultdict(list)
    closed = []
    for cid in sorted(old, key=cluster_number):
        if cid in taken:
            continue
        target = best_new(cid)
        if target is None:
            closed.append(cid)
        else:
            merged_into[target].append(cid)

    history: list[dict[str, Any]] = []
    for index in sorted(range(len(new)), key=lambda i: first[i]):
        cid = ids[index]
        if cid is None:
            cid = f"C-{next_number}"
            next_number += 1
            ids[index] = cid
            source = best_old(index)
            if source:
                history.append(_event(cid, "split", f"split from {source}", [source]))
            else:
                history.append(_event(cid, "new", "", []))
        elif merged_into.get(index):
            joined = sorted([cid, *merged_into[index]], key=cluster_number)
            note = "merged " + ", ".join(joined[:-1]) + " and " + joined[-1]
            history.append(_event(cid, "merged", note, [c for c in joined if c != cid]))
        elif new[index] != old[cid]:
            history.append(_event(cid, "changed", describe_change(old[cid], new[index]), []))
        else:
            history.append(_event(cid, "unchanged", "", []))
    for index, sources in sorted(merged_into.items(), key=lambda item: first[item[0]]):
        for source in sources:
            history.append(_event(source, "merged_into", f"merged into {ids[index]}", [ids[index]]))
    for cid in closed:
        history.append(_event(cid, "closed", "no open flag left", []))
    return {"ids": ids, "history": history, "next_number": next_number}


def describe_change(before: Iterable[str], after: Iterable[str]) -> str:
    """What joined and left a cluster, in words.

    >>> describe_change({"flag:a", "person_id=P1"}, {"flag:a", "flag:b", "person_id=P1", "vrm=X"})
    '1 flag joined, 1 entity joined'
    """
    before, after = set(before), set(after)
    parts = []
    for what, members in (("joined", after - before), ("left", before - after)):
        flags = sum(1 for m in members if m.startswith("flag:"))
        entities = len(members) - flags
        if flags:
            parts.append(f"{flags} flag{'s' if flags != 1 else ''} {what}")
        if entities:
            parts.append(f"{entities} entit{'ies' if entities != 1 else 'y'} {what}")
    return ", ".join(parts)


def _event(cluster_id: str, kind: str, note: str, related: list[str]) -> dict[str, Any]:
    return {"cluster_id": cluster_id, "kind": kind, "note": note, "related": related}


def cluster_flags(flags: Iterable[Mapping[str, Any]], as_of: date,
                  previous: Mapping[str, Iterable[str]] | None = None,
                  next_number: int = 1, max_flags: int = MAX_CLUSTER_FLAGS) -> dict[str, Any]:
    """Cluster open flags, score and rank the clusters and give them ids that survive recomputation.

    Returns `clusters` (best first, each with its `cluster_id` and `rank`), `history` (what
    happened to each id since `previous`) and `next_number` (the next unused cluster number).
    """
    graph = build_flag_graph(flags)
    clusters = describe_clusters(graph, as_of, max_flags)
    matched = match_ids(previous or {}, [c["members"] for c in clusters], next_number)
    for rank, (cluster, cid) in enumerate(zip(clusters, matched["ids"], strict=True), start=1):
        cluster["cluster_id"] = cid
        cluster["rank"] = rank
    return {"clusters": clusters, "history": matched["history"],
            "next_number": matched["next_number"]}


# ---- stored clusterings (app.db) ------------------------------------------------------------

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


def recompute(store: GraphStore, settings: Settings, *, as_of: date | None = None) -> dict:
    """Cluster the open flags now, keep ids from the previous clustering, store it and its history.

    Called after every rule run and by `graphsvc clusters recompute`; returns a summary.
    """
    started = time.perf_counter()
    as_of = as_of or date.today()
    flags = read_open_flags(store)
    read_s = _elapsed(started)
    conn = open_db(settings)
    try:
        with appdb.immediate(conn):  # one recomputation at a time keeps ids consistent
            previous_run = _latest_run_id(conn)
            previous = _members(conn, previous_run) if previous_run else {}
            row = conn.execute("SELECT next_number FROM cluster_sequence WHERE name = 'cluster'"
                               ).fetchone()
            next_number = row["next_number"] if row else 1
            cluster_start = time.perf_counter()
            result = cluster_flags(flags, as_of, previous, next_number)
            cluster_s = _elapsed(cluster_start)
            run_id = _store_run(conn, result, as_of, len(flags), _elapsed(started))
        _prune(conn)
    finally:
        conn.close()
    kinds = defaultdict(int)
    for event in result["history"]:
        kinds[event["kind"]] += 1
    summary = {"run_id": run_id, "as_of": as_of.isoformat(), "flags_read": len(flags),
               "open_flags": sum(len(c["flags"]) for c in result["clusters"]),
               "clusters": len(result["clusters"]), "events": dict(sorted(kinds.items())),
               "read_s": read_s, "cluster_s": cluster_s, "seconds": _elapsed(started)}
    log.info("Clusters recomputed: %s", summary)
    return summary


def _store_run(conn: sqlite3.Connection, result: dict, as_of: date, flags: int,
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


def _latest_run_id(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT max(run_id) AS run_id FROM cluster_runs").fetchone()
    return row["run_id"] if row else None


def _members(conn: sqlite3.Connection, run_id: int) -> dict[str, list[str]]:
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
        run_id = run_id or _latest_run_id(conn)
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
        run_id = _latest_run_id(conn)
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


def _as_date(value: date | datetime | str | None) -> date | None:
    """The day of a stored date or timestamp (ISO text keeps only its date part)."""
    return parse_date(value[:10] if isinstance(value, str) else value, "last-seen date")


def to_json(value: Any) -> str:
    """JSON text for app.db columns (dates as ISO text)."""
    return json.dumps(value, default=str, sort_keys=True)


def _elapsed(start: float) -> float:
    return round(time.perf_counter() - start, 3)
