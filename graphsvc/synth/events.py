"""The background's events: incidents (missing episodes concentrated on a minority of
children, domestic abuse on a minority of households, the everyday rest) and intelligence
associations, written for a `population.Background` whose people and places already exist."""

from __future__ import annotations

import itertools
from datetime import date
from typing import TYPE_CHECKING, Any

from graphsvc.synth import register
from graphsvc.synth.days import DAY_S, iso_datetime, iso_day

if TYPE_CHECKING:
    from graphsvc.synth.population import Background

# ---- incidents ---------------------------------------------------------------------------

SUMMARIES = {
    "domestic_abuse": ["Caller reports shouting, a door slammed and a woman crying.",
                       "Ex-partner attended the address, refused to leave; verbal abuse.",
                       "Argument over money, items thrown; no visible injuries."],
    "violence": ["Assault outside licensed premises, victim punched twice.",
                 "Fight between neighbours over parking, minor injuries."],
    "concern_for_welfare": ["Neighbour concerned, not seen occupant for several days.",
                            "School reports child arriving hungry and unkempt."],
    "missing": ["Failed to return at agreed time, phone switched off.",
                "Left the placement after an argument with staff, took no belongings."],
    "absent": ["Late back, whereabouts known to carers."],
    "cse_concern": ["Seen getting into cars with older males, new phone and clothes.",
                    "Staff concerned about gifts, alcohol and a much older 'boyfriend'."],
    "sexual_offence": ["Disclosure made to teacher, referred to CAIT.",
                       "Online contact, images requested; devices seized."],
    "child_neglect": ["Home conditions poor, no food, children unsupervised overnight."],
    "other": ["Report of suspicious vehicle.", "Criminal damage to fence.",
              "Noise complaint, advice given."],
}

def _incident(bg: Background, k: int, kind: str, day: int, address: int | None,
              people: list[tuple[int, str]], **extra: Any) -> None:
    rng = bg.rng
    seconds = rng.randrange(DAY_S)
    summary = rng.choice(SUMMARIES[kind])
    if rng.random() < 0.05:
        summary = f"Initial account:\n{summary}\nUpdate: enquiries continue, see log."
    row = {"incident_id": f"I{k:08d}", "incident_type": kind,
           "occurred_at": iso_datetime(day, seconds),
           "address_id": bg.aid(address) if address is not None else None,
           "summary": summary, "source": "rms", "source_ref": f"RMS-{k:08d}", **extra}
    if "returned_after" in extra:
        after = row.pop("returned_after")
        interview = row.pop("interview_after", None)
        if after is not None:
            row["returned_at"] = iso_datetime(day, seconds + after)
            if interview is not None and (day - bg.today) * DAY_S + seconds + after \
                    + interview < 0:  # an interview after as_of has not happened yet
                row["return_interview_at"] = iso_datetime(day, seconds + after + interview)
    bg.out.write("incidents", row)
    seen = set()
    for person, role in people:
        if (person, role) in seen or person < 0:
            continue
        seen.add((person, role))
        bg.out.write("incident_people", {"incident_id": row["incident_id"],
                                           "person_id": bg.pid(person), "role": role,
                                           "source": "rms", "source_ref": row["source_ref"]})

def would_breach(bg: Background, people: list[tuple[int, str]], other: int, day: int) -> bool:
    """Would a random extra put a child with someone an order keeps from children? The
    background leaves breaches to the few offences against children and to households."""
    if other in bg.restricted:
        return any(bg.is_child(p, day) for p, _ in people)
    return bg.is_child(other, day) and any(p in bg.restricted for p, _ in people)

def _crime(bg: Background, k: int, day: int, open_share: float) -> dict[str, str]:
    """A crime number, and a status: most investigations close within a few months."""
    age = bg.today - day
    still_open = open_share * (1.0 if age < 60 else 0.35 if age < 180 else
                               0.08 if age < 400 else 0.01)
    return {"crime_ref": f"37/{k:07d}/{date.fromordinal(day).year % 100:02d}",
            "status": "open" if bg.rng.random() < still_open else "closed"}

