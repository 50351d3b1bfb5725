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
from zoneinfo import ZoneInfo

from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.importer import normalise
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Europe/London")
DEFAULT_RADIUS_M = 500
MAX_RADIUS_M = 5000
MAX_CANDIDATES = 20
# A point query resolves to an address only when exactly one lies this close; otherwise the
# addresses within CANDIDATE_M are listed to choose from.
POINT_RESOLVE_M = 25.0
POINT_CANDIDATE_M = 150.0
# For an address without coordinates: a point no UK address is near (0°, 0°, in the Gulf of
# Guinea), so the nearby-offender search finds nothing. (A radius of 0 would crash FalkorDB.)
_NOWHERE = (0.0, 0.0)
# How often (seconds) a process asks the graph whether offenders' homes have changed.
HOMES_RECHECK_S = 1.0

QUERY_KEYS = ("address_id", "uprn", "postcode", "q", "lat", "lon", "easting", "northing")
RESTRICTED_ROLES = ("control_room",)
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
RULE_TITLES = {
    "ooa_child_near_high_risk_offender": "out-of-area child placed near a high-risk offender",
    "offender_household_with_child": "registered offender in a household with a child",
    "offender_unnotified_address": "registered offender at an address the register does not hold",
    "offender_linked_to_care_setting": "offender linked to a care setting",
    "order_breach": "possible breach of an order protecting children",
    "repeat_missing_child": "child repeatedly missing",
    "shared_exploitation_link": "children linked to the same adult, vehicle, phone or place",
    "unnotified_placement": "placement the police were not told of",
    "repeat_domestic_abuse_with_child": "repeated domestic abuse with a child in the household",
    "overdue_return_interview": "return home interview overdue",
    "long_running_child_abuse_investigation": "long-running child abuse investigation",
}
_ADDRESS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$")


# --- reading the query ----------------------------------------------------------------------

