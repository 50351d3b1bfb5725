"""The address check's answer for one role: the briefing officers going to an address read.

`present` turns the check's findings into the answer: children at risk by name with their
plans' category and lead professional, looked-after children placed here with their recent
missing episodes, offenders living here with their orders' conditions and risk-management
summary, offenders nearby by risk, distance and direction (named only when an order protecting
someone here or an open flag about this address ties them to it), the officer-safety history
of the last 12 months by incident type, warning markers, open flags and the picture of the
surroundings. The control room's view leaves out what it does not need (docs/roles.md): ids,
dates of birth, incident lists, flag summaries, other addresses and the names of offenders
nothing ties to this address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphsvc import geo, model, surroundings
from graphsvc.address_check.answer import (
    Briefing,
    ControlRoomBriefing,
    Counts,
    FullBriefing,
    Rows,
    Section,
)
from graphsvc.address_check.facts import as_date, person_name
from graphsvc.address_check.query import (
    ADDRESS_TYPES,
    DA_GRADE_ORDER,
    ROSH_ORDER,
    SAFETY_TYPES,
)
from graphsvc.address_check.warnings import (
    DA,
    children_on_plans,
    offender_kind,
    plan_entries,
    rosh_text,
    warnings_for,
)
from graphsvc.markers import describe

# Keys the control room's view drops wherever they appear (the checked address keeps its id).
_RESTRICTED_KEYS = frozenset({"person_id", "plan_id", "placement_id", "order_id", "incident_id",
                              "flag_id", "date_of_birth", "visor_ref", "summary", "status",
                              "crime_ref", "address_id", "last_seen", "subject_id"})


def present(facts: dict[str, Any], *, flags: list[dict[str, Any]], tied: Mapping[str, str],
            tied_people: list[dict[str, Any]], care_settings: list[dict[str, Any]], role: str,
            radius_m: int, located: bool, query: Section, as_of: str, since: str,
            tile_url: str = "") -> Briefing:
    """The answer for `role` (one type per view), `shown` listing every record it draws on."""
    address = facts["address"]
    centre = ((float(address["latitude"]), float(address["longitude"])) if located else None)
    nearby = _nearby(facts, tied, tied_people, centre, radius_m)
    care = sorted((_care_setting(c, centre) for c in care_settings),
                  key=lambda c: (c["distance_m"], c["address_id"])) if centre else []
    safety = _officer_safety(facts["incidents"])
    plans = children_on_plans(facts)
    picture = (surroundings.picture(radius_m, [
        {"kind": "offender", "level": o.get("rosh_level") or "unknown",
         "label": o["label"], **{k: o[k] for k in ("name", "distance_m", "bearing_deg",
                                                   "named")}}
        for o in nearby] + [
        {"kind": "care_setting", "level": c["address_type"], "label": c["label"],
         "named": False, **{k: c[k] for k in ("distance_m", "bearing_deg")}} for c in care],
        centre=centre, tile_url=tile_url) if centre else None)
    shown = set(facts["keys"])
    shown.update(f"flag_id={x['flag_id']}" for x in flags if x.get("flag_id"))
    shown.update(f"person_id={o['person_id']}" for o in nearby)
    shown.update(f"order_id={x['order_id']}" for o in nearby for x in o.get("orders") or []
                 if x.get("order_id"))
    shown.update(f"address_id={c['address_id']}" for c in care)
    full = FullBriefing(
        address=address,
        warnings=warnings_for(facts, flags, nearby, safety, located),
        counts=_counts(facts, flags, nearby, located),
        children_on_protection_plans=plans,
        looked_after_children=[_looked_after(c) for c in facts["placed"]],
        offenders_here=[_offender_here(o) for o in facts["offenders"] if o["lives_here"]],
        offenders_nearby=nearby,
        orders=facts["orders"],
        officer_safety=safety,
        domestic_abuse=safety["domestic_abuse"],
        warning_markers=_markers(facts),
        care_settings_nearby=care,
        flags=[{k: x.get(k) for k in ("flag_id", "rule_id", "severity", "status", "summary",
                                      "last_seen")}
               | {"title": model.rule_phrase(x.get("rule_id"), x.get("rule_id") or "")}
               for x in flags],
        residents=[{k: p.get(k) for k in ("person_id", "given_name", "family_name",
                                          "date_of_birth", "age", "child", "gender",
                                          "residence_type", "offender")}
                   | {"name": person_name(p), "plans": p["plans"],
                      "warning_markers": describe(p.get("warning_markers"))}
                   for p in facts["residents"]],
        picture=picture, shown=sorted(shown), query=query, as_of=as_of, radius_m=radius_m,
        located=located, since=since)
    return for_control_room(full) if role in model.RESTRICTED_VIEW_ROLES else full


# --- the sections -------------------------------------------------------------------------

def _grade(incidents: list[dict[str, Any]]) -> str | None:
    graded = [i.get("risk_grade") for i in incidents if i.get("risk_grade")]
    return max(graded, key=lambda g: DA_GRADE_ORDER.get(str(g), 0)) if graded else None


def _looked_after(c: dict[str, Any]) -> dict[str, Any]:
    episodes = sorted(c.get("missing") or [], key=lambda m: str(m.get("occurred_at") or ""),
                      reverse=True)
    last = as_date(episodes[0].get("occurred_at")) if episodes else None
    return {"person_id": c["person_id"], "name": person_name(c), "age": c["age"],
            "date_of_birth": c.get("date_of_birth"),
            **{k: c.get(k) for k in ("placement_id", "placing_authority", "out_of_area",
                                     "placement_type", "legal_basis", "start_date")},
            "plans": plan_entries(c["plans"]),
            "missing_last_90_days": {
                "count": len(episodes), "last_date": last.isoformat() if last else None,
                "episodes": [{k: m.get(k) for k in ("incident_id", "occurred_at", "returned_at")}
                             for m in episodes]}}


def _order_entry(x: Mapping[str, Any]) -> dict[str, Any]:
    return {k: x.get(k) for k in ("order_id", "order_type", "end_date", "conditions")} | {
        "prohibits_child_contact": bool(x.get("prohibits_child_contact"))}


def _offender_here(o: dict[str, Any]) -> dict[str, Any]:
    return {"person_id": o["person_id"], "name": person_name(o),
            "date_of_birth": o.get("date_of_birth"), "description": offender_kind(o),
            **{k: o.get(k) for k in ("rosh_level", "mappa_category", "mappa_level",
                                     "visor_ref", "residence_type",
                                     "risk_management_summary")},
            "warning_markers": describe(o.get("warning_markers")),
            "orders": [_order_entry(x) for x in o.get("orders") or []]}


def _place(centre: tuple[float, float] | None, lat: Any, lon: Any) -> tuple[float | None,
                                                                            float | None]:
    if centre is None or lat is None or lon is None:
        return None, None
    return geo.distance_and_bearing(*centre, float(lat), float(lon))


def _nearby(facts: dict[str, Any], tied: Mapping[str, str], tied_people: list[dict[str, Any]],
            centre: tuple[float, float] | None, radius_m: int) -> list[dict[str, Any]]:
    """Offenders within the radius, and those an order or open flag ties to this address
    wherever they live; each by risk, distance and direction, named only when tied."""
    out: dict[str, dict[str, Any]] = {}
    for o in facts["offenders"]:
        if o["lives_here"]:
            continue
        metres, bearing = _place(centre, o.get("latitude"), o.get("longitude"))
        out[o["person_id"]] = _nearby_entry(o, metres if metres is not None
                                            else o["distance_m"], bearing, True, tied)
    living = {p["person_id"] for p in facts["residents"]}
    for p in tied_people:
        pid = p["person_id"]
        if pid in out or pid in living or not (p.get("offender") or p.get("orders")):
            continue
        homes = [(_place(centre, h.get("latitude"), h.get("longitude")), h)
                 for h in p.get("homes") or []]
        located = sorted((m, b, h) for (m, b), h in homes if m is not None)
        metres, bearing = (located[0][0], located[0][1]) if located else (None, None)
        entry = {**p, "address_id": located[0][2]["address_id"] if located else None,
                 "rosh_level": p.get("rosh_level") if p.get("offender") else None}
        out[pid] = _nearby_entry(entry, metres, bearing,
                                 metres is not None and metres <= radius_m, tied)
    return sorted(out.values(), key=lambda o: (
        not o["named"], -ROSH_ORDER.get(o.get("rosh_level") or "", 0),
        o["distance_m"] if o["distance_m"] is not None else 10**9, o["person_id"]))


def _nearby_entry(o: Mapping[str, Any], metres: float | None, bearing: float | None,
                  within: bool, tied: Mapping[str, str]) -> dict[str, Any]:
    named = o["person_id"] in tied
    place = surroundings.describe_place(metres, bearing)
    risk = rosh_text(o) if o.get("rosh_level") else (
        offender_kind(o) if o.get("offender") else "subject of an order")
    return {"person_id": o["person_id"], "name": person_name(o), "named": named,
            "why_named": tied.get(o["person_id"]),
            "description": offender_kind(o) if o.get("rosh_level") or o.get("offender")
            else "subject of an order",
            "rosh_level": o.get("rosh_level"),
            "distance_m": round(metres) if metres is not None else None,
            "bearing_deg": round(bearing, 1) if bearing is not None else None,
            "direction": surroundings.compass(bearing) if bearing is not None else None,
            "within_radius": within, "address_id": o.get("address_id"),
            "label": f"{risk}, {place}",
            "orders": [_order_entry(x) for x in o.get("orders") or []]}


def _care_setting(c: Mapping[str, Any], centre: tuple[float, float]) -> dict[str, Any]:
    metres, bearing = _place(centre, c.get("latitude"), c.get("longitude"))
    kind = ADDRESS_TYPES.get(c.get("address_type") or "", "care setting")
    return {"address_id": c["address_id"], "address_type": c.get("address_type"),
            "distance_m": round(metres) if metres is not None else None,
            "bearing_deg": round(bearing, 1) if bearing is not None else None,
            "direction": surroundings.compass(bearing) if bearing is not None else None,
            "label": f"{kind[0].upper()}{kind[1:]}, "
                     f"{surroundings.describe_place(metres, bearing)}"}


def _officer_safety(incidents: list[dict[str, Any]]) -> dict[str, Any]:
    """The last 12 months here by incident type: count and last date (domestic abuse with its
    highest DASH grading)."""
    types = []
    for kind, label in SAFETY_TYPES.items():
        these = [i for i in incidents if i.get("incident_type") == kind]
        last = as_date(these[0].get("occurred_at")) if these else None
        entry = {"incident_type": kind, "label": label, "count": len(these),
                 "last_date": last.isoformat() if last else None}
        if kind == DA:
            entry["highest_grade"] = _grade(these)
        types.append(entry)
    domestic = [i for i in incidents if i.get("incident_type") == DA]
    da = next(t for t in types if t["incident_type"] == DA)
    return {"types": types, "domestic_abuse": {
        "count": da["count"], "highest_grade": da["highest_grade"], "last_date": da["last_date"],
        "incidents": [{k: i.get(k) for k in ("incident_id", "occurred_at", "risk_grade",
                                             "dash_score", "crime_ref")} for i in domestic]}}


def _markers(facts: dict[str, Any]) -> dict[str, Any]:
    people: list[dict[str, Any]] = []
    for p in facts["residents"] + facts["placed"]:
        labels = describe(p.get("warning_markers"))
        if labels and all(x["person_id"] != p["person_id"] for x in people):
            people.append({"person_id": p["person_id"], "name": person_name(p), "age": p["age"],
                           "markers": labels})
    return {"address": describe(facts["address"].get("warning_markers")), "people": people}


def _counts(facts: dict[str, Any], flags: list[dict[str, Any]], nearby: list[dict[str, Any]],
            located: bool) -> Counts:
    children = [p for p in facts["residents"] if p["child"]]
    placed_children = [c for c in facts["placed"] if c["child"]]
    return {
        "people_living_here": len(facts["residents"]),
        "children_living_here": len(children),
        "children_on_protection_plans": len(children_on_plans(facts)),
        "looked_after_children_placed_here": len(facts["placed"]),
        "offenders_living_here": sum(1 for o in facts["offenders"] if o["lives_here"]),
        # None, never 0, when the address has no coordinates: nobody could be measured
        "offenders_nearby": (sum(1 for o in nearby if o["within_radius"]) if located else None),
        "offenders_tied_to_address": sum(1 for o in nearby if o["named"]),
        "active_orders": len(facts["orders"]),
        "domestic_abuse_incidents_12_months": sum(
            1 for i in facts["incidents"] if i.get("incident_type") == DA),
        "incidents_12_months": len(facts["incidents"]),
        "missing_children_placed_here_90_days": sum(
            1 for c in placed_children if c.get("missing")),
        "open_flags": len(flags),
    }


# --- the control room's view ------------------------------------------------------------------

# Values _strip passes over without a look inside (one set look-up, cheaper than isinstance).
_LEAVES = frozenset({str, int, float, bool, type(None)})


def _strip(value: Any) -> Any:
    # A copy without the restricted keys. Descends only into what is not plainly a leaf: a
    # call per leaf value was most of the view's cost.
    if isinstance(value, dict):
        return {k: v if v.__class__ in _LEAVES else _strip(v)
                for k, v in value.items() if k not in _RESTRICTED_KEYS}
    if isinstance(value, list):
        return [v if v.__class__ in _LEAVES else _strip(v) for v in value]
    return value


def for_control_room(full: FullBriefing) -> ControlRoomBriefing:
    """What the control room sees (docs/roles.md): names where officers need them; no ids but
    the address's, no dates of birth, incident lists, flag summaries, other addresses, list of
    residents or names of offenders nothing ties to this address."""
    nearby: Rows = _strip(full.offenders_nearby)
    for o in nearby:
        if not o["named"]:
            o["name"] = None
    orders: Rows = _strip(full.orders)
    for o in orders:
        o["protected"] = [{"name": p["name"], "child": p["child"]} for p in o["protected"]]
    domestic = {k: v for k, v in _strip(full.domestic_abuse).items() if k != "incidents"}
    safety: Section = _strip(full.officer_safety)
    safety["domestic_abuse"] = domestic
    picture: Section | None = _strip(full.picture)
    if picture:
        for p in picture["points"]:
            if not p["named"]:
                p["name"] = None
    return ControlRoomBriefing(
        warnings=_strip(full.warnings), counts=full.counts,
        children_on_protection_plans=_strip(full.children_on_protection_plans),
        looked_after_children=_strip(full.looked_after_children),
        offenders_here=_strip(full.offenders_here), offenders_nearby=nearby, orders=orders,
        officer_safety=safety, domestic_abuse=domestic,
        warning_markers=_strip(full.warning_markers),
        care_settings_nearby=_strip(full.care_settings_nearby), flags=_strip(full.flags),
        picture=picture, address=dict(full.address), shown=full.shown,
        query=full.query, as_of=full.as_of, radius_m=full.radius_m,
        located=full.located, since=full.since)
