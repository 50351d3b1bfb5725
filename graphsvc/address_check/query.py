"""Reading an address check's query (address id, UPRN, postcode, text, WGS84 or British National
Grid coordinates) and resolving it to one address, or to candidates when it is ambiguous."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from graphsvc import dates
from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.importer import normalise
from graphsvc.search import addresses as address_search
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# The answer's schema (docs/openapi.json): minor for added fields, major for changed ones.
SCHEMA_VERSION = "1.0"
# Without a configured proximity rule (the rule's own default is read when it is there).
MAX_RADIUS_M = 5000
MISSING_DAYS = 90
MAX_CARE_SETTINGS = 50
# Incident types of the officer-safety history, in the order shown, with their plain names.
SAFETY_TYPES = {"violence": "violence", "sexual_offence": "sexual offences",
                "cse_concern": "child sexual exploitation concerns",
                "missing": "missing episodes from here",
                "concern_for_welfare": "concern for welfare",
                "domestic_abuse": "domestic abuse"}
CARE_SETTINGS = ("childrens_home", "secure_home", "foster_home", "supported_accommodation")
# Great Britain (with Scilly, the Hebrides and Shetland), for a point query.
GB_LATITUDE = (49.8, 60.95)
GB_LONGITUDE = (-8.7, 1.8)
EARLIEST_DATE = date(1900, 1, 1)
MAX_CANDIDATES = 20
# A point query resolves to an address only when exactly one lies this close; otherwise the
# addresses within CANDIDATE_M are listed to choose from.
POINT_RESOLVE_M = 25.0
POINT_CANDIDATE_M = 150.0
# How often (seconds) a process asks the graph whether what it holds in memory for the check
# (offenders' homes and register entries, care settings) has changed; see FRESHNESS.
HOMES_RECHECK_S = 1.0
# How fresh those are (search.index.CachedIndex): used as they are for HOMES_RECHECK_S, then
# while a background thread checks; after twice that, or after this process wrote to the
# graph, a check waits for the version read.
FRESHNESS: dict[str, Any] = {"check_every": lambda: HOMES_RECHECK_S,
                             "wait_after": lambda: 2 * HOMES_RECHECK_S, "follow_writes": True}

QUERY_KEYS = ("address_id", "uprn", "postcode", "q", "lat", "lon", "easting", "northing")
ROSH_ORDER = {"very_high": 4, "high": 3, "medium": 2, "low": 1}
DA_GRADE_ORDER = {"high": 3, "medium": 2, "standard": 1}
MAPPA_CATEGORY = {"1": "registered sex offender", "2": "MAPPA violent offender",
                  "3": "MAPPA dangerous offender"}
ORDER_TYPES = {"shpo": "sexual harm prevention order", "sro": "sexual risk order",
               "cawn": "child abduction warning notice",
               "dvpo": "domestic violence protection order", "restraining": "restraining order",
               "non_molestation": "non-molestation order"}
ADDRESS_TYPES = {"childrens_home": "a children's home", "secure_home": "a secure children's home",
                 "foster_home": "a foster home",
                 "supported_accommodation": "supported accommodation for young people",
                 "approved_premises": "approved premises (a probation hostel)"}
_ADDRESS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")


# --- reading the query ----------------------------------------------------------------------

def _number(query: Mapping[str, Any], name: str, low: float, high: float) -> float:
    raw = query.get(name)
    try:
        value = float(raw if raw is not None else "")
    except (TypeError, ValueError):
        raise InputError(f"Parameter {name}: {raw!r} is not a number.") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InputError(f"Parameter {name}: {value:g} is outside Great Britain "
                         f"({low:g} to {high:g}).")
    return value


def _present(query: Mapping[str, Any], key: str) -> bool:
    value = query.get(key)
    return value is not None and str(value).strip() != ""


def parse_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """The one way of finding the address a query gives, checked; InputError names the parameter.

    Returns {"by": "address_id"|"uprn"|"postcode"|"q"|"point", ...normalised values}.
    """
    given = [k for k in QUERY_KEYS if _present(query, k)]
    ways = {("lat" if k in ("lat", "lon") else "easting" if k in ("easting", "northing") else k)
            for k in given}
    if not ways:
        raise InputError("Give one of: address_id, uprn, postcode, q (address text), lat and lon, "
                         "or easting and northing.")
    if len(ways) > 1:
        raise InputError("Give only one way of finding the address, not "
                         + " and ".join(sorted(ways)) + ".")
    way = ways.pop()
    if way == "address_id":
        value = str(query["address_id"]).strip()
        if not _ADDRESS_ID.match(value):
            raise InputError(f"Parameter address_id: {value[:40]!r} is not an address id.")
        return {"by": "address_id", "address_id": value}
    if way == "uprn":
        uprn = normalise.uprn(str(query["uprn"]))
        if uprn is None:
            raise InputError(f"Parameter uprn: {str(query['uprn'])[:40]!r} is not a UPRN "
                             "(1 to 12 digits).")
        return {"by": "uprn", "uprn": uprn}
    if way == "postcode":
        raw = str(query["postcode"])[:20]
        if not normalise.is_uk_postcode(raw):
            raise InputError(f"Parameter postcode: {raw!r} is not a full UK postcode "
                             "(e.g. NR1 3AB); use q for part of one.")
        return {"by": "postcode", "postcode": normalise.postcode(raw)}
    if way == "q":
        text = str(query["q"]).strip()
        if len(text) > 200:
            raise InputError("Parameter q: the address text is longer than 200 characters.")
        if not normalise.text_key(text):
            raise InputError("Parameter q: type some words of the address or a postcode.")
        return {"by": "q", "q": text}
    if way == "lat":
        if not (_present(query, "lat") and _present(query, "lon")):
            raise InputError("Give both lat and lon (WGS84 decimal degrees).")
        return {"by": "point", "lat": _number(query, "lat", *GB_LATITUDE),
                "lon": _number(query, "lon", *GB_LONGITUDE)}
    if not (_present(query, "easting") and _present(query, "northing")):
        raise InputError("Give both easting and northing (British National Grid metres).")
    easting = _number(query, "easting", 0, 700_000)
    northing = _number(query, "northing", 0, 1_300_000)
    point = normalise.grid_to_wgs84(easting, northing)
    if point is None:
        raise InputError(f"Parameter easting: {easting:g}, {northing:g} is outside Great Britain "
                         "(the Ordnance Survey's OSTN15 transform does not reach it).")
    lat, lon = point
    return {"by": "point", "lat": lat, "lon": lon, "easting": easting, "northing": northing}


def interpret(text: str) -> dict[str, str]:
    """One search box: digits are a UPRN, a full postcode is a postcode, anything else is text."""
    text = (text or "").strip()
    if text.isdigit() and len(text) <= 12:
        return {"uprn": text}
    if normalise.is_uk_postcode(text):
        return {"postcode": text}
    return {"q": text}


def parse_radius(value: Any, default: int) -> int:
    """The nearby-offender radius in whole metres, 1 to MAX_RADIUS_M; without one, `default`
    (the proximity rule's radius: rules.toml, else the rule file's header)."""
    if value is None or str(value).strip() == "":
        return int(default)
    try:
        radius = float(value)
    except (TypeError, ValueError):
        raise InputError(f"Parameter radius_m: {str(value)[:20]!r} is not a number of metres."
                         ) from None
    if not math.isfinite(radius) or not 1 <= radius <= MAX_RADIUS_M:
        raise InputError(f"Parameter radius_m: give 1 to {MAX_RADIUS_M} metres, not {radius:g}.")
    return int(round(radius))


def parse_as_of(value: Any) -> date:
    """The day the check is for: today by default; 1900 to today (InputError names as_of)."""
    today = dates.today()
    day = parse_date(value, "as_of parameter") or today
    if not EARLIEST_DATE <= day <= today:
        raise InputError(f"Parameter as_of: {day.isoformat()} is "
                         + ("before 1900." if day < EARLIEST_DATE else "after today: the check "
                            "shows what is recorded, not what will be."))
    return day


# --- resolving the address --------------------------------------------------------------------

def _label(address: Mapping[str, Any]) -> str:
    parts = [address.get("line1"), address.get("line2"), address.get("town"),
             address.get("postcode")]
    return ", ".join(str(p) for p in parts if p) or str(address.get("address_id", ""))


def _candidate(row: Mapping[str, Any], why: str = "") -> dict[str, Any]:
    out = {k: row.get(k) for k in ("address_id", "uprn", "line1", "line2", "town", "postcode",
                                   "address_type", "latitude", "longitude")}
    for axis in ("latitude", "longitude"):
        degrees = out[axis]
        if degrees is not None:  # to 1 cm: FalkorDB's client returns 15 significant digits
            out[axis] = round(float(degrees), 7)
    out["label"] = _label(row)
    if row.get("distance_m") is not None:
        out["distance_m"] = round(float(row["distance_m"]))
    if why:
        out["why"] = why
    return out


def resolve(store: GraphStore, parsed: Mapping[str, Any]
            ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(the address, []) when the query names one; (None, candidates) when it is ambiguous."""
    by, limit = parsed["by"], MAX_CANDIDATES + 1
    if by == "address_id":
        row = store.read_one("read/address_by_id", address_id=parsed["address_id"])
        if row is None:
            raise NotFound(f"There is no address with address_id {parsed['address_id']}.")
        return _candidate(row), []
    if by == "uprn":
        rows = store.read("read/address_by_uprn", uprn=parsed["uprn"], limit=limit)
        if not rows:
            raise NotFound(f"No address has UPRN {parsed['uprn']}.")
    elif by == "postcode":
        rows = store.read("read/address_by_postcode", postcode=parsed["postcode"], words=[],
                          limit=limit)
        if not rows:
            raise NotFound(f"No address is known in postcode {parsed['postcode']}.")
    elif by == "point":
        rows = store.read("read/address_near_point", lat=parsed["lat"], lon=parsed["lon"],
                          within_m=POINT_CANDIDATE_M, limit=limit)
        if not rows:
            raise NotFound(f"No address is known within {POINT_CANDIDATE_M:g} m of "
                           f"{parsed['lat']:.5f}, {parsed['lon']:.5f}.")
        close = [r for r in rows if r["distance_m"] <= POINT_RESOLVE_M]
        if len(close) == 1:
            return _candidate(close[0]), []
        return None, [_candidate(r) for r in rows[:MAX_CANDIDATES]]
    else:
        rows = _by_text(store, parsed["q"], limit)
        if not rows:
            raise NotFound(f"No address matches {parsed['q']!r}.")
    if len(rows) == 1:
        return _candidate(rows[0]), []
    return None, [_candidate(r) for r in rows[:MAX_CANDIDATES]]


_POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.I)


def _by_text(store: GraphStore, text: str, limit: int) -> list[dict[str, Any]]:
    """Free text: a full postcode in it narrows by index; otherwise the in-memory word search."""
    match = _POSTCODE_IN_TEXT.search(text)
    if match and normalise.is_uk_postcode(match.group(0)):
        rest = (text[:match.start()] + " " + text[match.end():])
        words = normalise.text_key(rest).split()
        rows = store.read("read/address_by_postcode",
                          postcode=normalise.postcode(match.group(0)), words=words, limit=limit)
        if rows or not words:
            return rows
    matches = address_search.find_by_text(store, text, limit=limit)
    if not matches:
        return []
    found = {r["address_id"]: r for r in store.read("read/address_by_ids",
                                                    address_ids=[m.address_id for m in matches])}
    return [found[m.address_id] for m in matches if m.address_id in found]
