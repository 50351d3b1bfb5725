"""Planted scenarios: for every rule of the pack, cases it must flag and near misses it must not.

Each scenario has its own people, addresses, phones and vehicles (ids `…-SCN-…`), at its own
site at least 4 km from every other site, so scenarios cannot flag or un-flag one another. Sites
with out-of-area placements are "quiet": the background puts no offender or order subject within
3.5 km of them. Dated events are whole days before `as_of`. Hour thresholds (the return
interview) hold at any moment of the as_of day a rule may look at: a positive counts back from
the day's first second, a near miss from its last.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from graphsvc.dates import add_years
from graphsvc.synth import places as geo

SITE_SPACING_M = 4_000.0
# The last second of a day: the latest moment a rule run as of that day may look at.
END_OF_DAY = time(23, 59, 59)
# Rule ids of DESIGN.md's rule pack, and the short code used in planted ids.
RULES = {
    "ooa_child_near_high_risk_offender": "OOA",
    "offender_household_with_child": "HH",
    "offender_linked_to_care_setting": "CARE",
    "order_breach": "BR",
    "repeat_missing_child": "RMC",
    "shared_exploitation_link": "SEL",
    "unnotified_placement": "UNP",
    "repeat_domestic_abuse_with_child": "DA",
    "overdue_return_interview": "RI",
    "long_running_child_abuse_investigation": "LRI",
}
_SOURCE_FOR = {"offenders": "visor", "orders": "visor", "protection_plans": "childrens_services",
               "placements": "childrens_services"}




def choose_sites(rng: random.Random, count: int) -> list[tuple[float, float]]:
    """`count` points in the county, each at least SITE_SPACING_M from the others, near places."""
    county = geo.make_county()
    sites: list[tuple[float, float]] = []
    tries = 0
    while len(sites) < count:
        tries += 1
        if tries > 200_000:
            raise RuntimeError("the county is too small for the planted scenarios")
        if tries % 3:
            place = rng.choice(county)
            lat, lon = geo.scatter(rng, place)
        else:
            lat = rng.uniform(geo.SOUTH + 0.02, geo.NORTH - 0.02)
            lon = rng.uniform(geo.WEST + 0.03, geo.EAST - 0.03)
        if all(geo.approx_m(lat, lon, a, b) >= SITE_SPACING_M for a, b in sites):
            sites.append((lat, lon))
    return sites


@dataclass
class Planted:
    """Everything the scenarios made: rows per file and the expectations for the rules."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    expected: list[dict[str, Any]] = field(default_factory=list)
    near_misses: list[dict[str, Any]] = field(default_factory=list)
    quiet_sites: list[tuple[float, float]] = field(default_factory=list)

    def add(self, name: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(name, []).append(row)


class Scenario:
    """One planted case at its own site; helpers write its rows with readable ids."""

    def __init__(self, plant: Planter, rule: str, number: int, site: tuple[float, float],
                 quiet: bool) -> None:
        self.plant = plant
        self.rule = rule
        self.tag = f"SCN-{RULES[rule]}-{number:02d}"
        self.site = site
        self.quiet = quiet
        self.as_of = plant.as_of
        self.out = plant.out
        self._incidents = 0
        self._addresses = 0

    # dates relative to as_of
    def day(self, days_ago: int) -> date:
        return self.as_of - timedelta(days=days_ago)

    def at(self, hours_ago: float) -> datetime:
        """An instant `hours_ago` before the start (00:00) of as_of: for dated events."""
        return datetime.combine(self.as_of, datetime.min.time()) - timedelta(hours=hours_ago)

    def before_end(self, hours: float) -> datetime:
        """An instant `hours` before the last second of as_of."""
        return datetime.combine(self.as_of, END_OF_DAY) - timedelta(hours=hours)

    def dob(self, years: int, days: int = 120) -> date:
        """Date of birth of someone `years` old on as_of, `days` past that birthday."""
        return add_years(self.as_of, -years) - timedelta(days=days)

    def person(self, role: str, *, years: int | None = None, born: date | None = None,
               male: bool = True, phone: str | None = None) -> str:
        names = self.plant.names
        gender = "male" if male else "female"
        pid = f"P-{self.tag}-{role}"
        self.out.add("people", {
            "person_id": pid, "given_name": names.given(gender), "family_name": names.family(),
            "date_of_birth": (born or self.dob(years if years is not None else 35)).isoformat(),
            "gender": gender, "phone_numbers": [phone] if phone else None,
            "source": "rms", "source_ref": f"{self.tag}-{role}"})
        return pid

    def address(self, role: str, kind: str = "private", *, east_m: float = 0.0,
                north_m: float = 0.0, point: tuple[float, float] | None = None,
                grid: bool = False, uprn: str | None = None) -> tuple[str, tuple[float, float]]:
        """An address at the site (offset in metres) or at an exact float32 `point`."""
        rng = self.plant.rng
        self._addresses += 1
        if point is None:
            lat = self.site[0] + north_m / geo.EARTH_M_PER_DEG_LAT
            lon = self.site[1] + east_m / (geo.EARTH_M_PER_DEG_LAT *
                                           math.cos(math.radians(self.site[0])))
            point = (geo.f32(lat), geo.f32(lon))
        place = geo.nearest_place(self.plant.county, *point)
        aid = f"A-{self.tag}-{role}"
        name = {"childrens_home": "Larkspur House", "secure_home": "Harbour Secure Unit",
                "supported_accommodation": "Foyer Lodge", "school": f"{place.name} Academy",
                "approved_premises": "Ferry Road Approved Premises"}.get(kind)
        street = f"{rng.randint(1, 90)} {rng.choice(place.streets)}"
        row: dict[str, Any] = {"address_id": aid,
               "uprn": uprn or str(990_000_000_000 + self.plant.next_uprn()),
               "line1": name or street, "line2": street if name else None, "town": place.name,
               "postcode": geo.postcode(rng, place), "address_type": kind,
               "source": "childrens_services" if kind != "private" else "visor",
               "source_ref": f"{self.tag}-{role}"}
        if grid:
            easting, northing = geo.to_grid(*point)
            row.update(easting=round(easting, 2), northing=round(northing, 2), source="rms")
        else:
            row.update(latitude=point[0], longitude=point[1])
        self.out.add("addresses", row)
        return aid, point

    def lives(self, pid: str, aid: str, kind: str = "home", *, since: int = 800,
              ended: int | None = None) -> None:
        self.out.add("residences", {
            "person_id": pid, "address_id": aid, "residence_type": kind,
            "start_date": self.day(since).isoformat(),
            "end_date": self.day(ended).isoformat() if ended is not None else None,
            "source": "visor" if kind in ("notified_stay", "household_contact") else "rms",
            "source_ref": f"{self.tag}-RES-{pid[-6:]}"})

    def offender(self, pid: str, rosh: str, *, until: int | None = None) -> None:
        """Register `pid`; `until` is days before as_of the registration ended (None: open)."""
        self.out.add("offenders", {
            "person_id": pid, "visor_ref": f"V-{self.tag}", "registered_from":
            self.day(2_000).isoformat(), "registered_until":
            self.day(until).isoformat() if until is not None else None,
            "mappa_category": "1", "mappa_level": "2", "rosh_level": rosh,
            "offender_manager": "DC Planted Case", "source": "visor", "source_ref": self.tag})

    def order(self, pid: str, kind: str, *, start: int = 400, end: int | None = None,
              protects: list[str] | None = None, prohibits: bool = False, n: int = 1) -> str:
        """An order from `start` days ago until `end` days ago (None: no end date)."""
        oid = f"ORD-{self.tag}-{n}"
        self.out.add("orders", {
            "order_id": oid, "person_id": pid, "order_type": kind,
            "start_date": self.day(start).isoformat(),
            "end_date": self.day(end).isoformat() if end is not None else None,
            "protected_person_ids": protects, "prohibits_child_contact": prohibits,
            "conditions": "Planted scenario: see expected_flags.json, rule " + self.rule,
            "source": "visor" if kind in ("shpo", "sro") else "rms", "source_ref": oid})
        return oid

    def plan(self, child: str, *, start: int = 200, ended: int | None = None) -> None:
        self.out.add("protection_plans", {
            "plan_id": f"CPP-{self.tag}", "person_id": child, "category": "sexual_abuse",
            "start_date": self.day(start).isoformat(),
            "end_date": self.day(ended).isoformat() if ended is not None else None,
            "local_authority": geo.COUNTY_COUNCIL, "source": "childrens_services",
            "source_ref": f"CPP-{self.tag}"})

    def placement(self, child: str, aid: str, *, out_of_area: bool = True, start: int = 120,
                  ended: int | None = None, notified_after: int | None = 2,
                  kind: str = "childrens_home", n: int = 1) -> str:
        plid = f"PL-{self.tag}-{n}"
        begun = self.day(start)
        self.out.add("placements", {
            "placement_id": plid, "person_id": child, "address_id": aid,
            "placing_authority": "Harrowden Borough Council" if out_of_area
            else geo.COUNTY_COUNCIL, "area_authority": geo.COUNTY_COUNCIL,
            "placement_type": kind, "legal_basis": "s31", "start_date": begun.isoformat(),
            "end_date": self.day(ended).isoformat() if ended is not None else None,
            "police_notified_date": (begun + timedelta(days=notified_after)).isoformat()
            if notified_after is not None else None,
            "source": "childrens_services", "source_ref": plid})
        return plid

    def incident(self, kind: str, when: datetime, address: str | None,
                 people: list[tuple[str, str]], **extra: Any) -> str:
        self._incidents += 1
        iid = f"I-{self.tag}-{self._incidents}"
        row = {"incident_id": iid, "incident_type": kind,
               "occurred_at": when.isoformat(timespec="seconds"), "address_id": address,
               "summary": f"Planted scenario {self.tag}.", "source": "rms", "source_ref": iid}
        row.update({k: (v.isoformat(timespec="seconds") if isinstance(v, datetime) else v)
                    for k, v in extra.items()})
        self.out.add("incidents", row)
        for pid, role in people:
            self.out.add("incident_people", {"incident_id": iid, "person_id": pid, "role": role,
                                             "source": "rms", "source_ref": iid})
        return iid

    def missing(self, child: str, days_ago: int, address: str | None, *,
                found_at: str | None = None, found_with: str | None = None,
                returned_hours: float = 6.0, interview: bool = True) -> str:
        """A missing episode starting at 02:00 `days_ago` days before as_of; returned and
        interviewed the next day unless told otherwise."""
        went = datetime.combine(self.day(days_ago), datetime.min.time()) + timedelta(hours=2)
        back = went + timedelta(hours=returned_hours)
        people = [(child, "missing_person")] + ([(found_with, "found_with")] if found_with else [])
        return self.incident("missing", went, address, people, risk_grade="medium",
                             found_address_id=found_at, returned_at=back,
                             return_interview_at=back + timedelta(hours=20) if interview
                             else None)

    def associate(self, pid: str, target_type: str, target: str, relation: str, *,
                  first: int = 60, last: int = 10) -> None:
        self.out.add("associations", {
            "person_id": pid, "target_type": target_type, "target_id": target,
            "relation": relation, "first_seen": self.day(first).isoformat(),
            "last_seen": self.day(last).isoformat(), "grading": "B2", "source": "rms",
            "source_ref": f"{self.tag}-INT"})

    def expect(self, severity: str, text: str, entities: dict[str, list[str]],
               evidence: dict[str, Any] | None = None) -> None:
        self.out.expected.append({"rule": self.rule, "scenario": f"{self.tag}: {text}",
                                  "severity": severity, "entities": entities,
                                  "evidence": evidence or {}})

    def near_miss(self, text: str, entities: dict[str, list[str]]) -> None:
        self.out.near_misses.append({"rule": self.rule, "scenario": f"{self.tag}: {text}",
                                     "entities": entities})


class Planter:
    """Allocates sites and numbers scenarios; `plant_all` makes every rule's cases."""

    def __init__(self, rng: random.Random, as_of: date, sites: list[tuple[float, float]],
                 quiet: set[int]) -> None:
        from graphsvc.synth.names import NameMaker

        self.rng = rng
        self.as_of = as_of
        self.sites = sites
        self.quiet = quiet
        self.county = geo.make_county()
        self.names = NameMaker(rng)
        self.out = Planted(quiet_sites=[sites[i] for i in sorted(quiet)])
        self._site = 0
        self._numbers: dict[str, int] = {}
        self._uprn = 0

    def next_uprn(self) -> int:
        self._uprn += 1
        return self._uprn

    def scenario(self, rule: str) -> Scenario:
        self._numbers[rule] = self._numbers.get(rule, 0) + 1
        index = self._site
        self._site += 1
        return Scenario(self, rule, self._numbers[rule], self.sites[index], index in self.quiet)
