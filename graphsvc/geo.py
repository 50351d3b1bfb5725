"""Distances on the WGS84 ellipsoid, the one measure every part of graphsvc uses (the proximity
rule computes the same in Cypher from the local radii of curvature)."""

from __future__ import annotations

from functools import cache

from pyproj import Geod


@cache
def _geod() -> Geod:
    return Geod(ellps="WGS84")


def geodesic_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the WGS84 ellipsoid in metres."""
    return float(_geod().inv(lon1, lat1, lon2, lat2)[2])


def forward(lat: float, lon: float, azimuth: float, distance_m: float) -> tuple[float, float]:
    """The point `distance_m` from (lat, lon) along `azimuth` degrees, as (lat, lon)."""
    lon2, lat2, _ = _geod().fwd(lon, lat, azimuth, distance_m)
    return lat2, lon2


def distance_and_bearing(lat: float, lon: float, to_lat: float, to_lon: float
                         ) -> tuple[float, float]:
    """(metres, initial bearing in degrees clockwise from north) from one point to another."""
    bearing, _back, metres = _geod().inv(lon, lat, to_lon, to_lat)
    return metres, bearing % 360.0
