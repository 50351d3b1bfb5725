"""The planted cases of the rules about children's episodes and incidents (repeat missing,
shared exploitation links, unnotified placements, repeat domestic abuse, overdue return
interviews, long-running investigations); `cases` plans the sites and plants every rule's.
"""

from __future__ import annotations

from datetime import date, timedelta

from graphsvc.dates import add_years
from graphsvc.synth.scenarios import Planter


def plant_repeat_missing(p: Planter) -> int:
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


def plant_shared(p: Planter) -> int:
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


def plant_unnotified(p: Planter) -> int:
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


def plant_domestic(p: Planter) -> int:
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


def plant_return_interview(p: Planter) -> int:
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


def plant_long_running(p: Planter) -> int:
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
