"""Measure links against a truth file: precision and recall per pair of sources."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from graphsvc.identities import AUTOMATIC, CONFIRMED, FOR_REVIEW
from graphsvc.identities.groups import group_records


def _source_pair(sources: dict[str, str], a: str, b: str) -> str:
    return "|".join(sorted((sources.get(a, "unknown"), sources.get(b, "unknown"))))


def evaluate_links(links: list[dict[str, Any]], truth: dict[str, str], sources: dict[str, str]
                   ) -> dict[str, Any]:
    """Precision and recall of the records linked as one person, per pair of sources.

    A pair of records counts as linked when the grouping puts them in one person (automatic
    and confirmed links), so a link through a third record counts too.

    >>> links = [{"a": "R1", "b": "C1", "status": "automatic", "probability": 0.999}]
    >>> out = evaluate_links(links, {"R1": "T1", "C1": "T1", "C2": "T2", "R2": "T2"},
    ...                      {"R1": "rms", "C1": "cs", "R2": "rms", "C2": "cs"})
    >>> out["per_source_pair"]["cs|rms"]
    {'true_pairs': 2, 'linked_pairs': 1, 'correct': 1, 'precision': 1.0, 'recall': 0.5}
    """
    grouping = group_records(links, statuses=(CONFIRMED, AUTOMATIC))
    linked: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for group in grouping.members.values():
        key = min(group)
        if key in seen:
            continue
        seen.add(key)
        for a, b in combinations(sorted(group), 2):
            linked.add((a, b))
    by_person: defaultdict[str, list[str]] = defaultdict(list)
    for record, person in truth.items():
        by_person[person].append(record)
    true_pairs = {(min(p), max(p)) for records in by_person.values()
                  for p in combinations(records, 2)}
    per: defaultdict[str, dict[str, Any]] = defaultdict(
        lambda: {"true_pairs": 0, "linked_pairs": 0, "correct": 0})
    for a, b in true_pairs:
        per[_source_pair(sources, a, b)]["true_pairs"] += 1
    for a, b in linked:
        figures = per[_source_pair(sources, a, b)]
        figures["linked_pairs"] += 1
        figures["correct"] += (a, b) in true_pairs
    out = {}
    for name, figures in sorted(per.items()):
        figures["precision"] = round(figures["correct"] / figures["linked_pairs"], 4) \
            if figures["linked_pairs"] else None
        figures["recall"] = round(figures["correct"] / figures["true_pairs"], 4) \
            if figures["true_pairs"] else None
        out[name] = dict(figures)
    correct = sum(f["correct"] for f in out.values())
    return {
        "per_source_pair": out,
        "precision": round(correct / len(linked), 4) if linked else None,
        "recall": round(correct / len(true_pairs), 4) if true_pairs else None,
        "linked_pairs": len(linked), "true_pairs": len(true_pairs),
        "review_queue": sum(1 for x in links if x["status"] == FOR_REVIEW),
    }
