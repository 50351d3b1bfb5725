"""The flag graph: open flags joined by the people, addresses, vehicles and phones they share,
and its connected groups (hubs peeled off groups too big for one meeting)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graphsvc.model import AWAITING_DECISION, LINKING

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
        linking: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
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


def _components(adj: Mapping[str, Mapping[str, Any]], nodes: set[str]) -> list[set[str]]:
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


def linked_through(graph: nx.Graph, members: Iterable[str], top: int = 5) -> list[dict[str, Any]]:
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
