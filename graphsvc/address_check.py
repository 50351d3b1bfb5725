"""The address check: what officers going to an address must know, in a few milliseconds.

`check_address(store, query, role=...)` resolves the query to one address (or lists candidates
when it is ambiguous, never guessing), then reads everything about it in one Cypher round trip
and the open flags in one more. A control room sees only what it needs to deploy safely
(warnings and counts, no names of children or details of plans); other roles see names and ids.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import threading
import time
import weakref
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphsvc import flags, model
from graphsvc.dates import add_years, age_on, parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.geo import distance_and_bearing
from graphsvc.importer import normalise
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# The answer's schema (docs/openapi.json): minor for added fields, major for changed ones.
SCHEMA_VERSION = "1.0"
# Without a configured proximity rule (the rule's own default is read when it is there).
DEFAULT_RADIUS_M = 1000
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
# For an address without coordinates: a point no UK address is near (0°, 0°, in the Gulf of
# Guinea), so the nearby-offender search finds nothing. (A radius of 0 would crash FalkorDB.)
# How often (seconds) a process asks the graph whether offenders' homes have changed.
HOMES_RECHECK_S = 1.0

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
        value = float(raw)
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
        value = normalise.uprn(str(query["uprn"]))
        if value is None:
            raise InputError(f"Parameter uprn: {str(query['uprn'])[:40]!r} is not a UPRN "
                             "(1 to 12 digits).")
        return {"by": "uprn", "uprn": value}
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


def parse_radius(value: Any, default: int | None = None) -> int:
    """The nearby-offender radius in whole metres, 1 to MAX_RADIUS_M; without one, `default`
    (the proximity rule's radius), else DEFAULT_RADIUS_M."""
    if value is None or str(value).strip() == "":
        return int(default or DEFAULT_RADIUS_M)
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
    today = datetime.now(model.LOCAL_TZ).date()
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
        if out[axis] is not None:  # to 1 cm: FalkorDB's client returns 15 significant digits
            out[axis] = round(float(out[axis]), 7)
    out["label"] = _label(row)
    if row.get("distance_m") is not None:
        out["distance_m"] = round(float(row["distance_m"]))
    if why:
        out["why"] = why
    return out


def resolve(store: GraphStore, parsed: Mapping[str, Any]) -> tuple[dict | None, list[dict]]:
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


def _by_text(store: GraphStore, text: str, limit: int) -> list[dict]:
    """Free text: a full postcode in it narrows by index; otherwise the in-memory word search."""
    match = _POSTCODE_IN_TEXT.search(text)
    if match and normalise.is_uk_postcode(match.group(0)):
        rest = (text[:match.start()] + " " + text[match.end():])
        words = normalise.text_key(rest).split()
        rows = store.read("read/address_by_postcode",
                          postcode=normalise.postcode(match.group(0)), words=words, limit=limit)
        if rows or not words:
            return rows
    from graphsvc.search import addresses as address_search

    matches = address_search.find_by_text(store, text, limit=limit)
    if not matches:
        return []
    rows = {r["address_id"]: r for r in store.read("read/address_by_ids",
                                                   address_ids=[m.address_id for m in matches])}
    return [rows[m.address_id] for m in matches if m.address_id in rows]


# --- the check ------------------------------------------------------------------------------

def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _age(dob: Any, as_of: date) -> int | None:
    return age_on(_as_date(dob), as_of)


def _name(p: Mapping[str, Any], given: str = "given_name", family: str = "family_name") -> str:
    return " ".join(str(x) for x in (p.get(given), p.get(family)) if x) or "(no name recorded)"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.replace("{n}", str(n))


def check_address(store: GraphStore, query: Mapping[str, Any], *, role: str,
                  as_of: date | str | None = None, radius_m: int | float | str | None = None,
                  default_radius_m: int | None = None, tile_url: str = "") -> dict[str, Any]:
    """Everything officers going to the address must know, cut to what the role may see.

    Returns {"status": "found", "address", "warnings", "counts", ...} or, when the query fits
    several addresses, {"status": "ambiguous", "candidates"}. `shown` lists the keys of every
    record the answer draws on (for the audit log). Raises InputError or NotFound. Without a
    radius, the proximity rule's (`default_radius_m`, else the rule's own default).
    """
    from graphsvc import briefing
    from graphsvc.rules.config import proximity_radius_m

    parsed = parse_query(query)
    radius = parse_radius(radius_m, default_radius_m or proximity_radius_m(None))
    day = parse_as_of(as_of)
    address, candidates = resolve(store, parsed)
    view = "restricted" if role in model.RESTRICTED_VIEW_ROLES else "full"
    if address is None:
        return {"schema_version": SCHEMA_VERSION, "status": "ambiguous", "view": view,
                "query": _echo(parsed), "candidates": candidates,
                "shown": [f"address_id={c['address_id']}" for c in candidates]}
    lat, lon = address.get("latitude"), address.get("longitude")
    located = lat is not None and lon is not None
    since = _one_year_before(day)
    near = offender_homes_near(store, float(lat), float(lon), radius) if located else []
    row = store.read_one("read/address_check", address_id=address["address_id"],
                         as_of=day, since=since, near=near,
                         missing_since=day - timedelta(days=MISSING_DAYS),
                         safety_types=list(SAFETY_TYPES)) or {}
    facts = _facts(address, row, day)
    flags = _open_flags(store, facts["here_keys"])
    here_key = f"address_id={address['address_id']}"
    tied = _tied_people(facts, flags, here_key)
    people = (store.read("read/address_check_people", person_ids=sorted(tied), as_of=day)
              if tied else [])
    care = [c for c in care_settings_near(store, float(lat), float(lon), radius)
            if c["address_id"] != address["address_id"]] if located else []
    result = briefing.present(facts, flags=flags, tied=tied, tied_people=people,
                              care_settings=care, role=role, radius_m=radius,
                              located=located, tile_url=tile_url)
    result.update(schema_version=SCHEMA_VERSION, status="found", query=_echo(parsed),
                  as_of=day.isoformat(), radius_m=radius, located=located,
                  since=since.isoformat(), view=view)
    return result


def _tied_people(facts: Mapping[str, Any], flags: list[dict], here_key: str) -> dict[str, str]:
    """People an open flag about this address, or an order protecting someone here, ties to it,
    who do not live here: {person_id: why}. They are named, wherever they live."""
    living = {p["person_id"] for p in facts["residents"]} | {
        c["person_id"] for c in facts["placed"]}
    tied: dict[str, str] = {}
    for order in facts["orders"]:
        subject = order.get("subject_id")
        if order["relation"] in ("protects_someone_here", "both") and subject \
                and subject not in living:
            name = ORDER_TYPES.get(order.get("order_type") or "", "court order")
            tied.setdefault(subject, f"subject of a {name} protecting someone here")
    for flag in flags:
        if here_key not in flag.get("concerned_keys", []):
            continue
        title = model.rule_phrase(flag.get("rule_id"), str(flag.get("rule_id")))
        for key in flag.get("concerned_keys", []):
            label, _, value = key.partition("=")
            if label == "person_id" and value not in living:
                tied.setdefault(value, f"open {flag.get('severity')} flag: {title}")
    return tied


class _Places:
    """A few thousand addresses of one kind (offenders' homes, care settings), sorted by
    latitude, per store, for "which of them lie near this point".

    A county has one or two thousand offenders' homes and a few hundred care settings; scanning
    every address within the radius in the graph costs far more than measuring these few. The
    list is reloaded whenever its version query's row changes, checked at most every
    HOMES_RECHECK_S: a new residence or a moved address is seen within that second, a window
    far shorter than an import itself (a check during an import sees part of it anyway).
    """

    def __init__(self, rows_query: str, version_query: str, **params: Any) -> None:
        self.rows_query, self.version_query, self.params = rows_query, version_query, params
        self.lock = threading.Lock()
        self.version: tuple | None = None
        self.checked_at = 0.0
        self.lats: list[float] = []
        self.rows: list[tuple[float, float, str, dict]] = []

    def near(self, store: GraphStore, lat: float, lon: float, radius_m: float
             ) -> list[tuple[float, float, str, dict]]:
        """(latitude, longitude, address_id, row) of those within a generous box around the
        point: callers measure exactly, so the box only must not miss anyone."""
        now = time.monotonic()
        if self.version is None or now - self.checked_at >= HOMES_RECHECK_S:
            self._refresh(store, now)
        with self.lock:
            rows, lats = self.rows, self.lats
        reach = radius_m * 1.05 + 50
        dlat = reach / 111_000
        dlon = reach / (111_000 * max(math.cos(math.radians(lat)), 0.01))
        start, end = bisect.bisect_left(lats, lat - dlat), bisect.bisect_right(lats, lat + dlat)
        return [r for r in rows[start:end] if abs(r[1] - lon) <= dlon]

    def _refresh(self, store: GraphStore, now: float) -> None:
        version = tuple((store.read_one(self.version_query, **self.params) or {}).values())
        with self.lock:
            self.checked_at = now
            if version != self.version:
                rows = sorted(((float(r["latitude"]), float(r["longitude"]), r["address_id"], r)
                               for r in store.read(self.rows_query, **self.params)),
                              key=lambda r: r[:3])
                self.rows, self.lats = rows, [r[0] for r in rows]
                self.version = version
                log.info("%s reloaded: %d addresses", self.rows_query, len(rows))


_places: weakref.WeakKeyDictionary[GraphStore, dict[str, _Places]] = weakref.WeakKeyDictionary()
_places_lock = threading.Lock()
_PLACE_QUERIES: dict[str, tuple[str, str, dict]] = {
    "homes": ("read/address_offender_homes", "read/address_offender_homes_version", {}),
    "care": ("read/care_settings", "read/care_settings_version",
             {"types": list(CARE_SETTINGS)})}


def _places_of(store: GraphStore, kind: str) -> _Places:
    with _places_lock:
        held = _places.setdefault(store, {})
        if kind not in held:
            rows_query, version_query, params = _PLACE_QUERIES[kind]
            held[kind] = _Places(rows_query, version_query, **params)
        return held[kind]


def offender_homes_near(store: GraphStore, lat: float, lon: float,
                        radius_m: float) -> list[dict[str, Any]]:
    """Addresses where an offender lives or lived within radius_m of a point, measured on the
    WGS84 ellipsoid as the proximity rule measures: [{address_id, distance_m}]."""
    found = []
    for h_lat, h_lon, aid, _row in _places_of(store, "homes").near(store, lat, lon, radius_m):
        metres, _ = distance_and_bearing(lat, lon, h_lat, h_lon)
        if metres <= radius_m:
            found.append({"address_id": aid, "distance_m": metres})
    return found


def care_settings_near(store: GraphStore, lat: float, lon: float, radius_m: float
                       ) -> list[dict]:
    """Care settings (children's homes, foster homes, …) within radius_m of a point, with
    their type and coordinates, nearest first, at most MAX_CARE_SETTINGS."""
    found = []
    for c_lat, c_lon, _aid, row in _places_of(store, "care").near(store, lat, lon, radius_m):
        metres, _ = distance_and_bearing(lat, lon, c_lat, c_lon)
        if metres <= radius_m:
            found.append((metres, row))
    found.sort(key=lambda x: (x[0], x[1]["address_id"]))
    return [row for _, row in found[:MAX_CARE_SETTINGS]]


def _one_year_before(day: date) -> date:
    return add_years(day, -1) + timedelta(days=1)


def _echo(parsed: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parsed.items()}


def _open_flags(store: GraphStore, keys: list[str]) -> list[dict]:
    return flags.open_flags_for_entities(store, keys)


def _person(p: Mapping[str, Any], day: date) -> dict[str, Any]:
    """A person read at the address, with age and child marker, and its lists in a fixed order
    (an engine returns collected rows in any order)."""
    age = _age(p.get("date_of_birth"), day)
    person = {**p, "age": age, "child": age is not None and age < 18}
    for field, key in (("plans", "plan_id"), ("restricted_by", "order_id"),
                       ("protected_by", "order_id"), ("missing", "incident_id")):
        if field in person:
            person[field] = sorted(person[field] or [], key=lambda x, k=key: x[k])
    return person


def _person_order(p: Mapping[str, Any]) -> tuple:
    return (not p["child"], p.get("family_name") or "", p.get("given_name") or "",
            p["person_id"])


def _facts(address: dict, row: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The raw findings, with ages worked out and people merged across the four lists."""
    address_id = address["address_id"]
    address = {**address, "warning_markers": list(row.get("address_markers") or [])}
    residents = sorted((_person(p, day) for p in row.get("residents") or []), key=_person_order)
    placed = sorted((_person(c, day) for c in row.get("placed") or []), key=_person_order)
    offenders: dict[str, dict] = {}
    for o in row.get("nearby_offenders") or []:
        here = o.get("address_id") == address_id
        entry = {**o, "distance_m": 0 if here else round(float(o.get("distance_m") or 0)),
                 "lives_here": here}
        known = offenders.get(o["person_id"])
        if known is None or (entry["lives_here"], -entry["distance_m"]) > (
                known["lives_here"], -known["distance_m"]):
            offenders[o["person_id"]] = entry
    for p in residents:
        if p.get("offender") and p["person_id"] not in offenders:
            offenders[p["person_id"]] = {
                **{k: p.get(k) for k in ("person_id", "given_name", "family_name",
                                         "date_of_birth", "rosh_level", "mappa_category",
                                         "mappa_level", "visor_ref", "residence_type")},
                "address_id": address_id, "distance_m": 0, "lives_here": True,
                "orders": p.get("restricted_by") or []}
    by_id = {p["person_id"]: p for p in residents}
    for o in offenders.values():
        if o["lives_here"] and o["person_id"] in by_id:
            p = by_id[o["person_id"]]
            o.update(risk_management_summary=p.get("risk_management_summary"),
                     warning_markers=p.get("warning_markers"),
                     orders=p.get("restricted_by") or o.get("orders") or [])
    ranked = sorted(offenders.values(), key=lambda o: (
        not o["lives_here"], -ROSH_ORDER.get(o.get("rosh_level") or "", 0), o["distance_m"],
        o["person_id"]))
    orders: dict[str, dict] = {}
    for p in residents:
        for o in p.get("restricted_by") or []:
            orders.setdefault(o["order_id"], {**o, "relation": "subject_lives_here",
                                              "subject_id": p["person_id"],
                                              "subject_name": _name(p), "protected": []})
        for o in p.get("protected_by") or []:
            entry = orders.setdefault(o["order_id"], {
                **{k: o.get(k) for k in ("order_id", "order_type", "start_date", "end_date",
                                         "prohibits_child_contact", "conditions")},
                "relation": "protects_someone_here",
                "subject_id": (o.get("subject") or {}).get("person_id"),
                "subject_name": _name(o.get("subject") or {}),
                "protected": []})
            if entry["relation"] == "subject_lives_here":
                entry["relation"] = "both"
            entry["protected"].append({"person_id": p["person_id"], "name": _name(p),
                                       "child": p["child"]})
    incidents = sorted(row.get("incidents") or [],
                       key=lambda i: (str(i.get("occurred_at") or ""), i["incident_id"]),
                       reverse=True)
    # What is at this address: the flags shown are those concerning any of it (not flags
    # about offenders who merely live within the radius: they are about other places).
    here = {f"address_id={address_id}"}
    here.update(f"person_id={p['person_id']}" for p in residents + placed)
    here.update(f"plan_id={pl['plan_id']}" for p in residents + placed for pl in p["plans"])
    here.update(f"placement_id={c['placement_id']}" for c in placed)
    here.update(f"incident_id={m['incident_id']}" for c in placed for m in c.get("missing") or [])
    here.update(f"order_id={o}" for o in orders)
    here.update(f"incident_id={i['incident_id']}" for i in incidents)
    keys = set(here)
    keys.update(f"person_id={o['person_id']}" for o in ranked)
    keys.update(f"order_id={x['order_id']}" for o in ranked for x in o.get("orders") or [])
    return {"address": address, "residents": residents, "placed": placed, "offenders": ranked,
            "orders": list(orders.values()), "incidents": incidents, "keys": sorted(keys),
            "here_keys": sorted(here), "as_of": day}