def _number(query: Mapping[str, Any], name: str, low: float, high: float) -> float:
    raw = query.get(name)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InputError(f"Parameter {name}: {raw!r} is not a number.") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InputError(f"Parameter {name}: {value:g} is outside the area this service covers "
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
        return {"by": "point", "lat": _number(query, "lat", 49.0, 61.0),
                "lon": _number(query, "lon", -9.0, 2.5)}
    if not (_present(query, "easting") and _present(query, "northing")):
        raise InputError("Give both easting and northing (British National Grid metres).")
    easting = _number(query, "easting", 0, 700_000)
    northing = _number(query, "northing", 0, 1_300_000)
    lat, lon = normalise.grid_to_wgs84(easting, northing)
    return {"by": "point", "lat": lat, "lon": lon, "easting": easting, "northing": northing}


def interpret(text: str) -> dict[str, str]:
    """One search box: digits are a UPRN, a full postcode is a postcode, anything else is text."""
    text = (text or "").strip()
    if text.isdigit() and len(text) <= 12:
        return {"uprn": text}
    if normalise.is_uk_postcode(text):
        return {"postcode": text}
    return {"q": text}


def parse_radius(value: Any) -> int:
    """The nearby-offender radius in whole metres, 1 to MAX_RADIUS_M (default 500)."""
    if value is None or str(value).strip() == "":
        return DEFAULT_RADIUS_M
    try:
        radius = float(value)
    except (TypeError, ValueError):
        raise InputError(f"Parameter radius_m: {str(value)[:20]!r} is not a number of metres."
                         ) from None
    if not math.isfinite(radius) or not 1 <= radius <= MAX_RADIUS_M:
        raise InputError(f"Parameter radius_m: give 1 to {MAX_RADIUS_M} metres, not {radius:g}.")
    return int(round(radius))


def parse_as_of(value: Any) -> date:
    return parse_date(value, "as_of parameter") or datetime.now(LOCAL_TZ).date()


# --- resolving the address --------------------------------------------------------------------

def _label(address: Mapping[str, Any]) -> str:
    parts = [address.get("line1"), address.get("line2"), address.get("town"),
             address.get("postcode")]
    return ", ".join(str(p) for p in parts if p) or str(address.get("address_id", ""))


def _candidate(row: Mapping[str, Any], why: str = "") -> dict[str, Any]:
    out = {k: row.get(k) for k in ("address_id", "uprn", "line1", "line2", "town", "postcode",
                                   "address_type", "latitude", "longitude")}
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
    born = _as_date(dob)
    if born is None:
        return None
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def _name(p: Mapping[str, Any], given: str = "given_name", family: str = "family_name") -> str:
    return " ".join(str(x) for x in (p.get(given), p.get(family)) if x) or "(no name recorded)"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.replace("{n}", str(n))


def check_address(store: GraphStore, query: Mapping[str, Any], *, role: str,
                  as_of: date | str | None = None, radius_m: int | float | str = DEFAULT_RADIUS_M
                  ) -> dict[str, Any]:
    """Everything officers going to the address must know, cut to what the role may see.

    Returns {"status": "found", "address", "warnings", "counts", ...} or, when the query fits
    several addresses, {"status": "ambiguous", "candidates"}. `shown` lists the keys of every
    record the answer draws on (for the audit log). Raises InputError or NotFound.
    """
    parsed = parse_query(query)
    radius = parse_radius(radius_m)
    day = parse_as_of(as_of)
    address, candidates = resolve(store, parsed)
    if address is None:
        return {"status": "ambiguous", "query": _echo(parsed), "candidates": candidates,
                "shown": [f"address_id={c['address_id']}" for c in candidates],
                "view": "restricted" if role in RESTRICTED_ROLES else "full"}
    lat, lon = address.get("latitude"), address.get("longitude")
    located = lat is not None and lon is not None
    since = _one_year_before(day)
    near = offender_homes_near(store, float(lat), float(lon), radius) if located else []
    row = store.read_one("read/address_check", address_id=address["address_id"],
                         as_of=day, since=since, radius_m=radius, near_ids=near,
                         lat=float(lat) if located else _NOWHERE[0],
                         lon=float(lon) if located else _NOWHERE[1]) or {}
    facts = _facts(address, row, day)
    facts["flags"] = _open_flags(store, facts["keys"])
    facts["keys"] = sorted(set(facts["keys"]) | {f"flag_id={x['flag_id']}" for x in facts["flags"]
                                                 if x.get("flag_id")})
    result = _present_facts(facts, role=role)
    result.update(status="found", query=_echo(parsed), as_of=day.isoformat(), radius_m=radius,
                  located=located, since=since.isoformat())
    return result


class _OffenderHomes:
    """Addresses where registered offenders live or lived, sorted by latitude, per store.

    A county has one or two thousand; scanning every address within the radius in the graph
    and walking back to its residents costs far more than measuring these few exactly. The
    list is reloaded whenever `read/address_offender_homes_version` changes, checked at most
    every HOMES_RECHECK_S: a new residence or a moved address is seen within that second, a
    window far shorter than an import itself (a check during an import sees part of it anyway).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: tuple | None = None
        self.checked_at = 0.0
        self.lats: list[float] = []
        self.rows: list[tuple[float, float, str]] = []

    def near(self, store: GraphStore, lat: float, lon: float, radius_m: float) -> list[str]:
        now = time.monotonic()
        if self.version is None or now - self.checked_at >= HOMES_RECHECK_S:
            self._refresh(store, now)
        with self.lock:
            rows, lats = self.rows, self.lats
        # a generous box: the graph measures exactly, so it only must not miss anyone
        reach = radius_m * 1.05 + 50
        dlat = reach / 111_000
        dlon = reach / (111_000 * max(math.cos(math.radians(lat)), 0.01))
        start, end = bisect.bisect_left(lats, lat - dlat), bisect.bisect_right(lats, lat + dlat)
        return [aid for _, lon_, aid in rows[start:end] if abs(lon_ - lon) <= dlon]

    def _refresh(self, store: GraphStore, now: float) -> None:
        version = tuple((store.read_one("read/address_offender_homes_version") or {}).values())
        with self.lock:
            self.checked_at = now
            if version != self.version:
                rows = sorted((float(r["latitude"]), float(r["longitude"]), r["address_id"])
                              for r in store.read("read/address_offender_homes"))
                self.rows, self.lats = rows, [r[0] for r in rows]
                self.version = version
                log.info("offender homes reloaded: %d addresses", len(rows))


_homes: weakref.WeakKeyDictionary[GraphStore, _OffenderHomes] = weakref.WeakKeyDictionary()
_homes_lock = threading.Lock()


def offender_homes_near(store: GraphStore, lat: float, lon: float, radius_m: float) -> list[str]:
    """Ids of addresses where an offender lives or lived, roughly within radius_m of a point."""
    with _homes_lock:
        homes = _homes.get(store)
        if homes is None:
            homes = _homes[store] = _OffenderHomes()
    return homes.near(store, lat, lon, radius_m)


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28) + timedelta(days=1)


def _echo(parsed: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parsed.items()}


def _open_flags(store: GraphStore, keys: list[str]) -> list[dict]:
    try:
        from graphsvc import flags
    except ImportError:  # the rules area is not installed: no flags to show
        return []
    return flags.open_flags_for_entities(store, keys)


def _facts(address: dict, row: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The raw findings, with ages worked out and people merged across the four lists."""
    address_id = address["address_id"]
    residents = []
    for p in row.get("residents") or []:
        age = _age(p.get("date_of_birth"), day)
        residents.append({**p, "age": age, "child": age is not None and age < 18})
    placed = []
    for c in row.get("placed") or []:
        age = _age(c.get("date_of_birth"), day)
        placed.append({**c, "age": age, "child": age is not None and age < 18})
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
                                         "prohibits_child_contact")},
                "relation": "protects_someone_here",
                "subject_id": (o.get("subject") or {}).get("person_id"),
                "subject_name": _name(o.get("subject") or {}),
                "protected": []})
            if entry["relation"] == "subject_lives_here":
                entry["relation"] = "both"
            entry["protected"].append({"person_id": p["person_id"], "name": _name(p),
                                       "child": p["child"]})
    incidents = sorted(row.get("domestic_abuse") or [],
                       key=lambda i: str(i.get("occurred_at") or ""), reverse=True)
    keys = {f"address_id={address_id}"}
    keys.update(f"person_id={p['person_id']}" for p in residents + placed + ranked)
    keys.update(f"plan_id={pl['plan_id']}" for p in residents + placed for pl in p["plans"])
    keys.update(f"placement_id={c['placement_id']}" for c in placed)
    keys.update(f"order_id={o}" for o in orders)
    keys.update(f"order_id={x['order_id']}" for o in ranked for x in o.get("orders") or [])
    keys.update(f"incident_id={i['incident_id']}" for i in incidents)
    return {"address": address, "residents": residents, "placed": placed, "offenders": ranked,
            "orders": list(orders.values()), "incidents": incidents, "keys": sorted(keys)}


