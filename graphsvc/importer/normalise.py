"""Normal forms for the values people search and match on: postcodes, phones, marks, names, grid.

Search and the address check call the same functions on what a user types, so a key written by
the import and a key computed from a query always agree.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import datetime

from graphsvc.store.values import local_naive

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_NOT_DIGIT = re.compile(r"[^0-9]")
# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                       "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "œ": "oe", "Œ": "oe",
                       "ı": "i", "ð": "d", "Ð": "d"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def postcode(value: str) -> str:
    """`nr13ab` → `NR1 3AB`: upper-case with one space before the inward code."""
    compact = _SPACES.sub("", value).upper()
    if len(compact) <= 3:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def postcode_key(value: str | None) -> str:
    """`nr1 3ab` → `NR13AB`: letters and digits only, the form `Address.postcode_key` is stored
    in and postcode lookups and searches compare."""
    return _NOT_ALNUM.sub("", (value or "").upper())


def is_uk_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(_SPACES.sub("", value).upper()))


def phone(value: str) -> str:
    """`+44 (0)7700 900123` → `07700900123`: digits only, a leading +44, 0044 or 44 becomes 0."""
    text = value.strip()
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+44") or digits.startswith("0044"):
        digits = digits[4:] if digits.startswith("0044") else digits[2:]
        digits = digits[1:] if digits.startswith("0") else digits  # "+44 (0)7700"
        return "0" + digits
    if digits.startswith("44") and len(digits) >= 12:
        return "0" + digits[2:]
    return digits


def vrm(value: str) -> str:
    """`ab12 cde` → `AB12CDE`: vehicle registration marks upper-case without spaces."""
    return _SPACES.sub("", value).upper()


def text_key(value: str | None) -> str:
    """Lower-case ASCII words: diacritics folded, apostrophes dropped, other punctuation a space.

    `Zoë O'Brien-Smith` → `zoe obrien smith`.
    """
    if not value:
        return ""
    return _text_key(value)


# Names and towns repeat through a file: a key is worked out once per distinct text (the import
# asks for about 1.3 million at county scale).
@functools.lru_cache(maxsize=1 << 16)
def _text_key(value: str) -> str:
    if value.isascii():  # nothing to fold: NFKD and the fold table leave ASCII as it is
        ascii_text = value.lower()
    else:
        folded = unicodedata.normalize("NFKD", value.translate(_FOLD))
        ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_KEY.sub(" ", _APOSTROPHES.sub("", ascii_text)).strip()


def name_key(given_name: str | None, family_name: str | None) -> str:
    """The `name_key` of a person: `given family` as text keys, skipping a missing part."""
    return " ".join(k for k in (text_key(given_name), text_key(family_name)) if k)


def uprn(value: str) -> str | None:
    """A UPRN as its digits without leading zeros, or None when it is not 1 to 12 digits."""
    text = value.strip()
    if not text.isdigit() or not text.isascii() or len(text) > 12 or int(text) == 0:
        return None
    return str(int(text))


def local_datetime(value: datetime) -> datetime:
    """An ISO datetime as Europe/London wall-clock time without offset (how the graph keeps it)."""
    return local_naive(value)


GRID_TRANSFORM = "OSTN15 (Ordnance Survey, by convertbng)"


def grid_transform_name() -> str:
    """Which transform turns eastings and northings into coordinates (named in import reports)."""
    return GRID_TRANSFORM


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float] | None:
    """(latitude, longitude) for a British National Grid easting and northing, by OSTN15.

    ETRS89 is taken as WGS84 (they differ by centimetres in Britain, as the OS advises). None
    for a point OSTN15 does not cover (off Great Britain's shores, Northern Ireland).
    """
    from convertbng.cutil import convert_lonlat

    lons, lats = convert_lonlat([float(easting)], [float(northing)])
    lon, lat = float(lons[0]), float(lats[0])
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return lat, lon


def wgs84_to_grid(latitude: float, longitude: float) -> tuple[float, float] | None:
    """(easting, northing) on the British National Grid for a WGS84 point, by OSTN15."""
    [point] = wgs84_to_grid_many([latitude], [longitude])
    return point


def wgs84_to_grid_many(latitudes: list[float], longitudes: list[float]
                       ) -> list[tuple[float, float] | None]:
    """`wgs84_to_grid` for many points in one vectorised call."""
    from convertbng.cutil import convert_bng

    eastings, northings = convert_bng([float(x) for x in longitudes],
                                      [float(y) for y in latitudes])
    return [(float(e), float(n)) if math.isfinite(e) and math.isfinite(n) else None
            for e, n in zip(eastings, northings, strict=True)]
