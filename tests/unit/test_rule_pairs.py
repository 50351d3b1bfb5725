"""The proximity rule's pairs made outside the engine: the k-d tree join finds exactly the pairs a
test of every pair finds, whatever the radius and latitude, and the rule names its two sides."""

from __future__ import annotations

import random

import pytest
from pyproj import Geod

from graphsvc.rules.catalogue import get_rule
from graphsvc.rules.pairs import distance_m, sides, within

GEOD = Geod(ellps="WGS84")


def _points(rng: random.Random, n: int, lat: float, lon: float, spread: float) -> list[dict]:
    return [{"id": i, "latitude": lat + rng.uniform(-spread, spread),
             "longitude": lon + rng.uniform(-spread * 2, spread * 2)} for i in range(n)]


@pytest.mark.parametrize(("lat", "lon", "radius"), [(52.6, 1.3, 1000.0), (52.6, -0.01, 250.0),
                                                    (-33.9, 151.2, 5000.0), (69.6, 18.9, 800.0)])
def test_the_join_finds_every_pair_within_the_radius_and_no_other(lat, lon, radius):
    rng = random.Random(f"{lat}{radius}")
    left = _points(rng, 300, lat, lon, 0.05)
    right = _points(rng, 200, lat, lon, 0.05)
    expected = {(a["id"], b["id"]) for a in left for b in right
                if distance_m(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
                <= radius}
    found = [(a["id"], b["id"]) for a, b, _ in within(left, right, radius)]
    assert expected, "the points must be close enough for some pairs"
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_the_distance_is_the_ellipsoids_within_a_millimetre_per_kilometre():
    for azimuth in (0.0, 45.0, 90.0, 200.0):
        lon, lat, _ = GEOD.fwd(1.3, 52.6, azimuth, 999.0)
        assert abs(distance_m(52.6, 1.3, lat, lon) - 999.0) < 1.0


def test_either_side_empty_makes_no_pairs():
    point = [{"latitude": 52.0, "longitude": 1.0}]
    assert list(within([], point, 1000.0)) == []
    assert list(within(point, [], 1000.0)) == []


def test_the_proximity_rule_names_its_two_sides():
    assert sides(get_rule("ooa_child_near_high_risk_offender")) == {
        "placement": "pairs/ooa_placements", "home": "pairs/ooa_homes"}
    assert sides(get_rule("order_breach")) is None