def _offender_kind(o: Mapping[str, Any]) -> str:
    return MAPPA_CATEGORY.get(str(o.get("mappa_category") or ""), "registered offender")


def _rosh(o: Mapping[str, Any]) -> str:
    level = o.get("rosh_level")
    return f"RoSH {str(level).replace('_', ' ')}" if level else "RoSH not recorded"


def _grade(incidents: list[dict]) -> str | None:
    graded = [i.get("risk_grade") for i in incidents if i.get("risk_grade")]
    return max(graded, key=lambda g: DA_GRADE_ORDER.get(g, 0)) if graded else None


def _warnings(f: dict, flags: list[dict]) -> list[dict]:
    """Plain sentences for the officer, worst first; none of them names a person."""
    out: list[tuple[int, str, str]] = []  # (rank, level, text)
    kind = ADDRESS_TYPES.get(f["address"].get("address_type") or "")
    if kind:
        out.append((3, "info", f"This address is {kind}."))
    for o in f["offenders"]:
        rosh = o.get("rosh_level") or ""
        level = "critical" if rosh in ("high", "very_high") else "high"
        ban = any(x.get("prohibits_child_contact") for x in o.get("orders") or [])
        extra = " under an order that prohibits contact with children" if ban else ""
        if o["lives_here"]:
            how = ("lives here" if o.get("residence_type") in (None, "home")
                   else f"is recorded here ({str(o['residence_type']).replace('_', ' ')})")
            out.append((0, level, f"A {_offender_kind(o)} ({_rosh(o)}){extra} {how}."))
        elif rosh in ("high", "very_high") or ban:
            out.append((1, "high", f"A {_offender_kind(o)} ({_rosh(o)}){extra} lives "
                                   f"{o['distance_m']} m away."))
    others = [o for o in f["offenders"] if not o["lives_here"]
              and (o.get("rosh_level") not in ("high", "very_high"))
              and not any(x.get("prohibits_child_contact") for x in o.get("orders") or [])]
    if others:
        nearest = min(o["distance_m"] for o in others)
        out.append((2, "medium", _plural(len(others), "One other registered offender",
                                         "{n} other registered offenders")
                    + f" (RoSH low or medium) {'lives' if len(others) == 1 else 'live'} nearby, "
                    f"the nearest {nearest} m away."))
    children = [p for p in f["residents"] if p["child"]]
    on_plan = [p for p in children + [c for c in f["placed"] if c["child"]] if p["plans"]]
    if on_plan:
        out.append((0, "critical", _plural(len(on_plan),
                                           "A child on a child protection plan lives here.",
                                           "{n} children on child protection plans live here.")))
    if f["placed"]:
        ooa = sum(1 for c in f["placed"] if c.get("out_of_area"))
        text = _plural(len(f["placed"]), "A looked-after child is placed here",
                       "{n} looked-after children are placed here")
        text += (f" ({ooa} by another local authority)." if ooa > 1 else
                 " (placed by another local authority)." if ooa == 1 else ".")
        out.append((1, "high", text))
    plain = [p for p in children if not p["plans"]]
    if plain:
        out.append((2, "info", _plural(len(plain), "A child lives here.",
                                       "{n} children live here.")))
    for o in f["orders"]:
        name = ORDER_TYPES.get(o.get("order_type") or "", "court order")
        ban = " that prohibits contact with children" if o.get("prohibits_child_contact") else ""
        if o["relation"] in ("subject_lives_here", "both"):
            out.append((1, "high", f"Someone who lives here is subject to a {name}{ban}."))
        if o["relation"] in ("protects_someone_here", "both"):
            out.append((1, "high", f"A {name} protects someone who lives here: its subject may "
                                   "be a danger to them."))
    if f["incidents"]:
        n, grade = len(f["incidents"]), _grade(f["incidents"])
        last = _as_date(f["incidents"][0].get("occurred_at"))
        out.append((1 if n >= 3 or grade == "high" else 2, "high" if n >= 3 else "medium",
                    _plural(n, "One domestic abuse incident", "{n} domestic abuse incidents")
                    + " here in the last 12 months"
                    + (f" (highest grade {grade}" if grade else " (not graded")
                    + (f", last on {last:%-d %B %Y})." if last else ").")))
    for flag in flags:
        title = RULE_TITLES.get(flag.get("rule_id") or "", str(flag.get("rule_id") or "a rule"))
        sev = flag.get("severity") or "medium"
        out.append((0 if sev == "critical" else 1, "critical" if sev == "critical" else
                    "high" if sev == "high" else "medium", f"Open {sev} flag: {title}."))
    order = {"critical": 0, "high": 1, "medium": 2, "info": 3}
    out.sort(key=lambda w: (order[w[1]], w[0]))
    return [{"level": level, "text": text} for _, level, text in out]


