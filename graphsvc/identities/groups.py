"""Records grouped into people by their links, keeping rejected pairs apart.

Confirmed links join first, then automatic links from the most probable down; a link that would
put two records of a rejected pair into one person is left out of the grouping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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


def group_records(links: Iterable[dict], *, statuses: tuple[str, ...] = (CONFIRMED, AUTOMATIC),
                  skip: tuple[str, str] | None = None) -> Grouping:
    """Group records by links of the given statuses, never joining a rejected pair.

    >>> g = group_records([{"a": "A", "b": "B", "status": "automatic", "probability": 0.99},
    ...                    {"a": "B", "b": "C", "status": "automatic", "probability": 0.98},
    ...                    {"a": "A", "b": "C", "status": "rejected", "probability": 0.5}])
    >>> sorted(g.group_of("A")), g.kept_apart
    (['A', 'B'], [('B', 'C')])
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
    for link in joining:
        left, right = grouping.group_of(link["a"]), grouping.group_of(link["b"])
        if left is right:
            continue
        if any(rejected.get(person_id, set()) & right for person_id in left):
            grouping.kept_apart.append((link["a"], link["b"]))
            continue
        joined = left | right
        for person_id in joined:
            members[person_id] = joined
    return grouping


def rejected_pairs_within(links: Iterable[dict], group: set[str]) -> list[dict]:
    """The rejected links whose two records both lie in the group."""
    return [link for link in links
            if link["status"] == REJECTED and link["a"] in group and link["b"] in group]
