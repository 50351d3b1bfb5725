"""Distance, direction and the picture's geometry, on points whose answer is known by hand."""

from __future__ import annotations

import pytest

from graphsvc.geo import distance_and_bearing
from graphsvc.surroundings import compass, describe_place, picture


@pytest.mark.parametrize("bearing, word", [(0, "north"), (359, "north"), (22.4, "north"),
                                           (22.6, "north-east"), (90, "east"),
                                           (135, "south-east"), (180, "south"),
                                           (225, "south-west"), (270, "west"),
                                           (315, "north-west"), (337.6, "north")])
def test_bearings_name_the_nearest_of_eight_compass_points(bearing, word):
    assert compass(bearing) == word


def test_a_point_a_thousandth_of_a_degree_north_is_111_metres_north():
    metres, bearing = distance_and_bearing(52.63, 1.30, 52.631, 1.30)
    assert round(metres) == 111 and bearing == pytest.approx(0, abs=1e-6)
    metres, bearing = distance_and_bearing(52.63, 1.30, 52.63, 1.28)
    assert round(metres) == 1354 and compass(bearing) == "west"  # 0.02° of longitude there


def test_places_are_described_as_officers_say_them():
    assert describe_place(600.4, 1.0) == "600 m north"
    assert describe_place(0.2, 45.0) == "here"
    assert describe_place(None, None) == "location not recorded"


def test_points_sit_at_their_bearing_and_the_scale_reaches_the_farthest():
    pic = picture(1000, [{"distance_m": 500, "bearing_deg": 0},
                         {"distance_m": 1500, "bearing_deg": 90},
                         {"distance_m": None, "bearing_deg": None}])
    north, east = pic["points"]  # the one without a place is left out
    assert north["x"] == pic["centre"] and north["y"] < pic["centre"]
    assert east["y"] == pic["centre"] and east["x"] > pic["centre"]
    assert pic["extent_m"] == 2000  # 1,500 m plus room, rounded up
    assert [r["metres"] for r in pic["rings"]] == [500, 1000, 2000]
    assert [r["radius"] for r in pic["rings"]] == [False, True, False]
    # distances on the picture are proportional to distances on the ground
    assert (east["x"] - pic["centre"]) == pytest.approx(3 * (pic["centre"] - north["y"]),
                                                        abs=0.2)
    assert pic["tiles"] == []  # no tile server configured: nothing to fetch


def test_a_forces_tile_server_fills_the_picture_with_its_own_tiles_only():
    pic = picture(1000, [], centre=(52.63, 1.30),
                  tile_url="https://tiles.force.example/{z}/{x}/{y}.png")
    assert pic["tiles"], "no tiles"
    assert all(t["href"].startswith("https://tiles.force.example/") for t in pic["tiles"])
    size = pic["size"]
    # the tiles cover the whole picture
    assert min(t["x"] for t in pic["tiles"]) <= 0 and min(t["y"] for t in pic["tiles"]) <= 0
    assert max(t["x"] + t["size"] for t in pic["tiles"]) >= size
    assert max(t["y"] + t["size"] for t in pic["tiles"]) >= size
    zooms = {t["href"].split("/")[3] for t in pic["tiles"]}
    assert zooms == {"13"}  # about 12 m a pixel for a 2 km wide picture
