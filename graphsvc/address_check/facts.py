"""The facts of an address check: people here and tied to it by flags or orders, offenders'
homes and care settings nearby (cached per process), open flags."""

from __future__ import annotations

import bisect
import logging
import math
import threading
import time
import weakref
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphsvc import flags, model
from graphsvc.address_check.query import (
    CARE_SETTINGS,
    HOMES_RECHECK_S,
    MAX_CARE_SETTINGS,
    ORDER_TYPES,
    ROSH_ORDER,
)
from graphsvc.dates import add_years, age_on
from graphsvc.geo import distance_and_bearing
from graphsvc.store.base import GraphStore, writes_made

log = logging.getLogger(__name__)

# --- the check ------------------------------------------------------------------------------

def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _age(dob: Any, as_of: date) -> int | None:
    return age_on(as_date(dob), as_of)


def person_name(p: Mapping[str, Any], given: str = "given_name",
                family: str = "family_name") -> str:
    return " ".join(str(x) for x in (p.get(given), p.get(family)) if x) or "(no name recorded)"


def plural_text(n: int, one: str, many: str) -> str:
    return one if n == 1 else many.replace("{n}", str(n))


def people_tied(facts: Mapping[str, Any], flags: list[dict[str, Any]], here_key: str
                ) -> dict[str, str]:
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
    list is reloaded whenever its version query's row changes. How fresh a check's list is:
    - after a write this process made to the graph (an import, a decision), the next check
      reads the version first, so a change made through this process is seen at once;
    - otherwise a list checked less than HOMES_RECHECK_S ago is used as it is; one checked up
      to twice that long ago is used while one thread checks the version in the background
      (on Neo4j a county's homes version took 20-70 ms: every request paying it inline put
      one in twenty over the p95 target); an older one is checked before the check answers.
    So a change made by another process (another web worker, a CLI import) is seen within
    2 x HOMES_RECHECK_S, plus the time of one version read, a window far shorter than an
    import itself (a check during an import sees part of it anyway).
    """

    def __init__(self, rows_query: str, version_query: str, **params: Any) -> None:
        self.rows_query, self.version_query, self.params = rows_query, version_query, params
        self.lock = threading.Lock()
        self.refreshing = threading.Lock()  # held by the one thread reading the version
        self.version: tuple[Any, ...] | None = None
        self.checked_at = 0.0  # when the version in hand was read (monotonic seconds)
        self.writes_seen = -1  # writes_made() before that read
        self.lats: list[float] = []
        self.rows: list[tuple[float, float, str, dict[str, Any]]] = []

    def near(self, store: GraphStore, lat: float, lon: float, radius_m: float
             ) -> list[tuple[float, float, str, dict[str, Any]]]:
        """(latitude, longitude, address_id, row) of those within a generous box around the
        point: callers measure exactly, so the box only must not miss anyone."""
        self._current(store)
        with self.lock:
            rows, lats = self.rows, self.lats
        reach = radius_m * 1.05 + 50
        dlat = reach / 111_000
        dlon = reach / (111_000 * max(math.cos(math.radians(lat)), 0.01))
        start, end = bisect.bisect_left(lats, lat - dlat), bisect.bisect_right(lats, lat + dlat)
        return [r for r in rows[start:end] if abs(r[1] - lon) <= dlon]

    def _fresh_enough(self, writes: int, max_age: float) -> bool:
        return (self.version is not None and self.writes_seen >= writes
                and time.monotonic() - self.checked_at < max_age)

    def _current(self, store: GraphStore) -> None:
        """Make the list fresh enough for a check (the class's docstring says how fresh)."""
        writes = writes_made()
        if self._fresh_enough(writes, HOMES_RECHECK_S):
            return
        if self._fresh_enough(writes, 2 * HOMES_RECHECK_S):
            if self.refreshing.acquire(blocking=False):  # else another thread is on it
                threading.Thread(target=self._refresh_in_background, args=(store,),
                                 name="address-check-places", daemon=True).start()
            return
        with self.refreshing:  # waits for a background read under way, then looks again
            if not self._fresh_enough(writes, 2 * HOMES_RECHECK_S):
                self._refresh(store)

    def _refresh_in_background(self, store: GraphStore) -> None:
        try:
            self._refresh(store)
        except Exception:  # the next check past the window reads it again, and says why
            log.warning("%s: background version check failed", self.version_query,
                        exc_info=True)
        finally:
            self.refreshing.release()

    def _refresh(self, store: GraphStore) -> None:
        writes, now = writes_made(), time.monotonic()
        version = tuple((store.read_one(self.version_query, **self.params) or {}).values())
        if version != self.version:
            rows = sorted(((float(r["latitude"]), float(r["longitude"]), r["address_id"], r)
                           for r in store.read(self.rows_query, **self.params)),
                          key=lambda r: r[:3])
            with self.lock:
                self.rows, self.lats = rows, [r[0] for r in rows]
            log.info("%s reloaded: %d addresses", self.rows_query, len(rows))
        self.version, self.checked_at, self.writes_seen = version, now, writes


_places: weakref.WeakKeyDictionary[GraphStore, dict[str, _Places]] = weakref.WeakKeyDictionary()
_places_lock = threading.Lock()
_PLACE_QUERIES: dict[str, tuple[str, str, dict[str, Any]]] = {
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


def _lived_in_on(periods: list[list[Any]], day: date) -> bool:
    """Whether any of the residences' [start_date, end_date] (null: open) covers the day."""
    return any((start is None or start <= day) and (end is None or end >= day)
               for start, end in periods)


def offender_homes_near(store: GraphStore, lat: float, lon: float, radius_m: float,
                        day: date) -> list[dict[str, Any]]:
    """Addresses within radius_m of a point that an offender (or a record linked to one) has
    as a home or notified stay on `day`, measured on the WGS84 ellipsoid as the proximity rule
    measures: [{address_id, distance_m}]. The graph checks each again (read/address_check):
    this only leaves out the addresses nobody on the register lived in that day."""
    found = []
    for h_lat, h_lon, aid, row in _places_of(store, "homes").near(store, lat, lon, radius_m):
        if not _lived_in_on(row["periods"], day):
            continue
        metres, _ = distance_and_bearing(lat, lon, h_lat, h_lon)
        if metres <= radius_m:
            found.append({"address_id": aid, "distance_m": metres})
    return found


def care_settings_near(store: GraphStore, lat: float, lon: float, radius_m: float
                       ) -> list[dict[str, Any]]:
    """Care settings (children's homes, foster homes, …) within radius_m of a point, with
    their type and coordinates, nearest first, at most MAX_CARE_SETTINGS."""
    found = []
    for c_lat, c_lon, _aid, row in _places_of(store, "care").near(store, lat, lon, radius_m):
        metres, _ = distance_and_bearing(lat, lon, c_lat, c_lon)
        if metres <= radius_m:
            found.append((metres, row))
    found.sort(key=lambda x: (x[0], x[1]["address_id"]))
    return [row for _, row in found[:MAX_CARE_SETTINGS]]


def one_year_before(day: date) -> date:
    return add_years(day, -1) + timedelta(days=1)


def echo_query(parsed: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in parsed.items()}


def open_flags_here(store: GraphStore, keys: list[str]) -> list[dict[str, Any]]:
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


def _person_order(p: Mapping[str, Any]) -> tuple[Any, ...]:
    return (not p["child"], p.get("family_name") or "", p.get("given_name") or "",
            p["person_id"])


def read_facts(address: dict[str, Any], row: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The raw findings, with ages worked out and people merged across the four lists."""
    address_id = address["address_id"]
    address = {**address, "warning_markers": list(row.get("address_markers") or [])}
    residents = sorted((_person(p, day) for p in row.get("residents") or []), key=_person_order)
    placed = sorted((_person(c, day) for c in row.get("placed") or []), key=_person_order)
    offenders: dict[str, dict[str, Any]] = {}
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
    orders: dict[str, dict[str, Any]] = {}
    for p in residents:
        for o in p.get("restricted_by") or []:
            orders.setdefault(o["order_id"], {**o, "relation": "subject_lives_here",
                                              "subject_id": p["person_id"],
                                              "subject_name": person_name(p), "protected": []})
        for o in p.get("protected_by") or []:
            entry = orders.setdefault(o["order_id"], {
                **{k: o.get(k) for k in ("order_id", "order_type", "start_date", "end_date",
                                         "prohibits_child_contact", "conditions")},
                "relation": "protects_someone_here",
                "subject_id": (o.get("subject") or {}).get("person_id"),
                "subject_name": person_name(o.get("subject") or {}),
                "protected": []})
            if entry["relation"] == "subject_lives_here":
                entry["relation"] = "both"
            entry["protected"].append({"person_id": p["person_id"], "name": person_name(p),
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
