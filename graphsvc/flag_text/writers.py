"""One writer per rule: (flag, evidence, names) → (summary parts, [evidence parts])."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from graphsvc import model
from graphsvc.flag_text.names import Names, Parts, first_key, people, role_keys
from graphsvc.flag_text.wording import (
    ORDER_TYPES,
    RELATIONS,
    EntityRef,
    incident_words,
    join,
    long_date,
    place_words,
    plural,
    words,
)

log = logging.getLogger(__name__)

Flag = Mapping[str, Any]
Evidence = Mapping[str, Any]
Written = tuple[Parts, list[Parts]]
"""What a writer returns: the summary's parts, and one list of parts per line of evidence."""


def _orders_of(person: EntityRef, ev: Evidence, names: Names) -> list[Parts]:
    """One line per order the evidence names (by id): `X is under a <order>.`"""
    return [[person, " is under a ", names.ref(f"order_id={order}"), "."]
            for order in ev.get("orders") or []]


def _ooa(flag: Flag, ev: Evidence, names: Names) -> Written:
    child = people(flag, names, "child")[0]
    adult_role = "offender" if ev.get("high_risk_offender") else "order_subject"
    adult = (people(flag, names, adult_role) or people(flag, names, "offender",
                                                        "order_subject"))[0]
    who = (f", a registered offender with a {words(ev.get('rosh_level'))} risk of serious harm"
           if ev.get("high_risk_offender") else
           ", who is under an order that forbids contact with children")
    pairs = ev.get("pairs") or []
    first = pairs[0] if pairs else {}
    summary = [child, " is placed out of area"]
    if first.get("placement_address_id"):
        summary += [" at ", names.address(first["placement_address_id"])]
    summary += [f", {round(ev.get('distance_m') or 0):,} m from the home of ", adult, who, "."]
    lines: list[Parts] = []
    for pair in pairs:
        lines.append(["The ", names.ref(f"placement_id={pair['placement_id']}"), " at ",
                      names.address(pair["placement_address_id"]),
                      f" is {round(pair.get('distance_m') or 0):,} m from the home of ", adult,
                      " at ",
                      names.address(pair["home_address_id"]),
                      f" (the rule looks within {ev.get('radius_m', '?'):,} m)."])
    for plan in ev.get("plans") or []:
        lines.append([child, " is on a ", names.ref(f"plan_id={plan}"), "."])
    for incident in ev.get("missing_incidents") or []:
        lines.append([child, " went missing on ", names.on(incident), "."])
    lines += _orders_of(adult, ev, names)
    return summary, lines


def _household(flag: Flag, ev: Evidence, names: Names) -> Written:
    offender = people(flag, names, "offender")[0]
    child = people(flag, names, "child")[0]
    overlaps = ev.get("overlaps") or []
    first = overlaps[0] if overlaps else {}
    rosh = f" (risk of serious harm {words(ev.get('rosh_level'))})" if ev.get("rosh_level") else ""
    summary = [offender, f", a registered offender{rosh}, has a current "
               f"{words(first.get('offender_link')) or 'link'} at "]
    if first.get("same_address", True):
        summary += [names.address(first.get("child_address_id") or ""), ", where ", child,
                    " lives" if first.get("child_link") != "placement" else " is placed"]
    else:
        summary += [names.address(first.get("offender_address_id") or ""),
                    ", the same property (UPRN) as ", child, "'s ",
                    "placement" if first.get("child_link") == "placement" else "home", " at ",
                    names.address(first.get("child_address_id") or "")]
    extras = (["looked after"] if ev.get("placements") else []) + \
        (["on a protection plan"] if ev.get("plans") else [])
    summary += ([" (", child.text.split(" (")[0], " is ", " and ".join(extras), ")"]
                if extras else []) + ["."]
    lines: list[Parts] = []
    for o in overlaps:
        lines.append([offender, f": {words(o.get('offender_link'))} at ",
                      names.address(o["offender_address_id"]), "; ", child, ": ",
                      "placed" if o.get("child_link") == "placement" else "lives", " at ",
                      names.address(o["child_address_id"]),
                      " (the same address)." if o.get("same_address")
                      else f" (same UPRN {o.get('uprn') or ''})."])
    for placement in ev.get("placements") or []:
        lines.append([child, " is in a ", names.ref(f"placement_id={placement}"), "."])
    for plan in ev.get("plans") or []:
        lines.append([child, " is on a ", names.ref(f"plan_id={plan}"), "."])
    return summary, lines


