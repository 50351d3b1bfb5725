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

from graphsvc import address_check as ac
from graphsvc import geo, model, surroundings
from graphsvc.markers import describe

_DA = "domestic_abuse"
_PLAN_KEYS = ("plan_id", "category", "start_date", "local_authority", "lead_professional",
              "lead_contact")
# Keys the control room's view drops wherever they appear (the checked address keeps its id).
_RESTRICTED_KEYS = frozenset({"person_id", "plan_id", "placement_id", "order_id", "incident_id",
                              "flag_id", "date_of_birth", "visor_ref", "summary", "status",
                              "crime_ref", "address_id", "last_seen", "subject_id"})


def present(facts: dict[str, Any], *, flags: list[dict], tied: Mapping[str, str],
            tied_people: list[dict], care_settings: list[dict], role: str, radius_m: int,
            located: bool, tile_url: str = "") -> dict[str, Any]:
    """The answer for `role`, with `shown` listing every record it draws on."""
    address = facts["address"]
    centre = ((float(address["latitude"]), float(address["longitude"])) if located else None)
    nearby = _nearby(facts, tied, tied_people, centre, radius_m)
    care = sorted((_care_setting(c, centre) for c in care_settings),
                  key=lambda c: (c["distance_m"], c["address_id"])) if centre else []
    safety = _officer_safety(facts["incidents"])
    plans = _children_on_plans(facts)
    answer: dict[str, Any] = {
        "address": address,
        "warnings": _warnings(facts, flags, nearby, safety, located),
        "counts": _counts(facts, flags, nearby, located),
        "children_on_protection_plans": plans,
        "looked_after_children": [_looked_after(c) for c in facts["placed"]],
        "offenders_here": [_offender_here(o) for o in facts["offenders"] if o["lives_here"]],
        "offenders_nearby": nearby,
        "orders": facts["orders"],
        "officer_safety": safety,
        "domestic_abuse": safety["domestic_abuse"],
        "warning_markers": _markers(facts),
        "care_settings_nearby": care,
        "flags": [{k: x.get(k) for k in ("flag_id", "rule_id", "severity", "status", "summary",
                                         "last_seen")}
                  | {"title": model.rule_phrase(x.get("rule_id"), x.get("rule_id") or "")}
                  for x in flags],
        "residents": [{k: p.get(k) for k in ("person_id", "given_name", "family_name",
                                             "date_of_birth", "age", "child", "gender",
                                             "residence_type", "offender")}
                      | {"name": ac._name(p), "plans": p["plans"],
                         "warning_markers": describe(p.get("warning_markers"))}
                      for p in facts["residents"]],
    }
    answer["picture"] = (surroundings.picture(radius_m, [
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
    if role in model.RESTRICTED_VIEW_ROLES:
        answer = _restrict(answer)
    answer["shown"] = sorted(shown)
    return answer


# --- the sections -------------------------------------------------------------------------

def _offender_kind(o: Mapping[str, Any]) -> str:
    return ac.MAPPA_CATEGORY.get(str(o.get("mappa_category") or ""), "registered offender")


def _rosh(o: Mapping[str, Any]) -> str:
    level = o.get("rosh_level")
    return f"RoSH {str(level).replace('_', ' ')}" if level else "RoSH not recorded"


def _grade(incidents: list[dict]) -> str | None:
    graded = [i.get("risk_grade") for i in incidents if i.get("risk_grade")]
    return max(graded, key=lambda g: ac.DA_GRADE_ORDER.get(g, 0)) if graded else None


def _plans(plans: list[dict]) -> list[dict]:
    return [{k: pl.get(k) for k in _PLAN_KEYS} for pl in plans]


def _children_on_plans(facts: dict) -> list[dict]:
    out = []
    for p in [p for p in facts["residents"] if p["child"]] + [c for c in facts["placed"]
                                                              if c["child"]]:
        if p["plans"] and all(x["person_id"] != p["person_id"] for x in out):
            out.append({"person_id": p["person_id"], "name": ac._name(p), "age": p["age"],
                        "date_of_birth": p.get("date_of_birth"), "plans": _plans(p["plans"])})
    return out


def _looked_after(c: dict) -> dict:
    episodes = sorted(c.get("missing") or [], key=lambda m: str(m.get("occurred_at") or ""),
                      reverse=True)
    last = ac._as_date(episodes[0].get("occurred_at")) if episodes else None
    return {"person_id": c["person_id"], "name": ac._name(c), "age": c["age"],
            "date_of_birth": c.get("date_of_birth"),
            **{k: c.get(k) for k in ("placement_id", "placing_authority", "out_of_area",
                                     "placement_type", "legal_basis", "start_date")},
            "plans": _plans(c["plans"]),
            "missing_last_90_days": {
                "count": len(episodes), "last_date": last.isoformat() if last else None,
                "episodes": [{k: m.get(k) for k in ("incident_id", "occurred_at", "returned_at")}
                             for m in episodes]}}


def _order_entry(x: Mapping[str, Any]) -> dict:
    return {k: x.get(k) for k in ("order_id", "order_type", "end_date", "conditions")} | {
        "prohibits_child_contact": bool(x.get("prohibits_child_contact"))}


def _offender_here(o: dict) -> dict:
    return {"person_id": o["person_id"], "name": ac._name(o),
            "date_of_birth": o.get("date_of_birth"), "description": _offender_kind(o),
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


def _nearby(facts: dict, tied: Mapping[str, str], tied_people: list[dict],
            centre: tuple[float, float] | None, radius_m: int) -> list[dict]:
    """Offenders within the radius, and those an order or open flag ties to this address
    wherever they live; each by risk, distance and direction, named only when tied."""
    out: dict[str, dict] = {}
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
        not o["named"], -ac.ROSH_ORDER.get(o.get("rosh_level") or "", 0),
        o["distance_m"] if o["distance_m"] is not None else 10**9, o["person_id"]))


def _nearby_entry(o: Mapping[str, Any], metres: float | None, bearing: float | None,
                  within: bool, tied: Mapping[str, str]) -> dict:
    named = o["person_id"] in tied
    place = surroundings.describe_place(metres, bearing)
    risk = _rosh(o) if o.get("rosh_level") else (
        _offender_kind(o) if o.get("offender") else "subject of an order")
    return {"person_id": o["person_id"], "name": ac._name(o), "named": named,
            "why_named": tied.get(o["person_id"]),
            "description": _offender_kind(o) if o.get("rosh_level") or o.get("offender")
            else "subject of an order",
            "rosh_level": o.get("rosh_level"),
            "distance_m": round(metres) if metres is not None else None,
            "bearing_deg": round(bearing, 1) if bearing is not None else None,
            "direction": surroundings.compass(bearing) if bearing is not None else None,
            "within_radius": within, "address_id": o.get("address_id"),
            "label": f"{risk}, {place}",
            "orders": [_order_entry(x) for x in o.get("orders") or []]}


def _care_setting(c: Mapping[str, Any], centre: tuple[float, float]) -> dict:
    metres, bearing = _place(centre, c.get("latitude"), c.get("longitude"))
    kind = ac.ADDRESS_TYPES.get(c.get("address_type") or "", "care setting")
    return {"address_id": c["address_id"], "address_type": c.get("address_type"),
            "distance_m": round(metres) if metres is not None else None,
            "bearing_deg": round(bearing, 1) if bearing is not None else None,
            "direction": surroundings.compass(bearing) if bearing is not None else None,
            "label": f"{kind[0].upper()}{kind[1:]}, "
                     f"{surroundings.describe_place(metres, bearing)}"}


def _officer_safety(incidents: list[dict]) -> dict:
    """The last 12 months here by incident type: count and last date (domestic abuse with its
    highest DASH grading)."""
    types = []
    for kind, label in ac.SAFETY_TYPES.items():
        these = [i for i in incidents if i.get("incident_type") == kind]
        last = ac._as_date(these[0].get("occurred_at")) if these else None
        entry = {"incident_type": kind, "label": label, "count": len(these),
                 "last_date": last.isoformat() if last else None}
        if kind == _DA:
            entry["highest_grade"] = _grade(these)
        types.append(entry)
    domestic = [i for i in incidents if i.get("incident_type") == _DA]
    da = next(t for t in types if t["incident_type"] == _DA)
    return {"types": types, "domestic_abuse": {
        "count": da["count"], "highest_grade": da["highest_grade"], "last_date": da["last_date"],
        "incidents": [{k: i.get(k) for k in ("incident_id", "occurred_at", "risk_grade",
                                             "dash_score", "crime_ref")} for i in domestic]}}


def _markers(facts: dict) -> dict:
    people = []
    for p in facts["residents"] + facts["placed"]:
        labels = describe(p.get("warning_markers"))
        if labels and all(x["person_id"] != p["person_id"] for x in people):
            people.append({"person_id": p["person_id"], "name": ac._name(p), "age": p["age"],
                           "markers": labels})
    return {"address": describe(facts["address"].get("warning_markers")), "people": people}


def _counts(facts: dict, flags: list[dict], nearby: list[dict], located: bool) -> dict:
    children = [p for p in facts["residents"] if p["child"]]
    placed_children = [c for c in facts["placed"] if c["child"]]
    return {
        "people_living_here": len(facts["residents"]),
        "children_living_here": len(children),
        "children_on_protection_plans": len(_children_on_plans(facts)),
        "looked_after_children_placed_here": len(facts["placed"]),
        "offenders_living_here": sum(1 for o in facts["offenders"] if o["lives_here"]),
        # None, never 0, when the address has no coordinates: nobody could be measured
        "offenders_nearby": (sum(1 for o in nearby if o["within_radius"]) if located else None),
        "offenders_tied_to_address": sum(1 for o in nearby if o["named"]),
        "active_orders": len(facts["orders"]),
        "domestic_abuse_incidents_12_months": sum(
            1 for i in facts["incidents"] if i.get("incident_type") == _DA),
        "incidents_12_months": len(facts["incidents"]),
        "missing_children_placed_here_90_days": sum(
            1 for c in placed_children if c.get("missing")),
        "open_flags": len(flags),
    }


# --- warnings -------------------------------------------------------------------------------

def _warnings(f: dict, flags: list[dict], nearby: list[dict], safety: dict,
              located: bool) -> list[dict]:
    """Plain sentences for the officer, worst first; none of them names a person."""
    out: list[tuple[int, str, str]] = []  # (rank, level, text)
    kind = ac.ADDRESS_TYPES.get(f["address"].get("address_type") or "")
    if kind:
        out.append((3, "info", f"This address is {kind}."))
    if not located:
        out.append((0, "high", "No coordinates are recorded for this address: the distances "
                               "to offenders nearby could not be checked."))
    address_markers = describe(f["address"].get("warning_markers"))
    if address_markers:
        out.append((0, "critical", "Address warning markers: " + ", ".join(address_markers)
                    + "."))
    people_markers = sorted({m for p in f["residents"] + f["placed"]
                             for m in describe(p.get("warning_markers"))})
    if people_markers:
        out.append((0, "critical", "Someone who lives here carries warning markers: "
                    + ", ".join(people_markers) + "."))
    for o in f["offenders"]:
        if not o["lives_here"]:
            continue
        rosh = o.get("rosh_level") or ""
        ban = any(x.get("prohibits_child_contact") for x in o.get("orders") or [])
        extra = " under an order that prohibits contact with children" if ban else ""
        how = ("lives here" if o.get("residence_type") in (None, "home")
               else f"is recorded here ({str(o['residence_type']).replace('_', ' ')})")
        out.append((0, "critical" if rosh in ("high", "very_high") else "high",
                    f"A {_offender_kind(o)} ({_rosh(o)}){extra} {how}."))
    plain = []
    for o in nearby:
        ban = any(x.get("prohibits_child_contact") for x in o.get("orders") or [])
        high = (o.get("rosh_level") or "") in ("high", "very_high")
        if o["named"]:
            where = (f"{o['distance_m']} m {o['direction']}" if o["distance_m"] is not None
                     else "at an address without coordinates")
            out.append((0, "critical" if high or ban else "high",
                        f"An offender tied to this address ({o['why_named']}) lives {where}."))
        elif high or ban:
            extra = " under an order that prohibits contact with children" if ban else ""
            out.append((1, "high", f"A {o['description']} ({_rosh(o)}){extra} lives "
                                   f"{o['distance_m']} m {o['direction']}."))
        else:
            plain.append(o)
    if plain:
        nearest = min(plain, key=lambda o: o["distance_m"] or 0)
        out.append((2, "medium", ac._plural(len(plain), "One other registered offender",
                                            "{n} other registered offenders")
                    + f" (RoSH low or medium) {'lives' if len(plain) == 1 else 'live'} nearby, "
                    f"the nearest {nearest['distance_m']} m {nearest['direction']}."))
    on_plan = _children_on_plans(f)
    if on_plan:
        out.append((0, "critical", ac._plural(len(on_plan),
                                              "A child on a child protection plan lives here.",
                                              "{n} children on child protection plans live "
                                              "here.")))
    if f["placed"]:
        ooa = sum(1 for c in f["placed"] if c.get("out_of_area"))
        text = ac._plural(len(f["placed"]), "A looked-after child is placed here",
                          "{n} looked-after children are placed here")
        text += (f" ({ooa} by another local authority)." if ooa > 1 else
                 " (placed by another local authority)." if ooa == 1 else ".")
        out.append((1, "high", text))
        went = sum(1 for c in f["placed"] if c.get("missing"))
        if went:
            out.append((1, "high", ac._plural(went, "A child placed here has",
                                              "{n} children placed here have")
                        + f" gone missing in the last {ac.MISSING_DAYS} days."))
    children = [p for p in f["residents"] if p["child"] and not p["plans"]]
    if children:
        out.append((2, "info", ac._plural(len(children), "A child lives here.",
                                          "{n} children live here.")))
    for o in f["orders"]:
        name = ac.ORDER_TYPES.get(o.get("order_type") or "", "court order")
        ban = " that prohibits contact with children" if o.get("prohibits_child_contact") else ""
        if o["relation"] in ("subject_lives_here", "both"):
            out.append((1, "high", f"Someone who lives here is subject to a {name}{ban}."))
        if o["relation"] in ("protects_someone_here", "both"):
            out.append((1, "high", f"A {name} protects someone who lives here: its subject may "
                                   "be a danger to them."))
    for t in safety["types"]:
        if not t["count"]:
            continue
        last = ac._as_date(t["last_date"])
        if t["incident_type"] == _DA:
            grade = t["highest_grade"]
            out.append((1 if t["count"] >= 3 or grade == "high" else 2,
                        "high" if t["count"] >= 3 else "medium",
                        ac._plural(t["count"], "One domestic abuse incident",
                                   "{n} domestic abuse incidents")
                        + " here in the last 12 months"
                        + (f" (highest grade {grade}" if grade else " (not graded")
                        + (f", last on {last:%-d %B %Y})." if last else ").")))
            continue
        level = "high" if t["incident_type"] in ("violence", "sexual_offence", "cse_concern") \
            else "medium"
        out.append((1, level, f"{t['label'][0].upper()}{t['label'][1:]}: {t['count']} in the "
                              f"last 12 months" + (f", last on {last:%-d %B %Y}." if last
                                                   else ".")))
    for flag in flags:
        title = model.rule_phrase(flag.get("rule_id"), str(flag.get("rule_id") or "a rule"))
        sev = flag.get("severity") or "medium"
        out.append((0 if sev == "critical" else 1, "critical" if sev == "critical" else
                    "high" if sev == "high" else "medium", f"Open {sev} flag: {title}."))
    order = {"critical": 0, "high": 1, "medium": 2, "info": 3}
    out.sort(key=lambda w: (order[w[1]], w[0]))
    return [{"level": level, "text": text} for _, level, text in out]


# --- the control room's view ------------------------------------------------------------------

def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in _RESTRICTED_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _restrict(answer: dict[str, Any]) -> dict[str, Any]:
    """What the control room sees (docs/roles.md): names where officers need them, no ids,
    dates of birth, incident lists, flag summaries or other addresses."""
    out = {k: _strip(v) for k, v in answer.items() if k not in ("address", "residents")}
    out["address"] = {k: v for k, v in answer["address"].items()}
    for o in out["offenders_nearby"]:
        if not o["named"]:
            o["name"] = None
    for o in out["orders"]:
        o["protected"] = [{"name": p["name"], "child": p["child"]} for p in o["protected"]]
    out["domestic_abuse"] = {k: v for k, v in out["domestic_abuse"].items() if k != "incidents"}
    out["officer_safety"]["domestic_abuse"] = out["domestic_abuse"]
    if out.get("picture"):
        for p in out["picture"]["points"]:
            if not p["named"]:
                p["name"] = None
    return out
