"""The facts of an address check: people here and tied to it by flags or orders, offenders'
homes and care settings nearby (cached per process), open flags."""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphsvc import flags, model
from graphsvc.address_check import query
from graphsvc.address_check.query import (
    CARE_SETTINGS,
    MAX_CARE_SETTINGS,
    ORDER_TYPES,
    ROSH_ORDER,
)
from graphsvc.dates import add_years, age_on
from graphsvc.geo import distance_and_bearing
from graphsvc.search.index import cached
from graphsvc.store.base import GraphStore

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


# Offenders' homes and care settings: a few thousand addresses of one kind, read once per
# process and graph and sorted by latitude, for "which of them lie near this point". Scanning
# every address within the radius in the graph costs far more than measuring these few.
_PLACE_QUERIES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "homes": ("read/address_offender_homes", "read/address_offender_homes_version", {}),
    "care": ("read/care_settings", "read/care_settings_version",
             {"types": list(CARE_SETTINGS)})}

Place = tuple[float, float, str, dict[str, Any]]  # latitude, longitude, address_id, row


def _places(store: GraphStore, kind: str) -> tuple[list[float], list[Place]]:
    """The places of one kind, and their latitudes in the same order. Held in memory and
    reloaded when the kind's version row changes (search.index.CachedIndex), checked in the
    background after HOMES_RECHECK_S: a change made through this process is seen at once, one
    made by another process (another web worker, a CLI import) within 2 x HOMES_RECHECK_S
    plus one version read, far shorter than an import itself takes."""
    rows_query, version_query, params = _PLACE_QUERIES[kind]

    def version(s: GraphStore) -> tuple[Any, ...]:
        return tuple((s.read_one(version_query, **params) or {}).values())

    def load(s: GraphStore) -> tuple[list[float], list[Place]]:
        rows = sorted(((float(r["latitude"]), float(r["longitude"]), r["address_id"], r)
                       for r in s.read(rows_query, **params)), key=lambda r: r[:3])
        return [r[0] for r in rows], rows

    held: tuple[list[float], list[Place]] = cached(
        f"places:{kind}", store, version, load, name=rows_query, **query.FRESHNESS)
    return held


def _near(store: GraphStore, kind: str, lat: float, lon: float, radius_m: float
          ) -> list[Place]:
    """The places of one kind within a generous box around the point: callers measure
    exactly, so the box only must not miss anyone."""
    lats, rows = _places(store, kind)
    reach = radius_m * 1.05 + 50
    dlat = reach / 111_000
    dlon = reach / (111_000 * max(math.cos(math.radians(lat)), 0.01))
    start, end = bisect.bisect_left(lats, lat - dlat), bisect.bisect_right(lats, lat + dlat)
    return [r for r in rows[start:end] if abs(r[1] - lon) <= dlon]


def _covers(start: date | None, end: date | None, day: date) -> bool:
    """Whether [start, end] (either None: open) covers the day."""
    return (start is None or start <= day) and (end is None or end >= day)


def _registered_on(residence: Mapping[str, Any], day: date) -> bool:
    """As the graph compares: an offender without a registration date is not registered."""
    start = residence.get("registered_from")
    return start is not None and _covers(start, residence.get("registered_until"), day)


def offender_homes_near(store: GraphStore, lat: float, lon: float, radius_m: float,
                        day: date, address_id: str) -> list[dict[str, Any]]:
    """The registered offenders living on `day` (a home or notified stay, under the register
    record or a record linked to it: `resident_record`) at an address within radius_m of a
    point, measured on the WGS84 ellipsoid as the proximity rule measures, one entry per
    residence: [{person_id, address_id, residence_type, latitude, longitude, distance_m,
    resident_record}]. From memory (`_places`); a linked record living at the address checked
    itself is a resident registered under another record, shown among the residents
    (resolved.py), not here."""
    found: list[dict[str, Any]] = []
    for h_lat, h_lon, aid, row in _near(store, "homes", lat, lon, radius_m):
        living = [x for x in row["residences"]
                  if _covers(x.get("start_date"), x.get("end_date"), day)
                  and _registered_on(x, day)
                  and not (aid == address_id and x["resident_record"] != x["person_id"])]
        if not living:
            continue
        metres, _ = distance_and_bearing(lat, lon, h_lat, h_lon)
        if metres > radius_m:
            continue
        found.extend({"person_id": x["person_id"], "address_id": aid,
                      "residence_type": x["residence_type"], "latitude": row["latitude"],
                      "longitude": row["longitude"], "distance_m": metres,
                      "resident_record": x["resident_record"]} for x in living)
    return found


def care_settings_near(store: GraphStore, lat: float, lon: float, radius_m: float
                       ) -> list[dict[str, Any]]:
    """Care settings (children's homes, foster homes, …) within radius_m of a point, with
    their type and coordinates, nearest first, at most MAX_CARE_SETTINGS."""
    found = []
    for c_lat, c_lon, _aid, row in _near(store, "care", lat, lon, radius_m):
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
    return flags.open_flags_at_address(store, keys)


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
