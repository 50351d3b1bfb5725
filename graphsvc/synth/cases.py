"""The planted cases of each rule: positives on one side of every threshold, near misses on the
other, and each escalation of severity. The offender-centred rules' builders are here; those
about children's episodes and incidents are in `child_cases`. Each builder returns how many
scenarios it planted; _PLAN reserves their sites in order (out-of-area placements get quiet
sites).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from graphsvc.dates import add_years
from graphsvc.geo import geodesic_m
from graphsvc.synth import child_cases
from graphsvc.synth import places as geo
from graphsvc.synth.scenarios import Planted, Planter


# How many sites each rule needs, and which of them host out-of-area placements (quiet).
def site_plan() -> tuple[int, set[int]]:
    """(number of sites, indexes of quiet sites) in the order plant_all uses them."""
    quiet: set[int] = set()
    index = 0
    for _, count, quiet_count in _PLAN:
        quiet.update(range(index, index + quiet_count))
        index += count
    return index, quiet


def plant_all(planter: Planter) -> Planted:
    """Every rule's scenarios, in _PLAN's order (which decides each one's site)."""
    for rule, count, _ in _PLAN:
        made = _BUILDERS[rule](planter)
        if made != count:  # a builder and _PLAN disagree: sites would shift between rules
            raise RuntimeError(f"{rule} planted {made} scenarios but _PLAN reserves {count}")
    return planter.out


# ---- the scenarios, one builder per rule -------------------------------------------------------

def _ooa(p: Planter) -> int:
    rule = "ooa_child_near_high_risk_offender"
    cases: list[tuple[int, str, dict[str, Any], str | None, str]] = [
        # (distance, danger, extra, severity or None for near miss, text)
        (999, "very_high", {}, "high",
         "out-of-area child placed 999 m from a very-high-risk offender's home"),
        (600, "high", {"plan": True}, "critical",
         "child on a protection plan placed 600 m from a high-risk offender"),
        (850, "very_high", {"missing": 89}, "critical",
         "child who went missing 89 days ago placed 850 m from a very-high-risk offender"),
        (850, "very_high", {"missing": 91}, "high",
         "child whose only missing episode was 91 days ago (not within 90): high, not critical"),
        (400, "shpo", {}, "high",
         "child placed 400 m from the home of a man under an SHPO prohibiting child contact"),
        (500, "high", {"plan_ended": 1}, "high",
         "child whose protection plan ended yesterday: high, not critical"),
        (700, "high", {"born": "turns_18_tomorrow"}, "high",
         "child who turns 18 tomorrow (still a child) placed 700 m from a high-risk offender"),
        (1001, "very_high", {}, None, "same as 999 m, but 1,001 m away"),
        (300, "medium", {}, None, "offender with RoSH medium (not high) 300 m away"),
        (300, "high", {"registration_ended": 1}, None,
         "high-risk offender whose registration ended yesterday, 300 m away"),
        (300, "shpo", {"order_ended": 1}, None,
         "SHPO prohibiting child contact that ended yesterday, subject 300 m away"),
        (300, "dvpo", {}, None, "DVPO subject (order does not prohibit child contact) 300 m away"),
        (300, "very_high", {"in_area": True}, None,
         "placement by the county's own authority (not out of area), 300 m away"),
        (300, "very_high", {"placement_ended": 1}, None,
         "placement that ended yesterday, 300 m from a very-high-risk offender"),
        (300, "very_high", {"born": "turned_18_yesterday"}, None,
         "young person who turned 18 yesterday placed 300 m from a very-high-risk offender"),
        (300, "very_high", {"moved_out": 1}, None,
         "very-high-risk offender whose home there ended yesterday (moved away)"),
    ]
    for distance, danger, extra, severity, text in cases:
        s = p.scenario(rule)
        born = {"turns_18_tomorrow": add_years(s.as_of + timedelta(days=1), -18),
                "turned_18_yesterday": add_years(s.as_of - timedelta(days=1), -18)
                }.get(extra.get("born", ""))
        child = s.person("CHILD", years=15, born=born, male=False)
        home, point = s.address("PLACE", "childrens_home", east_m=-150)
        s.placement(child, home, out_of_area=not extra.get("in_area"),
                    ended=extra.get("placement_ended"))
        adult = s.person("OFFENDER" if danger in ("medium", "high", "very_high") else "SUBJECT",
                         years=47)
        _, adult_point = s.address("ADULT-HOME", point=geo.point_at(*point, distance))
        s.lives(adult, f"A-{s.tag}-ADULT-HOME", ended=extra.get("moved_out"))
        if danger in ("medium", "high", "very_high"):
            s.offender(adult, danger, until=extra.get("registration_ended"))
        else:
            s.order(adult, danger, end=extra.get("order_ended"), prohibits=danger == "shpo")
        if extra.get("plan") or extra.get("plan_ended"):
            s.plan(child, ended=extra.get("plan_ended"))
        if extra.get("missing"):
            s.missing(child, extra["missing"], home)
        entities = {"person_id": [child, adult]}
        measured = round(geodesic_m(*point, *adult_point), 2)
        if severity:
            s.expect(severity, text, entities, {"distance_m": measured})
        else:
            s.near_miss(text, entities)
    return len(cases)


def _household(p: Planter) -> int:
    rule = "offender_household_with_child"
    made = 0

    def case(text: str, severity: str | None, *, stay: str = "home", plan: int | None = -1,
             placed: bool = False, born: date | None = None, until: int | None = None,
             offender_ended: int | None = None, child_ended: int | None = None,
             same_uprn: bool = False) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        offender = s.person("OFFENDER", years=38)
        s.offender(offender, "medium", until=until)
        child = s.person("CHILD", years=9, born=born, male=False)
        home, point = s.address("HOME", "foster_home" if placed else "private",
                                grid=not placed)
        s.lives(offender, home, stay, since=300, ended=offender_ended)
        if placed:
            s.placement(child, home, out_of_area=False, kind="foster")
        elif same_uprn:
            uprn = next(r["uprn"] for r in s.out.rows["addresses"] if r["address_id"] == home)
            twin, _ = s.address("HOME-DUP", point=point, uprn=uprn)
            s.lives(child, twin, since=900)
        else:
            s.lives(child, home, since=900, ended=child_ended)
            if child_ended is not None:
                new_home, _ = s.address("NEW-HOME", north_m=600)
                s.lives(child, new_home, since=child_ended - 1)
        if plan is not None and plan >= 0:
            s.plan(child, ended=plan or None)
        entities = {"person_id": [offender, child]}
        if severity:
            s.expect(severity, text, entities)
        else:
            s.near_miss(text, entities)

    case("registered offender's home is a 9-year-old's home", "high")
    case("offender's notified stay at the home of a child on a protection plan", "critical",
         stay="notified_stay", plan=0)
    case("offender is a household contact at a foster home where a looked-after child is placed",
         "critical", stay="household_contact", placed=True)
    case("offender and child at two address records with the same UPRN", "high", same_uprn=True)
    case("child's protection plan ended yesterday: high, not critical", "high", plan=1)
    case("child who turns 18 tomorrow (still a child) lives with the offender", "high",
         born=add_years(p.as_of + timedelta(days=1), -18))
    case("young person who turned 18 yesterday lives with the offender", None,
         born=add_years(p.as_of - timedelta(days=1), -18))
    case("offender whose registration ended yesterday lives with a child", None, until=1)
    case("offender's home there ended yesterday", None, offender_ended=1)
    case("child moved out yesterday (home there ended), now lives 600 m away", None,
         child_ended=1)
    return made


def _care(p: Planter) -> int:
    rule = "offender_linked_to_care_setting"
    made = 0

    def case(text: str, severity: str | None, kind: str, link: str, *, order: str | None = None,
             until: int | None = None, order_ended: int | None = None,
             home_ended: int | None = None) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        adult = s.person("SUBJECT" if order else "OFFENDER", years=29)
        if order:
            s.order(adult, order, prohibits=order in ("shpo", "sro"), end=order_ended)
        else:
            s.offender(adult, "low", until=until)
        setting, _ = s.address("SETTING", kind)
        if link == "home":
            s.lives(adult, setting, since=200, ended=home_ended)
        else:
            s.associate(adult, "address", setting, "frequents")
        entities = {"person_id": [adult], "address_id": [setting]}
        if severity:
            s.expect(severity, text, entities)
        else:
            s.near_miss(text, entities)

    case("registered offender lives at supported accommodation", "high",
         "supported_accommodation", "home")
    case("registered offender frequents a children's home", "high", "childrens_home",
         "associate")
    case("man under an SHPO frequents a foster home", "high", "foster_home", "associate",
         order="shpo")
    case("registered offender lives at a secure children's home address", "high", "secure_home",
         "home")
    case("registered offender frequents a school (not a care setting)", None, "school",
         "associate")
    case("offender whose registration ended yesterday lives at supported accommodation", None,
         "supported_accommodation", "home", until=1)
    case("SHPO that ended yesterday; its subject frequents a children's home", None,
         "childrens_home", "associate", order="shpo", order_ended=1)
    case("offender who lived at a children's home until yesterday", None, "childrens_home",
         "home", home_ended=1)
    return made


def _breach(p: Planter) -> int:
    rule = "order_breach"
    made = 0

    def case(text: str, severity: str | None, kind: str, *, link: str = "incident",
             start: int = 365, end: int | None = None, when: int = 20,
             other_child: bool = False, child_born: date | None = None,
             first: int = 30, last: int = 5) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        subject = s.person("SUBJECT", years=44)
        child = s.person("CHILD", years=13, born=child_born, male=False)
        named = s.person("NAMED-CHILD", years=12) if other_child else child
        s.order(subject, kind, start=start, end=end, protects=[named] if kind == "cawn" else None,
                prohibits=kind in ("shpo", "sro"))
        home, _ = s.address("CHILD-HOME", grid=True)
        s.lives(child, home, since=1500)
        if link == "incident":
            s.incident("concern_for_welfare", s.at(24 * when - 15), home,
                       [(subject, "suspect"), (child, "victim")])
        elif link == "found_with":
            s.missing(child, when, home, found_with=subject)
        else:
            s.associate(subject, "person", child, "seen_with", first=first, last=last)
        entities = {"person_id": [subject, child]}
        if severity:
            s.expect(severity, text, entities)
        else:
            s.near_miss(text, entities)

    case("SHPO subject (no child contact) in an incident with a 13-year-old, 20 days ago",
         "critical", "shpo")
    case("CAWN subject found with the named child when she went missing 10 days ago",
         "critical", "cawn", link="found_with", when=10)
    case("SRO subject (no child contact) seen with a child after the order started",
         "critical", "sro", link="association", start=100)
    case("SHPO that ended the day before the incident", None, "shpo", end=11, when=10)
    case("incident the day before the SHPO started", None, "shpo", start=20, when=21)
    case("CAWN subject in an incident with a child who is not the named child", None, "cawn",
         other_child=True)
    case("DVPO (no child-contact prohibition) subject in an incident with a child", None, "dvpo")
    case("SHPO subject in an incident with someone who turned 18 the day before it", None,
         "shpo", when=5, child_born=add_years(p.as_of - timedelta(days=6), -18))
    case("SRO subject seen with a child only before the order started", None, "sro",
         link="association", start=30, first=90, last=40)
    return made


_BUILDERS = {
    "ooa_child_near_high_risk_offender": _ooa,
    "offender_household_with_child": _household,
    "offender_linked_to_care_setting": _care,
    "order_breach": _breach,
    "repeat_missing_child": child_cases.plant_repeat_missing,
    "shared_exploitation_link": child_cases.plant_shared,
    "unnotified_placement": child_cases.plant_unnotified,
    "repeat_domestic_abuse_with_child": child_cases.plant_domestic,
    "overdue_return_interview": child_cases.plant_return_interview,
    "long_running_child_abuse_investigation": child_cases.plant_long_running,
}
# (rule, scenarios, how many of the first scenarios host out-of-area placements)
_PLAN = [
    ("ooa_child_near_high_risk_offender", 16, 16),
    ("repeat_missing_child", 7, 2),
    ("offender_household_with_child", 10, 0),
    ("offender_linked_to_care_setting", 8, 0),
    ("order_breach", 9, 0),
    ("shared_exploitation_link", 8, 0),
    ("unnotified_placement", 9, 0),
    ("repeat_domestic_abuse_with_child", 6, 0),
    ("overdue_return_interview", 5, 0),
    ("long_running_child_abuse_investigation", 9, 0),
]
