"""Cluster ids that survive recomputation: each new cluster inherits the id of the earlier
cluster it overlaps most; what changed is said in words. `cluster_flags` is the pure whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graphsvc.clusters.graph import MAX_CLUSTER_FLAGS, build_flag_graph
from graphsvc.clusters.scoring import describe_clusters


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

    def rank(pair: tuple[int, str]) -> tuple[Any, ...]:
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
        given = ids[index]
        cid = given if given is not None else f"C-{next_number}"
        if given is None:
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
    named = [cid for cid in ids if cid is not None]  # every new cluster has its id by now
    for index, sources in sorted(merged_into.items(), key=lambda item: first[item[0]]):
        for source in sources:
            history.append(_event(source, "merged_into", f"merged into {named[index]}",
                                  [named[index]]))
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
