"""The background's casework: registered offenders and where they stay, their orders, child
protection plans, and care placements, written for a `population.Background` whose people and
places already exist (and its helpers to pick an adult, a child or an address)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from graphsvc.synth import details
from graphsvc.synth import places as geo
from graphsvc.synth.days import iso_day

if TYPE_CHECKING:
    from graphsvc.synth.population import Background

# Address types where children are looked after (as the unnotified-placement rule counts them).
_CARE_SETTINGS = frozenset({"childrens_home", "secure_home", "foster_home",
                            "supported_accommodation"})
_CONDITION_CHOICES = {"shpo": [0, 2, 4], "sro": [0, 2], "cawn": [3], "dvpo": [1],
                      "restraining": [1], "non_molestation": [1]}

# ---- register, orders, plans, placements -------------------------------------------------

def pick_adult(bg: Background, male: float = 0.5, housed_loud: bool = True) -> int:
    """A random adult, not living in a quiet zone."""
    while True:
        person = bg.rng.randrange(len(bg.p_dob))
        wanted_male = bg.rng.random() < male
        if (bg.age_days(person) < 18 * 366 or bg.p_male[person] != wanted_male
                or person in bg.no_dob):
            continue
        home = bg.p_home[person]
        if housed_loud and home >= 0 and bg.a_quiet[home]:
            continue
        return person

def pick_child(bg: Background, min_age: float = 0.0, max_age: float = 17.9) -> int:
    while True:
        person = bg.rng.randrange(len(bg.p_dob))
        if (min_age * 365.25 <= bg.age_days(person) <= max_age * 365.25
                and bg.is_child(person) and person not in bg.no_dob):
            return person

def street_address(bg: Background) -> int:
    """Any address but a care setting: a care home's incidents involve its own residents."""
    while True:
        address = bg.rng.randrange(len(bg.a_type))
        if bg.a_type[address] not in _CARE_SETTINGS:
            return address

def loud_address(bg: Background, kinds: tuple[str, ...] = ("private",)) -> int:
    while True:
        address = bg.rng.randrange(len(bg.a_type))
        if bg.a_type[address] in kinds and not bg.a_quiet[address]:
            return address

def make_offenders(bg: Background) -> list[int]:
    rng = bg.rng
    offenders: list[int] = []
    seen: set[int] = set()
    managers = [f"{bg.names.given('female' if i % 2 else 'male')} {bg.names.family()}"
                for i in range(max(3, round(40 * bg.f)))]
    while len(offenders) < bg.n("offenders", 12):
        person = pick_adult(bg, male=0.93)
        if person in seen or bg.age_days(person) < 19 * 365:
            continue
        household = bg.p_household[person]
        if household >= 0 and bg.households[household][3] and rng.random() < 0.9:
            continue  # offenders living with children are few: they are managed out
        seen.add(person)
        offenders.append(person)
        rosh = rng.choices(["low", "medium", "high", "very_high"],
                           cum_weights=[46, 90, 98, 100])[0]
        registered = bg.when(bg.p_dob[person] + 18 * 366, bg.today - 20)
        roll = rng.random()
        until = None if roll < 0.45 else (
            bg.today + rng.randint(1, 3_000) if roll < 0.9
            else bg.when(registered + 1, bg.today - 1))
        visor = f"VIS{person + 1:07d}"
        bg.out.write("offenders", {
            "person_id": bg.pid(person), "visor_ref": visor,
            "registered_from": iso_day(registered),
            "registered_until": iso_day(until) if until else None,
            "mappa_category": rng.choices("123", cum_weights=[92, 97, 100])[0],
            "mappa_level": (level := rng.choices("123", cum_weights=[85, 97, 100])[0]),
            "rosh_level": rosh, "offender_manager": (manager := rng.choice(managers)),
            "risk_management_summary": details.risk_management_summary(
                bg.extra, rosh, level, manager),
            "source": "visor", "source_ref": visor})
        if rng.random() < 0.08:
            _stay(bg, person, "notified_stay", ("private", "hotel"))
        if rng.random() < 0.04:
            _stay(bg, person, "household_contact", ("private",))
    bg.progress(f"offenders: {len(offenders):,}")
    return offenders