def make_incidents(bg: Background, active: list[tuple[int, int, int]]) -> None:
    """Missing episodes concentrated on a minority of children, domestic abuse on a minority
    of households, and the everyday rest."""
    rng = bg.rng
    total = bg.n("incidents", 300)
    n_missing = bg.n("missing", 100)
    k = 0
    # Missing-prone children: most looked after, some teenagers living at home.
    placed = {child: (address, start) for child, address, start in active}
    pool = list(placed)
    rng.shuffle(pool)
    teens = [register.pick_child(bg, 12, 17.5) for _ in range(max(5, round(600 * bg.f)))]
    pool = pool[:max(5, round(900 * bg.f))] + teens
    rng.shuffle(pool)
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(pool))))
    exploiters = [register.pick_adult(bg, male=0.9, housed_loud=False)
                  for _ in range(max(3, round(60 * bg.f)))]
    hotspots = [register.street_address(bg) for _ in range(max(3, round(40 * bg.f)))]
    for _ in range(n_missing):
        child = rng.choices(pool, cum_weights=weights)[0]
        address, start = placed.get(child, (bg.p_home[child], bg.today - 730))
        earliest = max(start, bg.p_dob[child] + 10 * 365, bg.today - 730)
        day = bg.when(earliest, bg.today - 5) if rng.random() > 0.01 else \
            bg.today - rng.randint(1, 20)
        still_missing = day > bg.today - 5
        # Most return home interviews happen within 72 hours, some later; about one episode
        # in twenty-five never has one recorded (each such stays an overdue-interview flag).
        interview_roll = rng.random()
        interview = (rng.randint(4 * 3600, 70 * 3600) if interview_roll < 0.78 else
                     rng.randint(73 * 3600, 14 * DAY_S) if interview_roll < 0.96 else None)
        found = None
        people = [(child, "missing_person")]
        if not still_missing and rng.random() < 0.45:
            found = rng.choice(hotspots) if rng.random() < 0.3 else rng.randrange(
                len(bg.a_type))
        if rng.random() < 0.08:
            people.append((rng.choice(exploiters), "found_with"))
        if rng.random() < 0.7:
            people.append((register.pick_adult(bg, housed_loud=False), "reporting_person"))
        k += 1
        _incident(bg, k, "missing", day, address if address >= 0 else None, people,
                       risk_grade=rng.choices(["no_apparent_risk", "low", "medium", "high"],
                                              cum_weights=[5, 45, 90, 100])[0],
                       found_address_id=bg.aid(found) if found is not None else None,
                       returned_after=None if still_missing else rng.randint(7200, 96 * 3600),
                       interview_after=interview)
    for _ in range(max(2, round(3_000 * bg.f))):
        child = rng.choices(pool, cum_weights=weights)[0]
        day = bg.when(max(bg.p_dob[child] + 10 * 365, bg.today - 900))
        k += 1
        _incident(bg, k, "cse_concern", day, rng.choice(hotspots),
                       [(child, "victim"), (rng.choice(exploiters), "suspect")],
                       **_crime(bg, k, day, 0.3))
    bg.progress(f"missing episodes: {n_missing:,}")
    # Domestic abuse: a Zipf-like share per household, so a few see many call-outs a year.
    families = [h for h in bg.households if h[2] >= 1 and not bg.a_quiet[h[0]]]
    rng.shuffle(families)
    families = families[:max(5, round(12_000 * bg.f))]
    fam_w = list(itertools.accumulate(1 / (rank + 5) for rank in range(len(families))))
    kinds = ["domestic_abuse", "violence", "concern_for_welfare", "other", "absent",
             "sexual_offence", "child_neglect"]
    kind_w = list(itertools.accumulate([22, 20, 14, 35, 3, 3.5, 2.5]))
    n_people = len(bg.p_dob)
    while k < total:
        k += 1
        kind = rng.choices(kinds, cum_weights=kind_w)[0]
        day = bg.when(bg.today - 3 * 365)
        if kind == "domestic_abuse":
            address, first, adults, kids = rng.choices(families, cum_weights=fam_w)[0]
            victim = first + (1 if adults > 1 else 0)
            suspect = first if adults > 1 else register.pick_adult(bg, male=0.85, housed_loud=False)
            people = [(victim, "victim"), (suspect, "suspect")]
            people += [(c, "child_present")
                       for c in range(first + adults, first + adults + kids)
                       if rng.random() < 0.6 and day > bg.p_dob[c] and bg.is_child(c, day)]
            grade = rng.choices(["standard", "medium", "high"], cum_weights=[62, 92, 100])[0]
            score = {"standard": rng.randint(0, 9), "medium": rng.randint(10, 13),
                     "high": rng.randint(14, 24)}[grade]
            _incident(bg, k, kind, day, address, people, risk_grade=grade, dash_score=score,
                           **(_crime(bg, k, day, 0.1) if rng.random() < 0.35 else {}))
            continue
        if kind in ("sexual_offence", "child_neglect") or (
                kind == "violence" and rng.random() < 0.15):
            victim = (register.pick_child(bg, 3, 17.5)
                      if kind != "sexual_offence" or rng.random() < 0.5
                      else register.pick_adult(bg, male=0.15, housed_loud=False))
            household = bg.p_household[victim]
            suspect = (bg.households[household][1]
                       if kind == "child_neglect" and household >= 0
                       else register.pick_adult(bg, male=0.85, housed_loud=False))
            victim_home = bg.p_home[victim] if bg.p_home[victim] >= 0 else None
            _incident(bg, k, kind, max(day, bg.p_dob[victim] + 1), victim_home,
                           [(victim, "victim"), (suspect, "suspect")],
                           **_crime(bg, k, day, 0.35))
            continue
        if kind == "absent":
            child = rng.choices(pool, cum_weights=weights)[0]
            _incident(bg, k, kind, bg.when(max(bg.p_dob[child] + 10 * 365,
                                                  bg.today - 700)),
                           bg.p_home[child] if bg.p_home[child] >= 0 else None,
                           [(child, "subject")],
                           risk_grade=rng.choice(["no_apparent_risk", "low"]))
            continue
        subject = rng.randrange(n_people)
        home = bg.p_home[subject]
        address = home if home >= 0 and rng.random() < 0.6 else register.street_address(bg)
        people = [(subject, "victim" if kind == "violence" else "subject")]
        extras = rng.choices([0, 1, 2, 3], cum_weights=[15, 55, 85, 100])[0]
        roles = ["suspect", "witness", "reporting_person"] if kind == "violence" else \
            ["witness", "reporting_person", "subject"]
        for role in roles[:extras]:
            other = rng.randrange(n_people)
            if not would_breach(bg, people, other, day):
                people.append((other, role))
        _incident(bg, k, kind, day, address, people,
                       **(_crime(bg, k, day, 0.25) if kind == "violence" else {}))
        if k % 50_000 == 0:
            bg.progress(f"incidents: {k:,}")
    bg.progress(f"incidents: {k:,}")

