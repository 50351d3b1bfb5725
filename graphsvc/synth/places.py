"""An invented county: towns and villages with names, postcode districts and WGS84 coordinates.

The county ("Wexmoor", postcode area WX, which no real place uses) lies inland in the east of
England so every coordinate is a valid UK one. Distances that matter are measured on the WGS84
ellipsoid with pyproj, as the rules measure them.
"""

from __future__ import annotations

import math
import random
import struct
from dataclasses import dataclass

from graphsvc.geo import forward, geodesic_m

COUNTY = "Wexmoor"
COUNTY_COUNCIL = "Wexmoor County Council"
POSTCODE_AREA = "WX"
# Bounding box of the county (WGS84 degrees).
SOUTH, NORTH, WEST, EAST = 52.30, 52.92, 0.30, 1.62
# Local authorities elsewhere that place children in the county (invented).
OTHER_AUTHORITIES = [
    "Harrowden Borough Council", "Calderbridge City Council", "Northmere Council",
    "Ravensford Metropolitan Borough Council", "Easterleigh County Council",
    "Blackwater Borough Council", "Kingsmarch City Council", "Westholm Council",
]

_PREFIXES = ["Ash", "Brack", "Cold", "Dun", "Elm", "Fen", "Gold", "Hal", "Ing", "Kel", "Lang",
             "Mar", "Nor", "Old", "Pen", "Red", "Sal", "Thorn", "Wal", "Whit", "Wick", "Bur",
             "Cran", "Stan", "Har", "Lud", "Sax", "Tof", "Wend", "Yar", "Hock", "Swan", "Brin",
             "Cley", "Dere", "Eck", "Fold", "Gres", "Holm", "Lex", "Mund", "Ran", "Skel", "Tiv"]
_SUFFIXES = ["ham", "ford", "bury", "ton", "by", "thorpe", "well", "stead", "ley", "mere",
             "wick", "field", "worth", "hithe", "dale", "stow", "ing", "don", "holt", "ingham"]
_TOWN_FORMS = ["{}", "{}", "{}", "Market {}", "{} St Mary", "Great {}", "{} Magna"]
_VILLAGE_FORMS = ["{}", "{}", "{}", "{}", "Little {}", "East {}", "West {}", "North {}",
                  "{} St Peter", "Upper {}", "{} Green", "{} Heath", "Long {}"]
_STREET_WORDS = ["Mill", "Church", "Station", "Victoria", "Chapel", "Orchard", "Meadow",
                 "Priory", "Queen's", "King's", "Bridge", "Green", "Manor", "Park", "School",
                 "Castle", "Market", "Nelson", "Walpole", "Beech", "Oak", "Willow", "Rectory",
                 "Holly", "Hall", "Common", "Field", "Brook", "Elm", "Cedar", "Windmill",
                 "Maltings", "Tannery", "Ropewalk", "Foundry", "Forge", "Cherry", "Lime"]
_STREET_KINDS = ["Road", "Street", "Lane", "Close", "Way", "Avenue", "Drive", "Gardens",
                 "Crescent", "Court", "Row", "Terrace", "Walk", "Place"]
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"
EARTH_M_PER_DEG_LAT = 111_250.0


@dataclass
class Place:
    name: str
    kind: str  # "town" or "village"
    latitude: float
    longitude: float
    radius_m: float
    weight: float  # share of the county's addresses
    districts: list[str]
    streets: list[str]


def _name(rng: random.Random, forms: list[str], used: set[str]) -> str:
    while True:
        stem = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
        name = rng.choice(forms).format(stem)
        if stem not in used and name not in used:
            used.update((stem, name))
            return name


def approx_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """A quick flat-earth distance in metres (good to ~0.5% over a county): for screening only."""
    dy = (lat2 - lat1) * EARTH_M_PER_DEG_LAT
    dx = (lon2 - lon1) * EARTH_M_PER_DEG_LAT * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


