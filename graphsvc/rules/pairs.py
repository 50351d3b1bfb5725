"""Pairs of points within a radius, made outside the engine for a rule that measures them.

A rule whose header has a line `// pairs: LEFT=statement RIGHT=statement` (the proximity rule)
receives `$pairs`: every pair of a row of the first statement and a row of the second whose
points lie within the rule's `radius_m` (plus 1 %: the rule measures each pair exactly and keeps
those within the radius), each pair one map of both rows' columns prefixed with their side's
name and `_` (`placement_address_id`, `home_address_id`, ...). Each side's rows carry
`latitude`, `longitude`, `person_id` (a record) and `person` (the person: identity key or record
id); a pair of one person with itself is left out. In an incremental run (`anchors` set) only the
pairs where either side's `person_id` is among `anchor_person_ids` are made.

Neither engine's point index can make these pairs (FalkorDB uses it only for a constant point),
and a join of a few thousand points by grid in memory costs milliseconds: the rows are bucketed
in cells of the radius, and each left row is tested against the right rows of its cell and the
eight around it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from graphsvc import queries
from graphsvc.rules.catalogue import Rule
from graphsvc.store.base import GraphStore

SLACK = 1.01  # pairs are made up to 1 % beyond the radius; the rule keeps those within it
_A = 6378137.0  # WGS84 semi-major axis, metres
_E2 = 0.00669437999014  # WGS84 first eccentricity squared
# Metres per degree, at least (so a cell of radius / these is at least the radius wide).
_MIN_M_PER_DEGREE_LAT = 110_000.0
_MIN_M_PER_DEGREE_LON_AT_EQUATOR = 111_000.0


def sides(rule: Rule) -> dict[str, str] | None:
    """The rule's pair sides (`{"placement": "pairs/ooa_placements", ...}`), or None."""
    line = queries.get(rule.query).first("pairs")
    if not line:
        return None
    named = dict(part.split("=", 1) for part in line.split())
    if len(named) != 2:
        raise ValueError(f"rule {rule.id}: the pairs line must name two sides, not {line!r}")
    return named


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Ellipsoidal distance from the local radii of curvature at the mean latitude (the same
    formula as the rule's, which keeps the pairs within the radius)."""
    phi = math.radians((lat1 + lat2) / 2.0)
    w = 1.0 - _E2 * math.sin(phi) ** 2
    east = math.radians(lon2 - lon1) * (_A / math.sqrt(w)) * math.cos(phi)
    north = math.radians(lat2 - lat1) * (_A * (1.0 - _E2) / w ** 1.5)
    return math.hypot(east, north)


def _cells(rows: list[dict[str, Any]], size: tuple[float, float]
           ) -> dict[tuple[int, int], list[dict[str, Any]]]:
    grid: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grid[(math.floor(row["latitude"] / size[0]),
              math.floor(row["longitude"] / size[1]))].append(row)
    return grid


def within(left: list[dict[str, Any]], right: list[dict[str, Any]], radius_m: float
           ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (left, right) pair whose points lie within radius_m (ellipsoidal distance)."""
    rows = left + right
    if not left or not right:
        return
    widest = max(abs(r["latitude"]) for r in rows)
    lon_metres = _MIN_M_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(widest)), 1e-6)
    size = (radius_m / _MIN_M_PER_DEGREE_LAT, min(radius_m / lon_metres, 360.0))
    grid = _cells(right, size)
    for row in left:
        y, x = math.floor(row["latitude"] / size[0]), math.floor(row["longitude"] / size[1])
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for other in grid.get((y + dy, x + dx), ()):
                    if distance_m(row["latitude"], row["longitude"], other["latitude"],
                                  other["longitude"]) <= radius_m:
                        yield row, other


def with_pairs(store: GraphStore, rule: Rule, params: dict[str, Any]) -> dict[str, Any]:
    """The rule's parameters with `$pairs` made, if its header asks for them."""
    named = sides(rule)
    if named is None:
        return params
    (left_name, left_query), (right_name, right_query) = named.items()
    left = [r for r in store.read(left_query, **params) if r.get("latitude") is not None]
    right = [r for r in store.read(right_query, **params) if r.get("latitude") is not None]
    anchored = (None if params.get("anchors") is None
                else set(params.get("anchor_person_ids") or ()))
    pairs = []
    for a, b in within(left, right, params["radius_m"] * SLACK):
        if a["person"] == b["person"]:
            continue
        if anchored is not None and a["person_id"] not in anchored \
                and b["person_id"] not in anchored:
            continue
        pairs.append({**{f"{left_name}_{k}": v for k, v in a.items()},
                      **{f"{right_name}_{k}": v for k, v in b.items()}})
    return {**params, "pairs": pairs}


def rule_rows(store: GraphStore, rule: Rule, params: dict[str, Any]) -> list[dict[str, Any]]:
    """What the rule's statement returns for these parameters (with its pairs, if it has any)."""
    return store.read(rule.query, **with_pairs(store, rule, params))