def _stay(bg: Background, person: int, kind: str, kinds: tuple[str, ...]) -> None:
    start = bg.when(bg.today - 700)
    end = start + bg.rng.randint(1, 400)
    bg.out.write("residences", {
        "person_id": bg.pid(person), "address_id": bg.aid(loud_address(bg, kinds)),
        "residence_type": kind, "start_date": iso_day(start),
        "end_date": iso_day(end) if bg.rng.random() < 0.6 else None,
        "source": "visor", "source_ref": f"VIS{person + 1:07d}-{kind[:2].upper()}"})

_CONDITIONS = [
    "Not to have unsupervised contact with any child under 18, other than incidental "
    "contact in public, unless approved by social services.",
    "Not to approach, or communicate with, the protected person.\nNot to enter the street "
    "where the protected person lives.",
    "Not to use any device capable of accessing the internet unless it retains history, "
    "and to make it available for inspection on request.",
    "Not to contact the named child, directly or indirectly, including through social media.",
    "Not to be alone with any child; not to seek work, paid or unpaid, involving children.",
]

def make_orders(bg: Background, offenders: list[int]) -> None:
    rng = bg.rng
    types = ["shpo", "sro", "cawn", "dvpo", "restraining", "non_molestation"]
    cum = list(itertools.accumulate([35, 5, 10, 15, 20, 15]))
    for k in range(bg.n("orders", 20)):
        kind = rng.choices(types, cum_weights=cum)[0]
        if kind == "shpo" and rng.random() < 0.75:
            subject = rng.choice(offenders)
        else:
            subject = pick_adult(bg, male=0.85)
        start = bg.when(bg.today - 6 * 365)
        end = {"shpo": None if rng.random() < 0.6 else start + 5 * 365,
               "sro": start + 2 * 365, "cawn": start + 2 * 365, "dvpo": start + 28,
               "restraining": start + rng.randint(365, 1100),
               "non_molestation": start + rng.randint(180, 365)}[kind]
        if kind == "cawn":
            protected = [pick_child(bg, 8, 17)]
        elif kind in ("shpo", "sro"):
            protected = []
        else:
            protected = [pick_adult(bg, male=0.2, housed_loud=False)]
        prohibits = kind in ("shpo", "sro") and rng.random() < 0.45
        if prohibits or kind == "cawn":
            bg.restricted.add(subject)
        bg.out.write("orders", {
            "order_id": f"ORD{k + 1:06d}", "person_id": bg.pid(subject),
            "order_type": kind, "start_date": iso_day(start),
            "end_date": iso_day(end) if end else None,
            "protected_person_ids": [bg.pid(p) for p in protected if p != subject],
            "prohibits_child_contact": prohibits,
            "conditions": _CONDITIONS[rng.choice(_CONDITION_CHOICES[kind])]
            if kind != "dvpo" else None,
            "source": "visor" if kind in ("shpo", "sro") else "rms",
            "source_ref": f"CO-{k + 1:06d}"})
    bg.progress("orders done")

def make_plans(bg: Background) -> None:
    rng = bg.rng
    categories = ["neglect", "emotional_abuse", "physical_abuse", "sexual_abuse", "multiple"]
    cum = list(itertools.accumulate([45, 35, 8, 4, 8]))
    for k in range(bg.n("protection_plans", 25)):
        child = pick_child(bg)
        start = bg.when(max(bg.p_dob[child], bg.today - 900))
        end = None
        if rng.random() < 0.45:
            end = start + rng.randint(90, 700)
            end = end if end < bg.today else None
        bg.out.write("protection_plans", {
            "plan_id": f"CPP{k + 1:06d}", "person_id": bg.pid(child),
            "category": rng.choices(categories, cum_weights=cum)[0],
            "start_date": iso_day(start), "end_date": iso_day(end) if end else None,
            "local_authority": geo.COUNTY_COUNCIL,
            **dict(zip(("lead_professional", "lead_contact"), details.plan_lead(
                bg.extra, bg.extra_names, geo.COUNTY_COUNCIL), strict=True)),
            "source": "childrens_services",
            "source_ref": f"CP-{k + 1:06d}"})
    bg.progress("protection plans done")

