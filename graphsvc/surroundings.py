"""Where things lie around an address: distance and compass direction, and the picture of them.

Distances and bearings are on the WGS84 ellipsoid (pyproj's Geod, as the rules measure). The
picture is drawn server-side as SVG coordinates (the template only writes them out), so it
needs no script, no CDN and no tile server; a force that configures its own tile server gets
its tiles drawn beneath, from that server only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
           "north-west")
SIZE = 400  # the picture's viewBox is SIZE × SIZE with the address at its centre
MARGIN = 24  # room at the edge for labels
TILE_PX = 256


def compass(bearing: float) -> str:
    """`north`, `north-east`, … for a bearing in degrees (eight points)."""
    return COMPASS[int(((bearing % 360.0) + 22.5) // 45) % 8]


def describe_place(distance_m: float | None, bearing: float | None) -> str:
    """"600 m north"; "here" at the address; "location not recorded" without coordinates."""
    if distance_m is None or bearing is None:
        return "location not recorded"
    if distance_m < 1:
        return "here"
    return f"{round(distance_m)} m {compass(bearing)}"


def picture(radius_m: int, points: Iterable[Mapping[str, Any]], *, centre: tuple[float, float]
            | None = None, tile_url: str = "") -> dict[str, Any]:
    """The picture's geometry: range rings, each point at its true bearing and distance, and
    (when `tile_url` is set and the address has coordinates) the map tiles to draw beneath.

    Points carry `distance_m` and `bearing_deg` (others without them are left out) and are
    returned with `x`, `y`. The scale stretches to the farthest point shown (a flagged offender
    may lie beyond the radius), with rings at round distances.
    """
    placed = [dict(p) for p in points
              if p.get("distance_m") is not None and p.get("bearing_deg") is not None]
    extent = max([float(radius_m)] + [float(p["distance_m"]) for p in placed])
    extent = _round_up(extent * 1.05)
    half = SIZE / 2
    scale = (half - MARGIN) / extent  # pixels per metre
    for p in placed:
        angle = math.radians(float(p["bearing_deg"]))
        r = float(p["distance_m"]) * scale
        p["x"] = round(half + r * math.sin(angle), 1)
        p["y"] = round(half - r * math.cos(angle), 1)
    rings = sorted({float(radius_m), extent} | ({radius_m / 2} if radius_m / 2 >= 50 else set()))
    ring_list = [{"metres": round(m), "r": round(m * scale, 1),
                  "label": f"{round(m):,} m" if m < 10_000 else f"{m / 1000:g} km",
                  "radius": m == float(radius_m)} for m in rings if m <= extent]
    return {"size": SIZE, "centre": half, "extent_m": round(extent), "radius_m": radius_m,
            "rings": ring_list, "points": placed,
            "tiles": _tiles(tile_url, centre, extent, scale) if tile_url and centre else []}


def _round_up(metres: float) -> float:
    """The next round distance: 100, 200, 250, 500, 1,000, 1,500, 2,000, 2,500, 5,000 …"""
    for step in (100, 200, 250, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10_000):
        if metres <= step:
            return float(step)
    return float(math.ceil(metres / 5000) * 5000)


def _tiles(url: str, centre: tuple[float, float], extent_m: float, scale: float
           ) -> list[dict[str, Any]]:
    """Web Mercator ("slippy map") tiles from the force's own server covering the picture, each
    with its place in the picture's coordinates. Only `{z}`, `{x}` and `{y}` are filled in."""
    lat, lon = centre
    metres_per_px = 1 / scale  # on the ground, per picture pixel
    # zoom whose ground resolution is closest to the picture's
    equator = 156_543.03392 * math.cos(math.radians(lat))
    zoom = max(0, min(19, round(math.log2(equator / metres_per_px))))
    n = 2 ** zoom
    tile_m = equator * TILE_PX / n  # ground metres a tile spans here
    size_px = tile_m * scale
    fx = (lon + 180.0) / 360.0 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    half = SIZE / 2
    reach = math.ceil(half / size_px) + 1
    tiles = []
    for tx in range(int(fx) - reach, int(fx) + reach + 1):
        for ty in range(int(fy) - reach, int(fy) + reach + 1):
            if not (0 <= ty < n):
                continue
            x = half + (tx - fx) * size_px
            y = half + (ty - fy) * size_px
            if x > SIZE or y > SIZE or x + size_px < 0 or y + size_px < 0:
                continue
            tiles.append({"href": url.replace("{z}", str(zoom)).replace("{x}", str(tx % n))
                          .replace("{y}", str(ty)), "x": round(x, 2), "y": round(y, 2),
                          "size": round(size_px, 2)})
    return tiles