def _care_setting(flag: Flag, ev: Evidence, names: Names) -> Written:
    person = people(flag, names, "offender", "order_subject")[0]
    place_key = first_key(flag, ("care_setting",), "address_id")
    place = names.ref(place_key) if place_key else "a care setting"
    links = [str(x).partition(":") for x in ev.get("links") or []]
    lives = any(how == "lives_at" for how, _, _ in links)
    who = ", a registered offender," if ev.get("registered") else \
        ", who is subject to an order,"
    kind = place_words(ev.get("address_type")) \
        or "care placement address"
    summary = [person, who, " lives at " if lives else " is associated with ", place,
               f" ({kind})."]
    lines: list[Parts] = []
    for how, _, detail in links:
        if how == "lives_at":
            lines.append([person, f" lives there ({words(detail)})."])
        else:
            lines.append([person, f" is linked to it by intelligence ({words(detail)})."])
    if ev.get("rosh_level"):
        lines.append([person, f" has a {words(ev['rosh_level'])} risk of serious harm."])
    lines += _orders_of(person, ev, names)
    return summary, lines


def _order_breach(flag: Flag, ev: Evidence, names: Names) -> Written:
    subject = people(flag, names, "order_subject")[0]
    child = people(flag, names, "child")[0]
    orders = ev.get("orders") or []
    contacts = ev["contacts"]
    kind = ORDER_TYPES.get(orders[0].get("order_type"), "an order") if orders else "an order"
    summary = [subject, " was in contact with ", child, f" ({plural(len(contacts), 'contact')}) "
               f"while a {kind} forbade it."]
    lines: list[Parts] = []
    for order in orders:
        until = f" to {long_date(order.get('end_date'))}" if order.get("end_date") else \
            ", with no end date"
        lines.append([subject, " is under a ",
                      ORDER_TYPES.get(order.get("order_type"), words(order.get("order_type"))),
                      f" from {long_date(order.get('start_date'))}{until}."])
    for contact in sorted(contacts, key=lambda c: str(c.get("on") or "")):
        if contact.get("via") == "incident":
            rec = names.record(f"incident_id={contact['ref']}")
            what = incident_words(rec.get("incident_type"))
            lines.append(["On ", names.on(contact["ref"]), ": ", subject, " and ", child,
                          f" were both in an incident ({what})."])
        else:
            relation = RELATIONS.get(contact.get("ref"), f"{words(contact.get('ref'))} of")
            lines.append([f"On {long_date(contact.get('on'))}: intelligence records ", subject,
                          f" as {relation} ", child, "."])
    return summary, lines


def _repeat_missing(flag: Flag, ev: Evidence, names: Names) -> Written:
    child = people(flag, names, "child")[0]
    episodes = sorted(ev["episodes"], key=lambda e: str(e.get("occurred_on")))
    summary = [child, f" went missing {plural(len(episodes), 'time')} in "
               f"{ev.get('window_days', '?')} days"]
    if ev.get("out_of_area_placements"):
        summary.append(", placed out of area")
    if ev.get("cse_concerns"):
        summary.append(", with a CSE concern")
    summary.append(".")
    lines: list[Parts] = [["Went missing on ", names.on(e["incident_id"]), "."]
                          for e in episodes]
    for cse in ev.get("cse_concerns") or []:
        lines.append(["CSE concern recorded on ", names.on(cse), "."])
    for placement in ev.get("out_of_area_placements") or []:
        lines.append([child, " is placed out of area: ",
                      names.ref(f"placement_id={placement}"), "."])
    return summary, lines


def _via_words(via: str, names: Names) -> Parts:
    kind, _, ref = via.partition(":")
    if kind == "association":
        return [f"recorded by intelligence as {words(ref)}"]
    if kind == "found_at":
        return ["found there after going missing on ", names.on(ref)]
    if kind == "found_with":
        return ["found with them after going missing on ", names.on(ref)]
    rec = names.record(f"incident_id={ref}")
    what = incident_words(rec.get("incident_type")) or "incident"
    return [f"named as {words(kind)} in the {what} of ", names.on(ref)]


