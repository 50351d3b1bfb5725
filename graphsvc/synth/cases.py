"""The planted cases of each rule: positives on one side of every threshold, near misses on the
other, and each escalation of severity. Each builder returns how many scenarios it planted;
_PLAN reserves their sites in order (out-of-area placements get quiet sites).
"""

from __future__ import annotations

from datetime import date, timedelta

from graphsvc.dates import add_years
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
    cases = [
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
        measured = round(geo.geodesic_m(*point, *adult_point), 2)
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


def _repeat_missing(p: Planter) -> int:
    rule = "repeat_missing_child"
    made = 0

    def case(text: str, severity: str | None, days: list[int], *, placed: str | None = None,
             cse: bool = False, born: date | None = None) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        child = s.person("CHILD", years=14, born=born, male=False)
        if placed:
            home, _ = s.address("PLACE", "childrens_home")
            s.placement(child, home, out_of_area=placed == "ooa", start=400)
        else:
            home, _ = s.address("HOME", grid=True)
            s.lives(child, home, since=2000)
        for days_ago in days:
            s.missing(child, days_ago, home)
        if cse:
            s.incident("cse_concern", s.at(24 * days[-1] - 8), home, [(child, "victim")],
                       status="closed")
        entities = {"person_id": [child]}
        evidence = {"episodes_in_90_days": sum(1 for d in days if d <= 90)}
        if severity:
            s.expect(severity, text, entities, evidence)
        else:
            s.near_miss(text, entities)

    case("three missing episodes 89, 50 and 10 days ago, living at home", "medium", [89, 50, 10])
    case("three episodes, placed out of area in a children's home", "high", [70, 40, 12],
         placed="ooa")
    case("three episodes, a CSE concern recorded on the day of one", "high", [80, 45, 20],
         cse=True)
    case("four episodes, placed by the county's own authority (not out of area)", "medium",
         [85, 60, 33, 8], placed="in_area")
    case("two missing episodes in 90 days (60 and 20 days ago)", None, [60, 20])
    case("three episodes but the oldest was 91 days ago", None, [91, 50, 10])
    case("three episodes of a young person who turned 18 yesterday", None, [80, 50, 10],
         born=add_years(p.as_of - timedelta(days=1), -18))
    return made


def _shared(p: Planter) -> int:
    rule = "shared_exploitation_link"
    made = 0

    def case(text: str, severity: str | None, link: str, ages: list[int | str],
             episodes: list[int], *, cse: bool = False, listed: int | None = None) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        kids = []
        for n, age in enumerate(ages, start=1):
            born = add_years(s.as_of - timedelta(days=1), -18) if age == "18y" else None
            kids.append(s.person(f"CHILD{n}", years=age if isinstance(age, int) else None,
                                 born=born, male=n % 2 == 0))
        homes = []
        for n, kid in enumerate(kids, start=1):
            home, _ = s.address(f"HOME{n}", grid=True, north_m=150 * n)
            s.lives(kid, home, since=1200)
            homes.append(home)
        hub = {}
        if link in ("adult", "found_with"):
            hub = {"person_id": [s.person("ADULT", years=31)]}
        elif link == "phone":
            hub = {"number": [f"07700900{100 + made:03d}"]}  # Ofcom's drama range
        elif link == "vehicle":
            hub = {"vrm": [f"ZZ{20 + made}SCN"]}
        elif link == "found_at":
            hub = {"address_id": [s.address("FOUND", "hotel", east_m=400)[0]]}
        for n, (kid, home, days_ago) in enumerate(zip(kids, homes, episodes, strict=True)):
            if cse:
                s.incident("cse_concern", s.at(24 * days_ago - 20), home, [(kid, "victim")],
                           status="closed")
            else:
                s.missing(kid, days_ago, home,
                          found_at=hub["address_id"][0] if link == "found_at" else None,
                          found_with=hub["person_id"][0] if link == "found_with" else None)
            if link == "adult":  # both directions of ASSOCIATED_WITH, as intelligence records it
                if n % 2:
                    s.associate(hub["person_id"][0], "person", kid, "associate")
                else:
                    s.associate(kid, "person", hub["person_id"][0], "seen_with")
            elif link == "phone":
                s.associate(kid, "phone", hub["number"][0], "associate")
            elif link == "vehicle":
                s.associate(kid, "vehicle", hub["vrm"][0], "seen_with")
        entities = {"person_id": kids[:listed] if listed else list(kids)}
        for key, values in hub.items():
            entities.setdefault(key, []).extend(values)
        if severity:
            s.expect(severity, text, entities, {"children": len(kids)})
        else:
            s.near_miss(text, entities)

    case("two missing children both associated with the same adult", "high", "adult",
         [14, 15], [30, 100])
    case("three children with CSE concerns in contact with the same phone", "critical", "phone",
         [13, 14, 15], [20, 60, 170], cse=True)
    case("two missing children found at the same hotel", "high", "found_at", [15, 16], [12, 40])
    case("two missing children seen in the same vehicle", "high", "vehicle", [14, 16], [25, 90])
    case("three missing children each found with the same adult", "critical", "found_with",
         [13, 14, 15], [15, 45, 150])
    case("one child missing 30 days ago, the other only 181 days ago, same adult", None, "adult",
         [14, 15], [30, 181], listed=1)
    case("second 'child' turned 18 yesterday, both missing recently, same adult", None, "adult",
         [14, "18y"], [30, 40], listed=1)
    case("two children found at the same address, one of them 181 days ago", None, "found_at",
         [15, 16], [20, 181], listed=1)
    return made


def _unnotified(p: Planter) -> int:
    rule = "unnotified_placement"
    made = 0

    def case(text: str, severity: str | None, kind: str, *, delay: int | None = None,
             start: int = 60, setting: str = "childrens_home", placed_there: bool = False
             ) -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        child = s.person("CHILD", years=15, male=made % 2 == 0)
        where, _ = s.address("SETTING", setting)
        if kind == "late":
            plid = s.placement(child, where, out_of_area=False, start=start,
                               notified_after=delay, kind="foster")
            entities = {"person_id": [child], "placement_id": [plid]}
        else:
            home, _ = s.address("HOME", grid=True, north_m=500)
            s.lives(child, home, since=1000)
            if placed_there:
                s.placement(child, where, out_of_area=False, start=300, notified_after=1)
            if kind == "missing":
                s.missing(child, 15, where)
            else:
                s.incident("concern_for_welfare", s.at(24 * 12), where, [(child, "subject")])
            entities = {"person_id": [child], "address_id": [where]}
        if severity:
            s.expect(severity, text, entities,
                     {"notified_after_days": delay} if kind == "late" else {})
        else:
            s.near_miss(text, entities)

    case("child reported missing from a children's home where no placement of hers is known",
         "medium", "missing")
    case("child in an incident at a foster home where no placement of his is known", "medium",
         "incident", setting="foster_home")
    case("placement the force was told of 15 days after it began", "medium", "late", delay=15,
         setting="foster_home")
    case("placement begun 30 days ago that the force has never been told of", "medium", "late",
         delay=None, start=30, setting="foster_home")
    case("placement the force was told of 13 days after it began", None, "late", delay=13,
         setting="foster_home")
    case("placement the force was told of 14 days after it began (not more than 14)", None,
         "late", delay=14, setting="foster_home")
    case("placement begun 10 days ago, not yet notified (14 days not yet passed)", None, "late",
         delay=None, start=10, setting="foster_home")
    case("child missing from the children's home where her placement is known", None,
         "missing", placed_there=True)
    case("child missing from a private address (not a care setting)", None, "missing",
         setting="private")
    return made


def _domestic(p: Planter) -> int:
    rule = "repeat_domestic_abuse_with_child"
    made = 0

    def case(text: str, severity: str | None, days: list[int], grades: list[str], *,
             child: str = "lives") -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        victim = s.person("VICTIM", years=33, male=False)
        suspect = s.person("SUSPECT", years=36)
        home, _ = s.address("HOME", grid=True)
        s.lives(victim, home, since=2000)
        s.lives(suspect, home, since=2000)
        kid = None
        if child != "none":
            kid = s.person("CHILD", years=8, male=False)
            if child == "lives":
                s.lives(kid, home, since=2000)
            else:
                elsewhere, _ = s.address("CHILD-HOME", north_m=700)
                s.lives(kid, elsewhere, since=2000)
        for days_ago, grade in zip(days, grades, strict=True):
            people = [(victim, "victim"), (suspect, "suspect")]
            if child == "present" and kid:
                people.append((kid, "child_present"))
            score = {"standard": 6, "medium": 11, "high": 17}[grade]
            s.incident("domestic_abuse", s.at(24 * days_ago - 21), home, people,
                       risk_grade=grade, dash_score=str(score))
        entities = {"address_id": [home]}
        if severity:
            s.expect(severity, text, entities, {"incidents_in_365_days": sum(
                1 for d in days if d <= 365)})
        else:
            s.near_miss(text, entities)

    case("three domestic incidents in a year, each graded standard or medium, child lives there",
         "high", [300, 150, 20], ["standard", "medium", "standard"])
    case("seven call-outs in twelve months, each graded low, child present at each", "high",
         [350, 290, 230, 170, 110, 60, 15], ["standard"] * 7, child="present")
    case("two domestic incidents in 365 days (the third 400 days ago)", None, [400, 200, 20],
         ["standard"] * 3)
    case("three incidents in a year but one graded high", None, [300, 150, 20],
         ["standard", "high", "medium"])
    case("three incidents in a year, no child present or living there", None, [300, 150, 20],
         ["standard"] * 3, child="none")
    case("three incidents but the oldest 366 days ago", None, [366, 150, 20], ["standard"] * 3)
    return made


def _return_interview(p: Planter) -> int:
    rule = "overdue_return_interview"
    made = 0

    def case(text: str, severity: str | None, *, back_hours: float | None,
             interview_after: float | None = None) -> None:
        """`back_hours` before the start of as_of for a positive, before its last second for
        a near miss: each holds at whatever moment of the as_of day the rule looks at."""
        nonlocal made
        made += 1
        s = p.scenario(rule)
        child = s.person("CHILD", years=15, male=made % 2 == 1)
        home, _ = s.address("HOME", grid=True)
        s.lives(child, home, since=1500)
        before = s.at if severity else s.before_end
        went = before((back_hours or 30) + 10)
        extra = {}
        if back_hours is not None:
            extra["returned_at"] = before(back_hours)
            if interview_after is not None:
                extra["return_interview_at"] = before(back_hours - interview_after)
        iid = s.incident("missing", went, home, [(child, "missing_person")],
                         risk_grade="medium", **extra)
        entities = {"person_id": [child], "incident_id": [iid]}
        if severity:
            s.expect(severity, text, entities, {"hours_since_return": back_hours})
        else:
            s.near_miss(text, entities)

    case("returned 73 hours before the as_of day began, no return home interview", "medium",
         back_hours=73)
    case("returned 10 days ago, no return home interview", "medium", back_hours=240)
    case("returned 71 hours before the end of the as_of day, no interview yet", None,
         back_hours=71)
    case("returned 10 days ago, interviewed 48 hours after", None, back_hours=240,
         interview_after=48)
    case("still missing (not returned), so the episode has not ended", None, back_hours=None)
    return made


def _long_running(p: Planter) -> int:
    rule = "long_running_child_abuse_investigation"
    made = 0

    def case(text: str, severity: str | None, kind: str, days: int, *, status: str = "open",
             victim_age: int = 12, child_role: str = "victim") -> None:
        nonlocal made
        made += 1
        s = p.scenario(rule)
        child = s.person("CHILD", years=victim_age, male=made % 2 == 0)
        suspect = s.person("SUSPECT", years=40)
        people = [(child, child_role), (suspect, "suspect")]
        if child_role != "victim":
            people.append((s.person("VICTIM", years=34, male=False), "victim"))
        home, _ = s.address("HOME", grid=True)
        s.lives(child, home, since=3000)
        iid = s.incident(kind, s.at(24 * days - 9), home, people, status=status,
                         crime_ref=f"37/{90000 + made:05d}/SC")
        entities = {"incident_id": [iid], "person_id": [child]}
        if severity:
            s.expect(severity, text, entities, {"days_open": days})
        else:
            s.near_miss(text, entities)

    case("open sexual offence against a 12-year-old, first reported 91 days ago", "medium",
         "sexual_offence", 91)
    case("open child neglect crime, 200 days", "medium", "child_neglect", 200)
    case("open CSE crime, 120 days", "medium", "cse_concern", 120, victim_age=14)
    case("open violence against a child, 95 days", "medium", "violence", 95, victim_age=9)
    case("open sexual offence against a child, first reported 89 days ago", None,
         "sexual_offence", 89)
    case("closed sexual offence against a child, 200 days", None, "sexual_offence", 200,
         status="closed")
    case("open sexual offence with an adult victim, 200 days", None, "sexual_offence", 200,
         victim_age=30)
    case("open crime of type 'other' with a child victim, 200 days", None, "other", 200)
    case("open sexual offence, 200 days, where the child was only a witness", None,
         "sexual_offence", 200, child_role="witness")
    return made


_BUILDERS = {
    "ooa_child_near_high_risk_offender": _ooa,
    "offender_household_with_child": _household,
    "offender_linked_to_care_setting": _care,
    "order_breach": _breach,
    "repeat_missing_child": _repeat_missing,
    "shared_exploitation_link": _shared,
    "unnotified_placement": _unnotified,
    "repeat_domestic_abuse_with_child": _domestic,
    "overdue_return_interview": _return_interview,
    "long_running_child_abuse_investigation": _long_running,
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
