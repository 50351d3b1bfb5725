"""Records grouped into people by their links, keeping rejected pairs apart.

Confirmed links join first, then automatic links from the most probable down; a link that would
put two records of a rejected pair into one person is left out of the grouping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graphsvc.identities import AUTOMATIC, CONFIRMED, REJECTED


@dataclass
class Grouping:
    """Who is with whom: each record's group (a set of person_ids) and the links left out."""

    members: dict[str, set[str]] = field(default_factory=dict)
    kept_apart: list[tuple[str, str]] = field(default_factory=list)

    def group_of(self, person_id: str) -> set[str]:
        return self.members.get(person_id, {person_id})

    def identity_keys(self) -> dict[str, str]:
        """Each record in a group of two or more, with its group's key (the smallest id)."""
        keys = {}
        for person_id, group in self.members.items():
            if len(group) > 1:
                keys[person_id] = min(group)
        return keys


def group_records(links: Iterable[dict[str, Any]],
                  *, statuses: tuple[str, ...] = (CONFIRMED, AUTOMATIC),
                  skip: tuple[str, str] | None = None) -> Grouping:
    """Group records by links of the given statuses, never joining a rejected pair.

    >>> g = group_records([{"a": "A", "b": "B", "status": "automatic", "probability": 0.99},
    ...                    {"a": "B", "b": "C", "status": "automatic", "probability": 0.98},
    ...                    {"a": "A", "b": "C", "status": "rejected", "probability": 0.5}])
    >>> sorted(g.group_of("A")), g.kept_apart
    (['A', 'B'], [('B', 'C')])
    >>> g = group_records([
    ...     {"a": "C1", "b": "R1", "a_source": "cs", "b_source": "rms", "status": "automatic",
    ...      "probability": 0.99},
    ...     {"a": "C1", "b": "R2", "a_source": "cs", "b_source": "rms", "status": "automatic",
    ...      "probability": 0.97}])
    >>> sorted(g.group_of("C1")), g.kept_apart
    (['C1', 'R1'], [('C1', 'R2')])
    """
    links = [link for link in links if (link["a"], link["b"]) != skip]
    rejected: dict[str, set[str]] = {}
    for link in links:
        if link["status"] == REJECTED:
            rejected.setdefault(link["a"], set()).add(link["b"])
            rejected.setdefault(link["b"], set()).add(link["a"])
    grouping = Grouping()
    members = grouping.members
    order = {status: rank for rank, status in enumerate(statuses)}
    joining = sorted((link for link in links if link["status"] in order),
                     key=lambda link: (order[link["status"]], -(link.get("probability") or 0.0),
                                       link["a"], link["b"]))
    source_of = {}
    for link in links:
        for end in ("a", "b"):
            if link.get(f"{end}_source"):
                source_of[link[end]] = link[f"{end}_source"]
    for link in joining:
        left, right = grouping.group_of(link["a"]), grouping.group_of(link["b"])
        if left is right:
            continue
        if any(rejected.get(person_id, set()) & right for person_id in left):
            grouping.kept_apart.append((link["a"], link["b"]))
            continue
        if link["status"] == AUTOMATIC and _sources(left, source_of) & _sources(right, source_of):
            # Automatic links join one record per source system: a second record of the same
            # system joins a person only when an officer confirms it.
            grouping.kept_apart.append((link["a"], link["b"]))
            continue
        joined = left | right
        for person_id in joined:
            members[person_id] = joined
    return grouping


def _sources(group: set[str], source_of: dict[str, str]) -> set[str]:
    return {source_of[p] for p in group if p in source_of}


def rejected_pairs_within(links: Iterable[dict[str, Any]], group: set[str]
                          ) -> list[dict[str, Any]]:
    """The rejected links whose two records both lie in the group."""
    return [link for link in links
            if link["status"] == REJECTED and link["a"] in group and link["b"] in group]