def _shared_link(flag: Flag, ev: Evidence, names: Names) -> Written:
    hub = ev["hub"]  # evidence without its hub is described generically
    hub_ref = names.ref(f"{hub.get('label_key')}={hub.get('key')}")
    children = ev.get("children") or []
    what = {"adult": "the same adult, ", "vehicle": "the same ", "phone": "the same ",
            "found_at_address": "the same address, "}.get(hub.get("role"), "the same ")
    summary = [f"{plural(len(children), 'child', 'children')} who went missing or gave a CSE "
               f"concern in {ev.get('window_days', '?')} days are linked to {what}", hub_ref, "."]
    lines: list[Parts] = []
    for child in sorted(children, key=lambda c: str(c.get("child_id"))):
        count = plural(child.get("concern_count") or 0, "missing episode or CSE concern",
                       "missing episodes or CSE concerns")
        line: Parts = [names.person(child["child_id"]), f": {count}; "]
        vias = [_via_words(str(v), names) for v in child.get("via") or []]
        for i, via in enumerate(vias):
            line += ([", "] if i else []) + via
        lines.append(line + ["."])
    return summary, lines


def _unnotified(flag: Flag, ev: Evidence, names: Names) -> Written:
    child = people(flag, names, "child")[0]
    place_key = first_key(flag, ("care_setting", "placement_address"), "address_id")
    place = names.ref(place_key) if place_key else "a care setting"
    lines: list[Parts] = []
    summary: Parts = []
    placement = ev.get("placement")
    if placement:
        told = placement.get("police_notified_date")
        summary = [child, "'s placement at ", place,
                   f" began on {long_date(placement.get('start_date'))}; the police "]
        summary.append(f"were told on {long_date(told)}, {placement.get('days_to_notify')} days "
                       "later." if told else "have not been told of it.")
        lines.append(["The placement: ",
                      names.ref(f"placement_id={placement.get('placement_id')}"),
                      f"; the police should be told within {placement.get('notice_days', 14)} "
                      "days."])
    incidents = ev.get("incidents") or []
    if incidents:
        kind = place_words(ev.get("address_type")) \
            or "care setting"
        summary = summary + ([" "] if summary else []) + \
            [child, " was in ", plural(len(incidents), "incident"), " at ", place,
             f" ({kind}), where no placement of the child is known."]
        for incident in sorted(incidents, key=lambda i: str(i.get("occurred_on"))):
            rec = names.record(f"incident_id={incident['incident_id']}")
            what = incident_words(rec.get("incident_type")) or "incident"
            lines.append([names.on(incident["incident_id"]),
                          f": {what}, the child as {words(incident.get('role'))}."])
    return summary, lines


def _domestic(flag: Flag, ev: Evidence, names: Names) -> Written:
    place_key = first_key(flag, ("address",), "address_id")
    place = names.ref(place_key) if place_key else "an address"
    incidents = sorted(ev["incidents"], key=lambda i: str(i.get("occurred_on")))
    children = people(flag, names, "child")
    summary = [plural(len(incidents), "domestic abuse incident"),
               f" in {ev.get('window_days', '?')} days at ", place, ", with "]
    summary += join(children) if children else ["a child"]
    summary += [" present or living there; none was graded high, so only the cumulative "
                "pattern shows the risk."]
    lines: list[Parts] = []
    for incident in incidents:
        rec = names.record(f"incident_id={incident['incident_id']}")
        grade = words(incident.get("risk_grade")) or "not graded"
        dash = f", DASH {rec['dash_score']}" if rec.get("dash_score") is not None else ""
        line: Parts = [names.on(incident["incident_id"]),
                       f": domestic abuse, graded {grade}{dash}"]
        present = [names.person(p) for p in incident.get("children_present") or []]
        if present:
            line += ["; present: "] + join(present)
        lines.append(line + ["."])
    living = [names.person(p) for p in ev.get("children_living") or []]
    if living:
        lines.append(join(living) + [" live" if len(living) > 1 else " lives", " there."])
    return summary, lines


def _overdue_interview(flag: Flag, ev: Evidence, names: Names) -> Written:
    child = people(flag, names, "child")[0]
    incident = names.incident(ev["incident_id"])
    summary = [child, f" came back from a missing episode on {long_date(ev.get('returned_at'))}"
               f" and has had no return home interview (due within "
               f"{ev.get('overdue_hours', 72)} hours)."]
    lines: list[Parts] = [[f"Went missing on {long_date(ev.get('occurred_at'))}", *(
        [" from "] + join([names.address(a) for a in ev.get("missing_from") or []])
        if ev.get("missing_from") else []), " (", incident, ")."],
        [f"Returned on {long_date(ev.get('returned_at'))}."]]
    return summary, lines


