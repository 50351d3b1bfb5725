"""Normal forms the import writes and search compares: postcodes, phones, marks, names, the grid."""

from __future__ import annotations

import math

import pytest

from graphsvc.importer import normalise


@pytest.mark.parametrize("raw,expected", [("nr13ab", "NR1 3AB"), (" NR1  3AB ", "NR1 3AB"),
                                          ("sw1a1aa", "SW1A 1AA"), ("ec1a 1bb", "EC1A 1BB"),
                                          ("NR3", "NR3")])
def test_postcodes_are_upper_case_with_one_space(raw, expected):
    assert normalise.postcode(raw) == expected
    assert normalise.postcode_key(raw) == expected.replace(" ", "")


def test_postcode_shape_is_checked():
    assert normalise.is_uk_postcode("NR1 3AB") and normalise.is_uk_postcode("w1a0ax")
    assert not normalise.is_uk_postcode("NR30 5") and not normalise.is_uk_postcode("12345")


@pytest.mark.parametrize("raw,expected", [
    ("+44 7700 900123", "07700900123"), ("+44 (0)7700 900123", "07700900123"),
    ("0044 7700 900123", "07700900123"), ("447700900123", "07700900123"),
    ("07700-900-123", "07700900123"), ("(01603) 123456", "01603123456"),
    ("999", "999")])
def test_phone_numbers_become_digits_with_a_leading_zero(raw, expected):
    assert normalise.phone(raw) == expected


def test_vehicle_marks_are_upper_case_without_spaces():
    assert normalise.vrm(" ab12  cde ") == "AB12CDE"


@pytest.mark.parametrize("raw,expected", [
    ("Zoë", "zoe"), ("O'Brien", "obrien"), ("O’Brien-Smith", "obrien smith"),
    ("  José   María ", "jose maria"), ("Łukasz Großmann", "lukasz grossmann"),
    ("Ærø", "aero"), ("", "")])
def test_text_keys_are_lower_case_ascii(raw, expected):
    assert normalise.text_key(raw) == expected


def test_name_key_skips_a_missing_part():
    assert normalise.name_key("Zoë", "O'Brien") == "zoe obrien"
    assert normalise.name_key(None, "Smith") == "smith"
    assert normalise.name_key(None, None) == ""


@pytest.mark.parametrize("raw,expected", [("100091234567", "100091234567"), ("0042", "42"),
                                          ("1e5", None), ("1234567890123", None), ("0", None),
                                          ("１２３", None)])
def test_uprns_are_one_to_twelve_digits(raw, expected):
    assert normalise.uprn(raw) == expected


def _metres(lat1, lon1, lat2, lon2):
    dn = (lat2 - lat1) * 111_250
    de = (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1))
    return math.hypot(dn, de)


# The Ordnance Survey's published OSTN15 test points (OSTN15/OSGM15 developer pack, files
# OSTN15_OSGM15_TestInput_OSGBtoETRS and TestOutput_OSGBtoETRS; contains OS data (c) Crown
# copyright and database rights 2016): (id, ETRS89 latitude, longitude, OSGB36 easting, northing),
# from St Mary's in the Scillies (TP01) to Shetland (TP40).
OS_TEST_POINTS = [
    ("TP01", 49.92226393730, -6.29977752014, 91492.146, 11318.804),
    ("TP02", 49.96006137820, -5.20304609998, 170370.718, 11572.405),
    ("TP03", 50.43885825610, -4.10864563561, 250359.811, 62016.569),
    ("TP04", 50.57563665000, -1.29782277240, 449816.371, 75335.861),
    ("TP05", 50.93127937910, -1.45051433700, 438710.920, 114792.250),
    ("TP06", 51.40078220140, -3.55128349240, 292184.870, 168003.465),
    ("TP07", 51.37447025550, 1.44454730409, 639821.835, 169565.858),
    ("TP08", 51.42754743020, -2.54407618349, 362269.991, 169978.690),
    ("TP09", 51.48936564950, -0.11992557180, 530624.974, 178388.464),
    ("TP10", 51.85890896400, -4.30852476960, 241124.584, 220332.641),
    ("TP11", 51.89436637350, 0.89724327012, 599445.590, 225722.826),
    ("TP12", 52.25529381630, -2.15458614387, 389544.190, 261912.153),
    ("TP20", 53.8002151963, -1.66379168242, 422242.186, 433818.701),
    ("TP30", 57.4862500072, -4.21926398555, 267056.768, 846176.972),
    ("TP40", 60.1330809166, -2.07382822798, 395999.668, 1138728.951),
]


@pytest.mark.parametrize("point, lat, lon, easting, northing", OS_TEST_POINTS)
def test_grid_references_match_the_ordnance_surveys_ostn15_test_points(point, lat, lon,
                                                                      easting, northing):
    got_lat, got_lon = normalise.grid_to_wgs84(easting, northing)
    assert _metres(lat, lon, got_lat, got_lon) < 0.1
    got_e, got_n = normalise.wgs84_to_grid(lat, lon)
    assert math.hypot(got_e - easting, got_n - northing) < 0.1


def test_ostn15_differs_from_the_plain_helmert_transform_by_metres_at_caister():
    # The OS's worked example point (Caister Water Tower), ETRS89 52°39'28.8282"N 1°42'57.8663"E:
    # PROJ's Helmert transform (what the import used before) lands over 3 m from OSTN15 there.
    from pyproj import Transformer

    lat, lon = 52 + 39 / 60 + 28.8282 / 3600, 1 + 42 / 60 + 57.8663 / 3600
    easting, northing = normalise.wgs84_to_grid(lat, lon)
    back = normalise.grid_to_wgs84(easting, northing)
    assert _metres(lat, lon, *back) < 0.01
    helmert = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    h_east, h_north = helmert.transform(lon, lat)
    assert math.hypot(h_east - easting, h_north - northing) > 3
    assert "OSTN15" in normalise.grid_transform_name()


def test_a_grid_reference_off_great_britain_has_no_coordinates():
    assert normalise.grid_to_wgs84(699_000, 1_299_000) is None


@pytest.mark.parametrize("raw", ["O'Brien-Smith", "  ANNE   marie ", "St. John's Road, 12a",
                                 "x`y´z", "Flat 3/4 (rear)", "KING\tEDWARD"])
def test_ascii_text_keys_take_no_fold(raw):
    # the ASCII fast path must give what folding would: NFKD and the fold table change no
    # ASCII character, so the same text with one accented letter differs only in that letter
    accented = "é" + raw
    assert normalise.text_key(accented) == normalise.text_key("e" + raw)
    assert normalise.text_key(raw) == normalise.text_key(raw.upper()).lower()