# ---- associations ------------------------------------------------------------------------

def make_associations(bg: Background) -> None:
    rng = bg.rng
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    vehicles = [f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(51, 74)}"
                f"{''.join(rng.choice(letters) for _ in range(3))}"
                for _ in range(max(5, round(9_000 * bg.f)))]
    vehicles = sorted(set(vehicles))
    phone_owners = sorted(bg.phones)
    n_people = len(bg.p_dob)
    done: set[tuple[int, str, str, str]] = set()
    total = bg.n("associations", 50)
    k = 0
    while k < total:
        person = rng.randrange(n_people)
        roll = rng.random()
        if roll < 0.55:
            target_type, target = "person", bg.pid(rng.randrange(n_people))
            relation = rng.choices(["associate", "seen_with", "family", "partner"],
                                   cum_weights=[40, 65, 85, 100])[0]
            if target == bg.pid(person) or would_breach(bg,
                    [(person, "")], int(target[1:]) - 1, bg.today):
                continue
        elif roll < 0.7:
            target_type, relation = "vehicle", "uses_vehicle"
            raw = rng.choice(vehicles)
            target = raw if rng.random() < 0.6 else f"{raw[:4]} {raw[4:]}".lower()
        elif roll < 0.85 and phone_owners:
            target_type = "phone"
            owner = rng.choice(phone_owners)
            relation = "uses_phone" if owner == person else "associate"
            target = bg.phones[owner]
        else:
            target_type, relation = "address", "frequents"
            target = bg.aid(rng.randrange(len(bg.a_type)))
        key = (person, target_type, target.replace(" ", "").upper(), relation)
        if key in done:
            continue
        done.add(key)
        k += 1
        first = bg.when(bg.today - 4 * 365)
        bg.out.write("associations", {
            "person_id": bg.pid(person), "target_type": target_type, "target_id": target,
            "relation": relation, "first_seen": iso_day(first),
            "last_seen": iso_day(bg.when(first)),
            "grading": rng.choice(["A1", "B2", "B2", "C3", "C2", "E4", "B3"]),
            "source": "rms", "source_ref": f"INT-{k:07d}"})
    bg.progress(f"associations: {total:,}")