def _long_investigation(flag: Flag, ev: Evidence, names: Names) -> Written:
    victims = [names.person(p) for p in ev.get("victims") or []]
    suspects = [names.person(p) for p in ev.get("suspects") or []]
    first = ev["first_reported"]
    days = ""
    if first and ev.get("as_of"):
        try:
            span = date.fromisoformat(str(ev["as_of"])[:10]) - date.fromisoformat(str(first)[:10])
            days = f" ({span.days} days)"
        except ValueError:
            days = ""
    crime = f" (crime {ev['crime_ref']})" if ev.get("crime_ref") else ""
    summary = [f"The {words(ev.get('incident_type'))} investigation{crime} with child victim"
               f"{'s' if len(victims) > 1 else ''} "] + (join(victims) or ["unknown"]) + \
        [f" has been open since {long_date(first)}{days}."]
    lines: list[Parts] = [["Victim: ", v, "."] for v in victims]
    lines += [["Suspect: ", s, "."] for s in suspects]
    for key in role_keys(flag, "address"):
        lines.append(["Where: ", names.ref(key), "."])
    return summary, lines


def generic(flag: Flag, ev: Evidence, names: Names) -> Written:
    """Any other rule: its stored sentence, and its evidence as label: value lines where keys
    that name records become names."""
    summary: Parts = [flag.get("summary") or model.rule_title(flag.get("rule_id"),
                                                              "A flag was raised.")]
    lines: list[Parts] = []
    for name, value in ev.items():
        if name == "as_of":
            continue
        label = words(str(name)).capitalize()
        lines.append([f"{label}: ", json.dumps(value, default=str)
                      if isinstance(value, (dict, list)) else str(value), "."])
    return summary, lines


STAY_WORDS = {"home": "a home", "temporary": "a temporary stay",
              "notified_stay": "a notified stay", "household_contact": "household contact"}
SOURCE_WORDS = {"visor": "ViSOR", "rms": "the records system (RMS)",
                "childrens_services": "children's services"}


def _unnotified_address(flag: Flag, ev: Evidence, names: Names) -> Written:
    stays = ev.get("stays") or []
    others = {f"person_id={s.get('record')}" for s in stays}
    register = [k for k in role_keys(flag, "offender")
                if k.startswith("person_id=") and k not in others]
    offender = names.ref(register[0]) if register else people(flag, names, "offender")[0]
    place_key = first_key(flag, ("unnotified_address",), "address_id")
    place = names.ref(place_key) if place_key else "an address"
    rosh = f" (risk of serious harm {words(ev.get('rosh_level'))})" if ev.get("rosh_level") else ""
    children = people(flag, names, "child")
    summary: Parts = [offender, f", a registered offender{rosh}, is recorded as living or "
                      "staying at ", place, ", an address the sex offender register does not "
                      "hold for them"]
    summary += ([", where "] + join(children) + [" lives." if len(children) == 1 else " live."]
                if children else ["."])
    lines: list[Parts] = []
    for stay in sorted(stays, key=lambda s: str(s.get("start_date") or "")):
        since = (f" since {long_date(stay.get('start_date'))}" if stay.get("start_date")
                 else " (no start date recorded)")
        lines.append([SOURCE_WORDS.get(stay.get("source"), words(stay.get("source")) or
                                       "Another system").capitalize()
                      if stay.get("source") != "visor" else "ViSOR",
                      " records ", names.ref(f"person_id={stay.get('record')}"),
                      ", linked to the register's record, with ",
                      STAY_WORDS.get(stay.get("residence_type") or "home", "a stay"),
                      f" there{since}."])
    held = ev.get("register_addresses") or []
    lines.append(["The register holds "] + (join([names.address(a) for a in held])
                                            if held else ["no current address"]) + [
        f"; a change of home address must be notified within {ev.get('notify_days', 3)} days."])
    return summary, lines


WRITERS: dict[str, Callable[[Flag, Evidence, Names], Written]] = {
    "offender_unnotified_address": _unnotified_address,
    "ooa_child_near_high_risk_offender": _ooa,
    "offender_household_with_child": _household,
    "offender_linked_to_care_setting": _care_setting,
    "order_breach": _order_breach,
    "repeat_missing_child": _repeat_missing,
    "shared_exploitation_link": _shared_link,
    "unnotified_placement": _unnotified,
    "repeat_domestic_abuse_with_child": _domestic,
    "overdue_return_interview": _overdue_interview,
    "long_running_child_abuse_investigation": _long_investigation,
}

