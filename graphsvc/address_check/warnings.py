"""The warnings at the top of an address check, most serious first: what officers must know
before they arrive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphsvc import model
from graphsvc.address_check.answer import Level, Warning
from graphsvc.address_check.facts import as_date, person_name, plural_text
from graphsvc.address_check.query import (
    ADDRESS_TYPES,
    MAPPA_CATEGORY,
    MISSING_DAYS,
    ORDER_TYPES,
)
from graphsvc.markers import describe

DA = "domestic_abuse"
PLAN_KEYS = ("plan_id", "category", "start_date", "local_authority", "lead_professional",
             "lead_contact")


def offender_kind(o: Mapping[str, Any]) -> str:
    return MAPPA_CATEGORY.get(str(o.get("mappa_category") or ""), "registered offender")


def rosh_text(o: Mapping[str, Any]) -> str:
    level = o.get("rosh_level")
    return f"RoSH {str(level).replace('_', ' ')}" if level else "RoSH not recorded"


def plan_entries(plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: pl.get(k) for k in PLAN_KEYS} for pl in plans]


def children_on_plans(facts: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in [p for p in facts["residents"] if p["child"]] + [c for c in facts["placed"]
                                                              if c["child"]]:
        if p["plans"] and all(x["person_id"] != p["person_id"] for x in out):
            out.append({"person_id": p["person_id"], "name": person_name(p), "age": p["age"],
                        "date_of_birth": p.get("date_of_birth"), "plans": plan_entries(p["plans"])})
    return out


def warnings_for(f: dict[str, Any], flags: list[dict[str, Any]], nearby: list[dict[str, Any]],
                 safety: dict[str, Any], located: bool) -> list[Warning]:
    """Plain sentences for the officer, worst first; none of them names a person."""
    out: list[tuple[int, Level, str]] = []  # (rank, level, text)
    kind = ADDRESS_TYPES.get(f["address"].get("address_type") or "")
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
                    f"A {offender_kind(o)} ({rosh_text(o)}){extra} {how}."))
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
            out.append((1, "high", f"A {o['description']} ({rosh_text(o)}){extra} lives "
                                   f"{o['distance_m']} m {o['direction']}."))
        else:
            plain.append(o)
    if plain:
        nearest = min(plain, key=lambda o: o["distance_m"] or 0)
        out.append((2, "medium", plural_text(len(plain), "One other registered offender",
                                            "{n} other registered offenders")
                    + f" (RoSH low or medium) {'lives' if len(plain) == 1 else 'live'} nearby, "
                    f"the nearest {nearest['distance_m']} m {nearest['direction']}."))
    on_plan = children_on_plans(f)
    if on_plan:
        out.append((0, "critical", plural_text(len(on_plan),
                                              "A child on a child protection plan lives here.",
                                              "{n} children on child protection plans live "
                                              "here.")))
    if f["placed"]:
        ooa = sum(1 for c in f["placed"] if c.get("out_of_area"))
        text = plural_text(len(f["placed"]), "A looked-after child is placed here",
                          "{n} looked-after children are placed here")
        text += (f" ({ooa} by another local authority)." if ooa > 1 else
                 " (placed by another local authority)." if ooa == 1 else ".")
        out.append((1, "high", text))
        went = sum(1 for c in f["placed"] if c.get("missing"))
        if went:
            out.append((1, "high", plural_text(went, "A child placed here has",
                                              "{n} children placed here have")
                        + f" gone missing in the last {MISSING_DAYS} days."))
    children = [p for p in f["residents"] if p["child"] and not p["plans"]]
    if children:
        out.append((2, "info", plural_text(len(children), "A child lives here.",
                                          "{n} children live here.")))
    for o in f["orders"]:
        name = ORDER_TYPES.get(o.get("order_type") or "", "court order")
        forbids = (" that prohibits contact with children" if o.get("prohibits_child_contact")
                   else "")
        if o["relation"] in ("subject_lives_here", "both"):
            out.append((1, "high", f"Someone who lives here is subject to a {name}{forbids}."))
        if o["relation"] in ("protects_someone_here", "both"):
            out.append((1, "high", f"A {name} protects someone who lives here: its subject may "
                                   "be a danger to them."))
    for t in safety["types"]:
        if not t["count"]:
            continue
        last = as_date(t["last_date"])
        if t["incident_type"] == DA:
            grade = t["highest_grade"]
            out.append((1 if t["count"] >= 3 or grade == "high" else 2,
                        "high" if t["count"] >= 3 else "medium",
                        plural_text(t["count"], "One domestic abuse incident",
                                   "{n} domestic abuse incidents")
                        + " here in the last 12 months"
                        + (f" (highest grade {grade}" if grade else " (not graded")
                        + (f", last on {last:%-d %B %Y})." if last else ").")))
            continue
        level: Level = ("high" if t["incident_type"] in ("violence", "sexual_offence",
                                                         "cse_concern") else "medium")
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