def make_county(towns: int = 12, villages: int = 150) -> list[Place]:
    """The county's places; the same for every seed so every demo shows the same county."""
    rng = random.Random(20140311)
    used: set[str] = set()
    places: list[Place] = []
    district = 1
    while len([p for p in places if p.kind == "town"]) < towns:
        lat, lon = rng.uniform(SOUTH + 0.06, NORTH - 0.06), rng.uniform(WEST + 0.08, EAST - 0.08)
        if any(approx_m(lat, lon, p.latitude, p.longitude) < 14_000 for p in places):
            continue
        size = len(places)
        weight = 9.0 if size == 0 else (4.0 if size < 3 else rng.uniform(1.2, 2.5))
        n_districts = 4 if size == 0 else (3 if size < 3 else 2)
        districts = [f"{POSTCODE_AREA}{district + i}" for i in range(n_districts)]
        district += n_districts
        places.append(Place(_name(rng, _TOWN_FORMS, used), "town", lat, lon,
                            1500 + 700 * math.sqrt(weight), weight, districts, []))
    town_list = list(places)
    rural = {t.name: f"{POSTCODE_AREA}{district + i}" for i, t in enumerate(town_list)}
    while len(places) < towns + villages:
        lat, lon = rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)
        if any(approx_m(lat, lon, p.latitude, p.longitude) < (2200 if p.kind == "village"
                                                             else p.radius_m + 2500)
               for p in places):
            continue
        nearest = min(town_list, key=lambda t: approx_m(lat, lon, t.latitude, t.longitude))
        places.append(Place(_name(rng, _VILLAGE_FORMS, used), "village", lat, lon,
                            rng.uniform(300, 700), rng.uniform(0.02, 0.12), [rural[nearest.name]],
                            []))
    for place in places:
        count = 6 + int(place.weight * 40) if place.kind == "town" else rng.randint(2, 6)
        words = rng.sample(_STREET_WORDS, min(count, len(_STREET_WORDS)))
        streets = [f"{w} {rng.choice(_STREET_KINDS)}" for w in words]
        while len(streets) < count:
            streets.append(f"{rng.choice(_PREFIXES)}{rng.choice(['ing', 'ham', 'ley'])} "
                           f"{rng.choice(_STREET_KINDS)}")
        place.streets = sorted(set(streets))
    return places


def postcode(rng: random.Random, place: Place) -> str:
    """A postcode in one of the place's districts (`WX3 7HB`)."""
    return (f"{rng.choice(place.districts)} {rng.randint(1, 9)}"
            f"{rng.choice(_INWARD)}{rng.choice(_INWARD)}")


def scatter(rng: random.Random, place: Place) -> tuple[float, float]:
    """A point around the place's centre, denser in the middle."""
    distance = abs(rng.gauss(0, place.radius_m / 1.8))
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / EARTH_M_PER_DEG_LAT
    dlon = distance * math.sin(bearing) / (EARTH_M_PER_DEG_LAT *
                                           math.cos(math.radians(place.latitude)))
    return place.latitude + dlat, place.longitude + dlon


def nearest_place(places: list[Place], lat: float, lon: float) -> Place:
    return min(places, key=lambda p: approx_m(lat, lon, p.latitude, p.longitude))


def to_grid(lat: float, lon: float) -> tuple[float, float]:
    """(easting, northing) on the British National Grid for a WGS84 point, by OSTN15: the same
    transform the import uses the other way, so a planted distance survives the round trip."""
    from graphsvc.importer.normalise import wgs84_to_grid

    grid = wgs84_to_grid(lat, lon)
    if grid is None:
        raise ValueError(f"{lat}, {lon} is outside OSTN15's coverage")
    return grid


def to_grid_many(lats: list[float], lons: list[float]) -> list[tuple[float, float]]:
    """`to_grid` for many points at once (the county's addresses)."""
    from graphsvc.importer.normalise import wgs84_to_grid_many

    points = wgs84_to_grid_many(lats, lons)
    if any(p is None for p in points):
        raise ValueError("a synthetic address lies outside OSTN15's coverage")
    return points  # type: ignore[return-value]


def f32(value: float) -> float:
    """The nearest float32: the engine keeps points as float32, so planted points sit on it."""
    return float(struct.unpack("f", struct.pack("f", value))[0])


def point_at(lat: float, lon: float, distance_m: float, east: bool = True) -> tuple[float, float]:
    """A float32-exact point on the same parallel, `distance_m` away on the ellipsoid.

    Keeping the latitude means float32 rounding cannot move the distance; the longitude is
    solved by Newton steps on the geodesic distance, then rounded to float32 (~1 cm here).
    """
    lat, lon = f32(lat), f32(lon)
    sign = 1.0 if east else -1.0
    lon2 = forward(lat, lon, 90.0 if east else 270.0, distance_m)[1]
    for _ in range(6):
        current = geodesic_m(lat, lon, lat, lon2)
        step = 1e-6
        slope = (geodesic_m(lat, lon, lat, lon2 + sign * step) - current) / step
        lon2 += sign * (distance_m - current) / slope
    return lat, f32(lon2)
