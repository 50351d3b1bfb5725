"""Planted distances are exact on the WGS84 ellipsoid, and survive the engine's float32 points."""

from __future__ import annotations

import struct
from datetime import date

import pytest
from pyproj import Geod

from graphsvc.dates import add_years
from graphsvc.synth import places
from graphsvc.synth.scenarios import choose_sites


def _as_float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


@pytest.mark.parametrize("distance", [300.0, 999.0, 1001.0])
@pytest.mark.parametrize("east", [True, False])
def test_point_at_is_the_intended_ellipsoidal_distance_even_as_float32(distance, east):
    lat, lon = places.point_at(52.61, 0.93, distance, east=east)
    start = (_as_float32(52.61), _as_float32(0.93))
    measured = Geod(ellps="WGS84").inv(start[1], start[0], lon, lat)[2]
    assert abs(measured - distance) < 0.02
    assert (_as_float32(lat), _as_float32(lon)) == (lat, lon)


def test_the_county_is_inside_great_britain_on_the_national_grid():
    county = places.make_county()
    assert len(county) == 162 and len({p.name for p in county}) == len(county)
    for place in county:
        easting, northing = places.to_grid(place.latitude, place.longitude)
        assert 0 < easting < 700_000 and 0 < northing < 1_300_000


def test_scenario_sites_are_far_enough_apart():
    import random

    sites = choose_sites(random.Random(1), 60)
    closest = min(places.geodesic_m(*a, *b) for i, a in enumerate(sites) for b in sites[i + 1:])
    assert closest > 3_900


def test_add_years_turns_29_february_into_28_february():
    assert add_years(date(2008, 2, 29), 18) == date(2026, 2, 28)
    assert add_years(date(2026, 11, 22), -18) == date(2008, 11, 22)