def make_placements(bg: Background) -> list[tuple[int, int, int]]:
    """Looked-after children (new people) and their placements; returns (child, address,
    start) of each active placement, for missing episodes."""
    rng = bg.rng
    homes = [i for i, t in enumerate(bg.a_type) if t == "childrens_home"]
    fosters = [i for i, t in enumerate(bg.a_type) if t == "foster_home"]
    supported = [i for i, t in enumerate(bg.a_type) if t == "supported_accommodation"]
    total, ooa = bg.n("placements", 20), bg.n("ooa_placements", 6)
    active: list[tuple[int, int, int]] = []
    k = 0
    while k < total:
        out_of_area = k < ooa
        age = rng.uniform(12, 17.8) if out_of_area else rng.uniform(1, 17.8)
        child = bg.person(bg.dob(age, age + 0.01), rng.random() < 0.55, -1,
                             adult=False, may_lack_dob=False)
        moves = 2 if rng.random() < 0.1 else 1
        earliest = max(bg.p_dob[child] + 30, bg.today - 3 * 365)
        for repeat in range(moves):
            if k >= total:
                break
            k += 1
            roll = rng.random()
            if out_of_area or roll < 0.1:
                kind, address = ("childrens_home", rng.choice(homes)) if roll < 0.82 else (
                    ("supported_accommodation", rng.choice(supported)) if age > 16 else
                    ("foster", rng.choice(fosters)))
            elif roll < 0.6:
                kind, address = "foster", rng.choice(fosters)
            elif roll < 0.8:
                kind, address = "kinship_foster", loud_address(bg)
            elif roll < 0.9:
                kind, address = "with_parents", loud_address(bg)
            else:
                kind, address = "other", loud_address(bg)
            # An ended placement (every one but a child's last, and some last ones) starts
            # and ends by the day before yesterday, so its end is never before its start
            # and any next placement still starts before as_of; with no room left, it stays
            # open.
            ends = (repeat < moves - 1 or rng.random() < 0.22) and earliest <= bg.today - 2
            start = bg.when(earliest, bg.today - 2 if ends else None)
            end = None
            if ends:
                end = bg.when(start, bg.today - 2)
                earliest = end + 1
            notified = None
            delay_roll = rng.random()
            if delay_roll < 0.85:
                notified = start + rng.randint(0, 7)
            elif delay_roll < 0.89:
                notified = start + rng.randint(8, 14)
            elif delay_roll < 0.95:
                notified = start + rng.randint(15, 90)
            if notified is not None and notified >= bg.today:
                notified = None
            placing = rng.choice(geo.OTHER_AUTHORITIES) if out_of_area else geo.COUNTY_COUNCIL
            bg.out.write("placements", {
                "placement_id": f"PL{k:06d}", "person_id": bg.pid(child),
                "address_id": bg.aid(address), "placing_authority": placing,
                "area_authority": geo.COUNTY_COUNCIL, "placement_type": kind,
                "legal_basis": rng.choices(["s20", "s31", "s38", "other"],
                                           cum_weights=[35, 90, 97, 100])[0],
                "start_date": iso_day(start), "end_date": iso_day(end) if end else None,
                "police_notified_date": iso_day(notified) if notified else None,
                "source": "childrens_services", "source_ref": f"LAC-{k:06d}"})
            if end is None:
                active.append((child, address, start))
    bg.progress(f"placements: {total:,}")
    return active
