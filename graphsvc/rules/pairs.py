"""Pairs of points within a radius, made outside the engine for a rule that measures them.

A rule whose header has a line `// pairs: LEFT=statement RIGHT=statement` (the proximity rule)
receives `$pairs`: every pair of a row of the first statement and a row of the second whose
points lie within the rule's `radius_m` (plus 1 %: the rule measures each pair exactly and keeps
those within the radius), each pair one map of both rows' columns prefixed with their side's
name and `_` (`placement_address_id`, `home_address_id`, ...), and its `distance_m`. Each
side's rows carry
`latitude`, `longitude`, `person_id` (a record) and `person` (the person: identity key or record
id); a pair of one person with itself is left out. In an incremental run (`anchors` set) only the
pairs where either side's `person_id` is among `anchor_person_ids` are made.

The rule's statement is then asked only what the pairs do not carry, and its rows are built
from both by graphsvc/rules/proximity.py (the one rule with pairs).

Neither engine's point index can make these pairs (FalkorDB uses it only for a constant point).
The candidates come from scipy's k-d tree over the points' earth-centred coordinates on the
WGS84 ellipsoid (a straight chord is never longer than the way over the surface, so no pair
within the radius is missed), and each candidate is then measured with `distance_m`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from graphsvc import queries
from graphsvc.rules import proximity
from graphsvc.rules.catalogue import Rule
from graphsvc.rules.material import with_material
from graphsvc.store.base import GraphStore

SLACK = 1.01  # pairs are made up to 1 % beyond the radius; the rule keeps those within it
_A = 6378137.0  # WGS84 semi-major axis, metres
_E2 = 0.00669437999014  # WGS84 first eccentricity squared
_CANDIDATE_SLACK = 1.001  # the tree's reach beyond the radius, before each pair is measured


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


def _earth_centred(rows: list[dict[str, Any]]) -> np.ndarray:
    """Each row's point as x, y, z in metres from the earth's centre (WGS84, on the surface)."""
    lat = np.radians(np.array([r["latitude"] for r in rows], dtype=float))
    lon = np.radians(np.array([r["longitude"] for r in rows], dtype=float))
    prime_vertical = _A / np.sqrt(1.0 - _E2 * np.sin(lat) ** 2)
    return np.column_stack((prime_vertical * np.cos(lat) * np.cos(lon),
                            prime_vertical * np.cos(lat) * np.sin(lon),
                            prime_vertical * (1.0 - _E2) * np.sin(lat)))


def within(left: list[dict[str, Any]], right: list[dict[str, Any]], radius_m: float
           ) -> Iterator[tuple[dict[str, Any], dict[str, Any], float]]:
    """Every (left, right, distance) of points within radius_m (ellipsoidal distance)."""
    if not left or not right:
        return
    tree = cKDTree(_earth_centred(right))
    reach = radius_m * _CANDIDATE_SLACK + 1.0  # distance_m is the ellipsoid's to ~1 mm per km
    for row, near in zip(left, tree.query_ball_point(_earth_centred(left), reach), strict=True):
        for index in sorted(near):
            other = right[index]
            apart = distance_m(row["latitude"], row["longitude"], other["latitude"],
                               other["longitude"])
            if apart <= radius_m:
                yield row, other, apart


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
    for a, b, apart in within(left, right, params["radius_m"] * SLACK):
        if a["person"] == b["person"]:
            continue
        if anchored is not None and a["person_id"] not in anchored \
                and b["person_id"] not in anchored:
            continue
        pairs.append({**{f"{left_name}_{k}": v for k, v in a.items()},
                      **{f"{right_name}_{k}": v for k, v in b.items()}, "distance_m": apart})
    return {**params, "pairs": pairs}


def rule_rows(store: GraphStore, rule: Rule, params: dict[str, Any],
              keep: Callable[[list[str]], bool] | None = None) -> list[dict[str, Any]]:
    """The rule's rows for these parameters: what its statement returns, or for a rule with
    pairs the rows built from them and from what its statement returns for their children;
    with the material its `material_from` statement gives (graphsvc/rules/material.py).
    `keep`: only the rows whose identity it keeps (an incremental run's affected identities),
    left out before their material is read or, for a rule with pairs, before they are built."""
    if sides(rule) is None:
        rows = store.read(rule.query, **params)
        if keep is not None:
            rows = [r for r in rows if keep(list(r.get("identity") or ()))]
        return with_material(store, rule, params, rows)
    by_child = proximity.adults(with_pairs(store, rule, params)["pairs"], params["radius_m"],
                                keep)
    per_child = store.read(rule.query, **params, child_ids=sorted(by_child)) if by_child else []
    return with_material(store, rule, params, proximity.rows(by_child, per_child, params))