def _present_facts(f: dict, *, role: str) -> dict[str, Any]:
    flags = f["flags"]
    children = [p for p in f["residents"] if p["child"]]
    placed_children = [c for c in f["placed"] if c["child"]]
    incidents = f["incidents"]
    counts = {
        "people_living_here": len(f["residents"]),
        "children_living_here": len(children),
        "children_on_protection_plans": sum(1 for p in children + placed_children if p["plans"]),
        "looked_after_children_placed_here": len(f["placed"]),
        "offenders_living_here": sum(1 for o in f["offenders"] if o["lives_here"]),
        "offenders_nearby": sum(1 for o in f["offenders"] if not o["lives_here"]),
        "active_orders": len(f["orders"]),
        "domestic_abuse_incidents_12_months": len(incidents),
        "open_flags": len(flags),
    }
    domestic = {"count": len(incidents), "highest_grade": _grade(incidents),
                "last_date": (_as_date(incidents[0].get("occurred_at")).isoformat()
                              if incidents and _as_date(incidents[0].get("occurred_at"))
                              else None)}
    address = {k: v for k, v in f["address"].items()}
    base = {"address": address, "warnings": _warnings(f, flags), "counts": counts,
            "domestic_abuse": domestic, "shown": f["keys"]}
    if role in RESTRICTED_ROLES:
        base["view"] = "restricted"
        base["offenders"] = [{"description": _offender_kind(o), "rosh_level": o.get("rosh_level"),
                              "lives_here": o["lives_here"], "distance_m": o["distance_m"],
                              "orders": [{"order_type": x.get("order_type"),
                                          "prohibits_child_contact":
                                              bool(x.get("prohibits_child_contact"))}
                                         for x in o.get("orders") or []]}
                             for o in f["offenders"]]
        base["orders"] = [{"order_type": o.get("order_type"), "relation": o["relation"],
                           "prohibits_child_contact": bool(o.get("prohibits_child_contact"))}
                          for o in f["orders"]]
        base["flags"] = [{"severity": x.get("severity"), "rule_id": x.get("rule_id"),
                          "title": RULE_TITLES.get(x.get("rule_id") or "", x.get("rule_id"))}
                         for x in flags]
        return base
    base["view"] = "full"
    base["residents"] = [{k: p.get(k) for k in ("person_id", "given_name", "family_name",
                                                "date_of_birth", "age", "child", "gender",
                                                "residence_type", "offender")}
                         | {"plans": p["plans"]} for p in f["residents"]]
    base["children_on_protection_plans"] = [
        {"person_id": p["person_id"], "name": _name(p), "age": p["age"], "plans": p["plans"]}
        for p in children + placed_children if p["plans"]]
    base["looked_after_children"] = [
        {k: c.get(k) for k in ("person_id", "given_name", "family_name", "date_of_birth", "age",
                               "placement_id", "placing_authority", "placement_type",
                               "out_of_area", "start_date")} | {"name": _name(c)}
        for c in f["placed"]]
    base["offenders"] = [
        {k: o.get(k) for k in ("person_id", "given_name", "family_name", "date_of_birth",
                               "rosh_level", "mappa_category", "mappa_level", "visor_ref",
                               "address_id", "lives_here", "distance_m", "residence_type")}
        | {"name": _name(o), "description": _offender_kind(o), "orders": o.get("orders") or []}
        for o in f["offenders"]]
    base["orders"] = f["orders"]
    base["domestic_abuse"]["incidents"] = incidents
    base["flags"] = [{k: x.get(k) for k in ("flag_id", "rule_id", "severity", "status",
                                            "summary", "last_seen")}
                     | {"title": RULE_TITLES.get(x.get("rule_id") or "", x.get("rule_id"))}
                     for x in flags]
    return base
