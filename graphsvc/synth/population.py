"""Background population: addresses, households, offenders, orders, plans, placements, incidents.

Everything streams to the writer as it is made; only compact per-person facts (date of birth,
sex, home) stay in memory. Background people who are dangerous to children (registered
offenders, order subjects) never live within 3.5 km of a quiet zone, where planted placements
sit, so the background cannot flag or un-flag a planted case there.
"""

from __future__ import annotations

import itertools
import logging
import random
from collections.abc import Callable
from datetime import date

from graphsvc.dates import ADULT_AGE, age_on
from graphsvc.synth import details
from graphsvc.synth import places as geo
from graphsvc.synth.names import NameMaker
from graphsvc.synth.write import FolderWriter

log = logging.getLogger(__name__)

# County-scale targets from the issue; `small` is one hundredth.
TARGETS = {"people": 200_000, "addresses": 120_000, "incidents": 300_000,
           "incident_people": 700_000, "residences": 250_000, "offenders": 1_500,
           "orders": 3_000, "protection_plans": 2_500, "placements": 2_000,
           "ooa_placements": 520, "childrens_homes": 150, "missing": 10_000,
           "associations": 50_000}
QUIET_RADIUS_M = 3_500.0
_DAY_S = 86_400
# Address types where children are looked after (as the unnotified-placement rule counts them).
_CARE_SETTINGS = frozenset({"childrens_home", "secure_home", "foster_home",
                            "supported_accommodation"})
_CONDITION_CHOICES = {"shpo": [0, 2, 4], "sro": [0, 2], "cawn": [3], "dvpo": [1],
                      "restraining": [1], "non_molestation": [1]}


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _iso_dt(day: int, seconds: int) -> str:
    day += seconds // _DAY_S
    seconds %= _DAY_S
    return f"{_iso(day)}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Background:
    """Makes the background county into a FolderWriter, reproducibly for one Random."""

    def __init__(self, rng: random.Random, as_of: date, factor: float, out: FolderWriter,
                 quiet_sites: list[tuple[float, float]],
                 progress: Callable[[str], None] | None = None) -> None:
        self.rng = rng
        self.today = as_of.toordinal()
        self.f = factor
        self.out = out
        self.progress = progress or (lambda message: None)
        self.names = NameMaker(rng)
        # Markers, risk summaries and plan leads come from a Random of their own, seeded from
        # this one's state without drawing from it: the rest of the county stays as it was.
        self.extra = random.Random(hash(rng.getstate()[1]))
        self.extra_names = NameMaker(self.extra)
        self.places = geo.make_county()
        self.quiet_sites = quiet_sites
        # Per address: coordinates, type, quiet flag. Per person: dob ordinal, sex, home address.
        self.a_lat: list[float] = []
        self.a_lon: list[float] = []
        self.a_type: list[str] = []
        self.a_quiet: list[bool] = []
        self.p_dob: list[int] = []
        self.p_male: list[bool] = []
        self.p_home: list[int] = []
        self.households: list[tuple[int, int, int, int]] = []  # address, first person, adults, kids
        self.p_household: list[int] = []
        self.no_dob: set[int] = set()
        self.restricted: set[int] = set()  # subjects of child-contact orders and CAWNs
        self.phones: dict[int, str] = {}
        self._phone_counter = itertools.count(1)

    def n(self, key: str, minimum: int = 1) -> int:
        return max(minimum, round(TARGETS[key] * self.f))

    # ---- ids and small helpers -------------------------------------------------------------

    @staticmethod
    def pid(index: int) -> str:
        return f"P{index + 1:07d}"

    @staticmethod
    def aid(index: int) -> str:
        return f"A{index + 1:07d}"

    def age_days(self, person: int, day: int | None = None) -> int:
        return (self.today if day is None else day) - self.p_dob[person]

    def is_child(self, person: int, day: int | None = None) -> bool:
        """Under 18 on `day` (calendar-exact)."""
        born = date.fromordinal(self.p_dob[person])
        on = date.fromordinal(self.today if day is None else day)
        return (age_on(born, on) or 0) < ADULT_AGE

    def new_phone(self) -> str:
        """A unique mobile number outside Ofcom's drama range (planted scenarios use that)."""
        k = next(self._phone_counter)
        return "07" + str(100_000_000 + (k * 7_919_111 + 12_345) % 590_000_000)

    def when(self, earliest: int, latest: int | None = None) -> int:
        """A day from earliest to latest (default: the day before as_of). When the range is
        empty this is `latest`, which is BEFORE earliest: a caller making the end of a period
        must leave room for it (see make_placements)."""
        latest = self.today - 1 if latest is None else latest
        return self.rng.randint(earliest, latest) if latest > earliest else latest

    # ---- geography ---------------------------------------------------------------------------

    def _quiet(self, lat: float, lon: float) -> bool:
        return any(geo.approx_m(lat, lon, s_lat, s_lon) < QUIET_RADIUS_M
                   for s_lat, s_lon in self.quiet_sites)

    def make_addresses(self) -> None:
        """Addresses in towns and villages; care settings, hotels and the like among them."""
        rng = self.rng
        total = self.n("addresses", 200)
        weights = list(itertools.accumulate(p.weight for p in self.places))
        chosen = rng.choices(range(len(self.places)), cum_weights=weights, k=total)
        points = [geo.scatter(rng, self.places[i]) for i in chosen]
        self.a_lat = [p[0] for p in points]
        self.a_lon = [p[1] for p in points]
        # Quiet-zone screening through a coarse grid so it stays linear in addresses.
        cell = 0.06
        near: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for s_lat, s_lon in self.quiet_sites:
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    near.setdefault((int(s_lat / cell) + di, int(s_lon / cell) + dj),
                                    []).append((s_lat, s_lon))
        self.a_quiet = [any(geo.approx_m(lat, lon, a, b) < QUIET_RADIUS_M
                            for a, b in near.get((int(lat / cell), int(lon / cell)), ()))
                        for lat, lon in points]
        types = ["private"] * total
        quotas = [("childrens_home", self.n("childrens_homes", 3)),
                  ("foster_home", max(4, round(400 * self.f))),
                  ("supported_accommodation", max(2, round(80 * self.f))),
                  ("secure_home", max(1, round(3 * self.f))),
                  ("approved_premises", max(1, round(6 * self.f))),
                  ("hotel", max(1, round(60 * self.f))), ("school", max(2, round(150 * self.f))),
                  ("commercial", round(2_500 * self.f)), ("other", round(500 * self.f))]
        # Care settings avoid quiet zones; most children's homes are rural houses, as many
        # private homes are, so they are drawn from villages first.
        free = [i for i in range(total) if not self.a_quiet[i]]
        rng.shuffle(free)
        rural = iter([i for i in free if self.places[chosen[i]].kind == "village"])
        anywhere = iter(free)
        taken: set[int] = set()

        def take(source, wanted: int) -> int:
            got = 0
            for index in source:
                if got == wanted:
                    break
                if index not in taken:
                    taken.add(index)
                    types[index] = kind
                    got += 1
            return got

        for kind, count in quotas:
            if kind in ("childrens_home", "secure_home", "supported_accommodation"):
                count -= take(rural, round(count * 0.6))
            take(anywhere, count)
        self.a_type = types
        grid_rows = [i for i in range(total) if types[i] in ("private", "commercial", "other",
                                                              "school", "hotel")
                     and rng.random() < 0.7]
        grid = {}
        if grid_rows:
            points = geo.to_grid_many([self.a_lat[i] for i in grid_rows],
                                      [self.a_lon[i] for i in grid_rows])
            grid = {i: (round(e, 1), round(n, 1))
                    for i, (e, n) in zip(grid_rows, points, strict=True)}
        for i in range(total):
            self.out.write("addresses", self._address_row(i, self.places[chosen[i]], grid.get(i)))
        self.progress(f"addresses: {total:,}")

    def _address_row(self, i: int, place: geo.Place, grid: tuple[float, float] | None) -> dict:
        rng = self.rng
        kind = self.a_type[i]
        street = rng.choice(place.streets)
        number = rng.randint(1, 180)
        line2 = None
        if kind == "private":
            line1 = (f"Flat {rng.randint(1, 24)}, {number} {street}" if rng.random() < 0.12
                     else f"{number} {street}")
        elif kind in ("childrens_home", "secure_home", "supported_accommodation"):
            line1 = rng.choice(["The Willows", "Oak House", "Meadow View", "The Lodge",
                                "Beech House", "Riverside", "Elm Court", "The Haven"])
            line2 = f"{number} {street}"
        elif kind == "foster_home":
            line1 = f"{number} {street}"
        elif kind == "approved_premises":
            line1 = f"{place.name} Approved Premises"
            line2 = f"{number} {street}"
        elif kind == "hotel":
            line1 = f"The {rng.choice(['Crown', 'Swan', 'George', 'Bell', 'Station'])} Hotel"
            line2 = street
        elif kind == "school":
            line1 = f"{place.name} {rng.choice(['Primary School', 'Academy', 'High School'])}"
            line2 = street
        elif kind == "commercial":
            line1 = f"Unit {rng.randint(1, 40)}, {street} Industrial Estate"
        else:
            line1 = f"Land off {street}"
        row = {"address_id": self.aid(i), "uprn": str(10_023_000_000 + i * 17 + rng.randrange(17)),
               "line1": line1, "line2": line2, "town": place.name,
               "postcode": geo.postcode(rng, place), "address_type": kind,
               "warning_markers": details.address_markers(self.extra, kind)}
        if grid is not None:
            row.update(easting=grid[0], northing=grid[1], source="rms",
                       source_ref=f"LOC-{i + 1:08d}")
        elif rng.random() < 0.004 and kind == "private":
            row.update(source="rms", source_ref=f"LOC-{i + 1:08d}")  # no coordinates recorded
        else:
            source = "childrens_services" if kind in ("childrens_home", "foster_home",
                                                      "secure_home", "supported_accommodation") \
                else "visor"
            prefix = "CS" if source == "childrens_services" else "VA"
            row.update(latitude=round(self.a_lat[i], 6), longitude=round(self.a_lon[i], 6),
                       source=source, source_ref=f"{prefix}-{i + 1:07d}")
        return row

    # ---- people ------------------------------------------------------------------------------

    def _person(self, dob: int, male: bool, home: int, family: str | None = None,
                adult: bool = True, household: int = -1, may_lack_dob: bool = True) -> int:
        rng = self.rng
        index = len(self.p_dob)
        self.p_dob.append(dob)
        self.p_male.append(male)
        self.p_home.append(home)
        self.p_household.append(household)
        roll = rng.random()
        gender = "unknown" if roll < 0.003 else ("other" if roll < 0.005 else
                                                  ("male" if male else "female"))
        # About one record in a hundred lacks a date of birth; such people take no later role.
        dob_missing = may_lack_dob and rng.random() < 0.01
        if dob_missing:
            self.no_dob.add(index)
        given = self.names.given("male" if male else "female")
        family = family or self.names.family()
        phones = []
        if (adult and rng.random() < 0.45) or (not adult and self.age_days(index) > 12 * 365
                                                and rng.random() < 0.3):
            number = self.new_phone()
            self.phones[index] = number
            phones.append(number if rng.random() < 0.7 else f"+44 {number[1:5]} {number[5:]}")
        pnc = (f"{rng.randint(0, 25):02d}/{rng.randint(100000, 999999)}"
               f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
               if adult and rng.random() < 0.18 else None)
        self.out.write("people", {
            "person_id": self.pid(index), "given_name": given, "family_name": family,
            "aliases": self.names.aliases(given, family, gender) if adult and rng.random() < 0.08
            else None,
            "date_of_birth": None if dob_missing else _iso(dob), "gender": gender,
            "pnc_id": pnc, "phone_numbers": phones,
            "warning_markers": details.person_markers(self.extra, adult), "source": "rms",
            "source_ref": f"NOM-{index + 1:08d}"})
        return index

    def _dob(self, age_low: float, age_high: float) -> int:
        return self.today - int(self.rng.uniform(age_low, age_high) * 365.25)

    def make_households(self, people_budget: int) -> None:
        """Families at private addresses, each member with a home residence; some moved before."""
        rng = self.rng
        private = [i for i in range(len(self.a_type)) if self.a_type[i] == "private"]
        rng.shuffle(private)
        sizes = [1, 2, 3, 4, 5, 6]
        size_w = list(itertools.accumulate([30, 33, 16, 14, 5, 2]))
        for address in itertools.cycle(private):
            if len(self.p_dob) >= people_budget:
                break
            size = rng.choices(sizes, cum_weights=size_w)[0]
            head_age = rng.uniform(18, 88) if size == 1 else rng.uniform(20, 60)
            adults = 1 if size == 1 else (2 if rng.random() < 0.75 or size == 2 else 1)
            if size == 2 and rng.random() < 0.25:
                adults = 1
            kids = size - adults
            family = self.names.family()
            moved_in = self.today - int(rng.uniform(0.1, min(25, head_age - 17)) * 365.25)
            first = len(self.p_dob)
            household = len(self.households)
            for k in range(adults):
                age = head_age + (rng.uniform(-6, 6) if k else 0)
                male = (k == 0) if adults == 2 else rng.random() < 0.45
                surname = family if k == 0 or rng.random() < 0.7 else None
                self._person(self._dob(max(18.1, age), max(18.2, age + 1)), male, address,
                             surname, household=household)
            for _ in range(kids):
                age = rng.uniform(0, min(17.9, head_age - 17))
                self._person(self._dob(age, age + 0.01), rng.random() < 0.51, address, family,
                             adult=False, household=household)
            self.households.append((address, first, adults, kids))
            for person in range(first, first + size):
                start = max(moved_in, self.p_dob[person])
                self.out.write("residences", {
                    "person_id": self.pid(person), "address_id": self.aid(address),
                    "residence_type": "home", "start_date": _iso(start), "source": "rms",
                    "source_ref": f"RES-{person + 1:08d}"})
                self._earlier_home(person, start, address)
        self.progress(f"households: {len(self.households):,}")

    def _earlier_home(self, person: int, start: int, current: int) -> None:
        """About a third of people have a previous home on record, ended before this one."""
        if self.rng.random() > 0.42 or start - self.p_dob[person] < 400:
            return
        address = self.rng.randrange(len(self.a_type))
        if address == current or self.a_type[address] != "private":
            return
        began = self.rng.randint(self.p_dob[person], start - 200)
        self.out.write("residences", {
            "person_id": self.pid(person), "address_id": self.aid(address),
            "residence_type": "home", "start_date": _iso(began), "end_date": _iso(start - 1),
            "source": "rms", "source_ref": f"RES-{person + 1:08d}-P"})

    def make_unhoused(self, count: int) -> None:
        """People known to police with no address in the county (visitors, no fixed abode)."""
        for _ in range(count):
            self._person(self._dob(16, 70), self.rng.random() < 0.7, -1)

    # ---- register, orders, plans, placements -------------------------------------------------

    def _adult(self, male: float = 0.5, housed_loud: bool = True) -> int:
        """A random adult, not living in a quiet zone."""
        while True:
            person = self.rng.randrange(len(self.p_dob))
            wanted_male = self.rng.random() < male
            if (self.age_days(person) < 18 * 366 or self.p_male[person] != wanted_male
                    or person in self.no_dob):
                continue
            home = self.p_home[person]
            if housed_loud and home >= 0 and self.a_quiet[home]:
                continue
            return person

    def _child(self, min_age: float = 0.0, max_age: float = 17.9) -> int:
        while True:
            person = self.rng.randrange(len(self.p_dob))
            if (min_age * 365.25 <= self.age_days(person) <= max_age * 365.25
                    and self.is_child(person) and person not in self.no_dob):
                return person

    def _street_address(self) -> int:
        """Any address but a care setting: a care home's incidents involve its own residents."""
        while True:
            address = self.rng.randrange(len(self.a_type))
            if self.a_type[address] not in _CARE_SETTINGS:
                return address

    def _loud_address(self, kinds: tuple[str, ...] = ("private",)) -> int:
        while True:
            address = self.rng.randrange(len(self.a_type))
            if self.a_type[address] in kinds and not self.a_quiet[address]:
                return address

    def make_offenders(self) -> list[int]:
        rng = self.rng
        offenders: list[int] = []
        seen: set[int] = set()
        managers = [f"{self.names.given('female' if i % 2 else 'male')} {self.names.family()}"
                    for i in range(max(3, round(40 * self.f)))]
        while len(offenders) < self.n("offenders", 12):
            person = self._adult(male=0.93)
            if person in seen or self.age_days(person) < 19 * 365:
                continue
            household = self.p_household[person]
            if household >= 0 and self.households[household][3] and rng.random() < 0.9:
                continue  # offenders living with children are few: they are managed out
            seen.add(person)
            offenders.append(person)
            rosh = rng.choices(["low", "medium", "high", "very_high"],
                               cum_weights=[46, 90, 98, 100])[0]
            registered = self.when(self.p_dob[person] + 18 * 366, self.today - 20)
            roll = rng.random()
            until = None if roll < 0.45 else (
                self.today + rng.randint(1, 3_000) if roll < 0.9
                else self.when(registered + 1, self.today - 1))
            visor = f"VIS{person + 1:07d}"
            self.out.write("offenders", {
                "person_id": self.pid(person), "visor_ref": visor,
                "registered_from": _iso(registered),
                "registered_until": _iso(until) if until else None,
                "mappa_category": rng.choices("123", cum_weights=[92, 97, 100])[0],
                "mappa_level": (level := rng.choices("123", cum_weights=[85, 97, 100])[0]),
                "rosh_level": rosh, "offender_manager": (manager := rng.choice(managers)),
                "risk_management_summary": details.risk_management_summary(
                    self.extra, rosh, level, manager),
                "source": "visor", "source_ref": visor})
            if rng.random() < 0.08:
                self._stay(person, "notified_stay", ("private", "hotel"))
            if rng.random() < 0.04:
                self._stay(person, "household_contact", ("private",))
        self.progress(f"offenders: {len(offenders):,}")
        return offenders

    def _stay(self, person: int, kind: str, kinds: tuple[str, ...]) -> None:
        start = self.when(self.today - 700)
        end = start + self.rng.randint(1, 400)
        self.out.write("residences", {
            "person_id": self.pid(person), "address_id": self.aid(self._loud_address(kinds)),
            "residence_type": kind, "start_date": _iso(start),
            "end_date": _iso(end) if self.rng.random() < 0.6 else None,
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

    def make_orders(self, offenders: list[int]) -> None:
        rng = self.rng
        types = ["shpo", "sro", "cawn", "dvpo", "restraining", "non_molestation"]
        cum = list(itertools.accumulate([35, 5, 10, 15, 20, 15]))
        for k in range(self.n("orders", 20)):
            kind = rng.choices(types, cum_weights=cum)[0]
            if kind == "shpo" and rng.random() < 0.75:
                subject = rng.choice(offenders)
            else:
                subject = self._adult(male=0.85)
            start = self.when(self.today - 6 * 365)
            end = {"shpo": None if rng.random() < 0.6 else start + 5 * 365,
                   "sro": start + 2 * 365, "cawn": start + 2 * 365, "dvpo": start + 28,
                   "restraining": start + rng.randint(365, 1100),
                   "non_molestation": start + rng.randint(180, 365)}[kind]
            if kind == "cawn":
                protected = [self._child(8, 17)]
            elif kind in ("shpo", "sro"):
                protected = []
            else:
                protected = [self._adult(male=0.2, housed_loud=False)]
            prohibits = kind in ("shpo", "sro") and rng.random() < 0.45
            if prohibits or kind == "cawn":
                self.restricted.add(subject)
            self.out.write("orders", {
                "order_id": f"ORD{k + 1:06d}", "person_id": self.pid(subject),
                "order_type": kind, "start_date": _iso(start),
                "end_date": _iso(end) if end else None,
                "protected_person_ids": [self.pid(p) for p in protected if p != subject],
                "prohibits_child_contact": prohibits,
                "conditions": self._CONDITIONS[rng.choice(_CONDITION_CHOICES[kind])]
                if kind != "dvpo" else None,
                "source": "visor" if kind in ("shpo", "sro") else "rms",
                "source_ref": f"CO-{k + 1:06d}"})
        self.progress("orders done")

    def make_plans(self) -> None:
        rng = self.rng
        categories = ["neglect", "emotional_abuse", "physical_abuse", "sexual_abuse", "multiple"]
        cum = list(itertools.accumulate([45, 35, 8, 4, 8]))
        for k in range(self.n("protection_plans", 25)):
            child = self._child()
            start = self.when(max(self.p_dob[child], self.today - 900))
            end = None
            if rng.random() < 0.45:
                end = start + rng.randint(90, 700)
                end = end if end < self.today else None
            self.out.write("protection_plans", {
                "plan_id": f"CPP{k + 1:06d}", "person_id": self.pid(child),
                "category": rng.choices(categories, cum_weights=cum)[0],
                "start_date": _iso(start), "end_date": _iso(end) if end else None,
                "local_authority": geo.COUNTY_COUNCIL,
                **dict(zip(("lead_professional", "lead_contact"), details.plan_lead(
                    self.extra, self.extra_names, geo.COUNTY_COUNCIL), strict=True)),
                "source": "childrens_services",
                "source_ref": f"CP-{k + 1:06d}"})
        self.progress("protection plans done")

    def make_placements(self) -> list[tuple[int, int, int]]:
        """Looked-after children (new people) and their placements; returns (child, address,
        start) of each active placement, for missing episodes."""
        rng = self.rng
        homes = [i for i, t in enumerate(self.a_type) if t == "childrens_home"]
        fosters = [i for i, t in enumerate(self.a_type) if t == "foster_home"]
        supported = [i for i, t in enumerate(self.a_type) if t == "supported_accommodation"]
        total, ooa = self.n("placements", 20), self.n("ooa_placements", 6)
        active: list[tuple[int, int, int]] = []
        k = 0
        while k < total:
            out_of_area = k < ooa
            age = rng.uniform(12, 17.8) if out_of_area else rng.uniform(1, 17.8)
            child = self._person(self._dob(age, age + 0.01), rng.random() < 0.55, -1,
                                 adult=False, may_lack_dob=False)
            moves = 2 if rng.random() < 0.1 else 1
            earliest = max(self.p_dob[child] + 30, self.today - 3 * 365)
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
                    kind, address = "kinship_foster", self._loud_address()
                elif roll < 0.9:
                    kind, address = "with_parents", self._loud_address()
                else:
                    kind, address = "other", self._loud_address()
                # An ended placement (every one but a child's last, and some last ones) starts
                # and ends by the day before yesterday, so its end is never before its start
                # and any next placement still starts before as_of; with no room left, it stays
                # open.
                ends = (repeat < moves - 1 or rng.random() < 0.22) and earliest <= self.today - 2
                start = self.when(earliest, self.today - 2 if ends else None)
                end = None
                if ends:
                    end = self.when(start, self.today - 2)
                    earliest = end + 1
                notified = None
                delay_roll = rng.random()
                if delay_roll < 0.85:
                    notified = start + rng.randint(0, 7)
                elif delay_roll < 0.89:
                    notified = start + rng.randint(8, 14)
                elif delay_roll < 0.95:
                    notified = start + rng.randint(15, 90)
                if notified is not None and notified >= self.today:
                    notified = None
                placing = rng.choice(geo.OTHER_AUTHORITIES) if out_of_area else geo.COUNTY_COUNCIL
                self.out.write("placements", {
                    "placement_id": f"PL{k:06d}", "person_id": self.pid(child),
                    "address_id": self.aid(address), "placing_authority": placing,
                    "area_authority": geo.COUNTY_COUNCIL, "placement_type": kind,
                    "legal_basis": rng.choices(["s20", "s31", "s38", "other"],
                                               cum_weights=[35, 90, 97, 100])[0],
                    "start_date": _iso(start), "end_date": _iso(end) if end else None,
                    "police_notified_date": _iso(notified) if notified else None,
                    "source": "childrens_services", "source_ref": f"LAC-{k:06d}"})
                if end is None:
                    active.append((child, address, start))
        self.progress(f"placements: {total:,}")
        return active

    # ---- incidents ---------------------------------------------------------------------------

    _SUMMARIES = {
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

    def _incident(self, k: int, kind: str, day: int, address: int | None,
                  people: list[tuple[int, str]], **extra) -> None:
        rng = self.rng
        seconds = rng.randrange(_DAY_S)
        summary = rng.choice(self._SUMMARIES[kind])
        if rng.random() < 0.05:
            summary = f"Initial account:\n{summary}\nUpdate: enquiries continue, see log."
        row = {"incident_id": f"I{k:08d}", "incident_type": kind,
               "occurred_at": _iso_dt(day, seconds),
               "address_id": self.aid(address) if address is not None else None,
               "summary": summary, "source": "rms", "source_ref": f"RMS-{k:08d}", **extra}
        if "returned_after" in extra:
            after = row.pop("returned_after")
            interview = row.pop("interview_after", None)
            if after is not None:
                row["returned_at"] = _iso_dt(day, seconds + after)
                if interview is not None and (day - self.today) * _DAY_S + seconds + after \
                        + interview < 0:  # an interview after as_of has not happened yet
                    row["return_interview_at"] = _iso_dt(day, seconds + after + interview)
        self.out.write("incidents", row)
        seen = set()
        for person, role in people:
            if (person, role) in seen or person < 0:
                continue
            seen.add((person, role))
            self.out.write("incident_people", {"incident_id": row["incident_id"],
                                               "person_id": self.pid(person), "role": role,
                                               "source": "rms", "source_ref": row["source_ref"]})

    def _would_breach(self, people: list[tuple[int, str]], other: int, day: int) -> bool:
        """Would a random extra put a child with someone an order keeps from children? The
        background leaves breaches to the few offences against children and to households."""
        if other in self.restricted:
            return any(self.is_child(p, day) for p, _ in people)
        return self.is_child(other, day) and any(p in self.restricted for p, _ in people)

    def _crime(self, k: int, day: int, open_share: float) -> dict:
        """A crime number, and a status: most investigations close within a few months."""
        age = self.today - day
        still_open = open_share * (1.0 if age < 60 else 0.35 if age < 180 else
                                   0.08 if age < 400 else 0.01)
        return {"crime_ref": f"37/{k:07d}/{date.fromordinal(day).year % 100:02d}",
                "status": "open" if self.rng.random() < still_open else "closed"}

    def make_incidents(self, active: list[tuple[int, int, int]]) -> None:
        """Missing episodes concentrated on a minority of children, domestic abuse on a minority
        of households, and the everyday rest."""
        rng = self.rng
        total = self.n("incidents", 300)
        n_missing = self.n("missing", 100)
        k = 0
        # Missing-prone children: most looked after, some teenagers living at home.
        placed = {child: (address, start) for child, address, start in active}
        pool = list(placed)
        rng.shuffle(pool)
        teens = [self._child(12, 17.5) for _ in range(max(5, round(600 * self.f)))]
        pool = pool[:max(5, round(900 * self.f))] + teens
        rng.shuffle(pool)
        weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(pool))))
        exploiters = [self._adult(male=0.9, housed_loud=False)
                      for _ in range(max(3, round(60 * self.f)))]
        hotspots = [self._street_address() for _ in range(max(3, round(40 * self.f)))]
        for _ in range(n_missing):
            child = rng.choices(pool, cum_weights=weights)[0]
            address, start = placed.get(child, (self.p_home[child], self.today - 730))
            earliest = max(start, self.p_dob[child] + 10 * 365, self.today - 730)
            day = self.when(earliest, self.today - 5) if rng.random() > 0.01 else \
                self.today - rng.randint(1, 20)
            still_missing = day > self.today - 5
            # Most return home interviews happen within 72 hours, some later; about one episode
            # in twenty-five never has one recorded (each such stays an overdue-interview flag).
            interview_roll = rng.random()
            interview = (rng.randint(4 * 3600, 70 * 3600) if interview_roll < 0.78 else
                         rng.randint(73 * 3600, 14 * _DAY_S) if interview_roll < 0.96 else None)
            found = None
            people = [(child, "missing_person")]
            if not still_missing and rng.random() < 0.45:
                found = rng.choice(hotspots) if rng.random() < 0.3 else rng.randrange(
                    len(self.a_type))
            if rng.random() < 0.08:
                people.append((rng.choice(exploiters), "found_with"))
            if rng.random() < 0.7:
                people.append((self._adult(housed_loud=False), "reporting_person"))
            k += 1
            self._incident(k, "missing", day, address if address >= 0 else None, people,
                           risk_grade=rng.choices(["no_apparent_risk", "low", "medium", "high"],
                                                  cum_weights=[5, 45, 90, 100])[0],
                           found_address_id=self.aid(found) if found is not None else None,
                           returned_after=None if still_missing else rng.randint(7200, 96 * 3600),
                           interview_after=interview)
        for _ in range(max(2, round(3_000 * self.f))):
            child = rng.choices(pool, cum_weights=weights)[0]
            day = self.when(max(self.p_dob[child] + 10 * 365, self.today - 900))
            k += 1
            self._incident(k, "cse_concern", day, rng.choice(hotspots),
                           [(child, "victim"), (rng.choice(exploiters), "suspect")],
                           **self._crime(k, day, 0.3))
        self.progress(f"missing episodes: {n_missing:,}")
        # Domestic abuse: a Zipf-like share per household, so a few see many call-outs a year.
        families = [h for h in self.households if h[2] >= 1 and not self.a_quiet[h[0]]]
        rng.shuffle(families)
        families = families[:max(5, round(12_000 * self.f))]
        fam_w = list(itertools.accumulate(1 / (rank + 5) for rank in range(len(families))))
        kinds = ["domestic_abuse", "violence", "concern_for_welfare", "other", "absent",
                 "sexual_offence", "child_neglect"]
        kind_w = list(itertools.accumulate([22, 20, 14, 35, 3, 3.5, 2.5]))
        n_people = len(self.p_dob)
        while k < total:
            k += 1
            kind = rng.choices(kinds, cum_weights=kind_w)[0]
            day = self.when(self.today - 3 * 365)
            if kind == "domestic_abuse":
                address, first, adults, kids = rng.choices(families, cum_weights=fam_w)[0]
                victim = first + (1 if adults > 1 else 0)
                suspect = first if adults > 1 else self._adult(male=0.85, housed_loud=False)
                people = [(victim, "victim"), (suspect, "suspect")]
                people += [(c, "child_present")
                           for c in range(first + adults, first + adults + kids)
                           if rng.random() < 0.6 and day > self.p_dob[c] and self.is_child(c, day)]
                grade = rng.choices(["standard", "medium", "high"], cum_weights=[62, 92, 100])[0]
                score = {"standard": rng.randint(0, 9), "medium": rng.randint(10, 13),
                         "high": rng.randint(14, 24)}[grade]
                self._incident(k, kind, day, address, people, risk_grade=grade, dash_score=score,
                               **(self._crime(k, day, 0.1) if rng.random() < 0.35 else {}))
                continue
            if kind in ("sexual_offence", "child_neglect") or (
                    kind == "violence" and rng.random() < 0.15):
                victim = self._child(3, 17.5) if kind != "sexual_offence" or rng.random() < 0.5 \
                    else self._adult(male=0.15, housed_loud=False)
                household = self.p_household[victim]
                suspect = (self.households[household][1] if kind == "child_neglect"
                           and household >= 0 else self._adult(male=0.85, housed_loud=False))
                address = self.p_home[victim] if self.p_home[victim] >= 0 else None
                self._incident(k, kind, max(day, self.p_dob[victim] + 1), address,
                               [(victim, "victim"), (suspect, "suspect")],
                               **self._crime(k, day, 0.35))
                continue
            if kind == "absent":
                child = rng.choices(pool, cum_weights=weights)[0]
                self._incident(k, kind, self.when(max(self.p_dob[child] + 10 * 365,
                                                      self.today - 700)),
                               self.p_home[child] if self.p_home[child] >= 0 else None,
                               [(child, "subject")],
                               risk_grade=rng.choice(["no_apparent_risk", "low"]))
                continue
            subject = rng.randrange(n_people)
            home = self.p_home[subject]
            address = home if home >= 0 and rng.random() < 0.6 else self._street_address()
            people = [(subject, "victim" if kind == "violence" else "subject")]
            extras = rng.choices([0, 1, 2, 3], cum_weights=[15, 55, 85, 100])[0]
            roles = ["suspect", "witness", "reporting_person"] if kind == "violence" else \
                ["witness", "reporting_person", "subject"]
            for role in roles[:extras]:
                other = rng.randrange(n_people)
                if not self._would_breach(people, other, day):
                    people.append((other, role))
            self._incident(k, kind, day, address, people,
                           **(self._crime(k, day, 0.25) if kind == "violence" else {}))
            if k % 50_000 == 0:
                self.progress(f"incidents: {k:,}")
        self.progress(f"incidents: {k:,}")

    # ---- associations ------------------------------------------------------------------------

    def make_associations(self) -> None:
        rng = self.rng
        letters = "ABCDEFGHJKLMNOPRSTUVWXY"
        vehicles = [f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(51, 74)}"
                    f"{''.join(rng.choice(letters) for _ in range(3))}"
                    for _ in range(max(5, round(9_000 * self.f)))]
        vehicles = sorted(set(vehicles))
        phone_owners = sorted(self.phones)
        n_people = len(self.p_dob)
        done: set[tuple] = set()
        total = self.n("associations", 50)
        k = 0
        while k < total:
            person = rng.randrange(n_people)
            roll = rng.random()
            if roll < 0.55:
                target_type, target = "person", self.pid(rng.randrange(n_people))
                relation = rng.choices(["associate", "seen_with", "family", "partner"],
                                       cum_weights=[40, 65, 85, 100])[0]
                if target == self.pid(person) or self._would_breach(
                        [(person, "")], int(target[1:]) - 1, self.today):
                    continue
            elif roll < 0.7:
                target_type, relation = "vehicle", "uses_vehicle"
                raw = rng.choice(vehicles)
                target = raw if rng.random() < 0.6 else f"{raw[:4]} {raw[4:]}".lower()
            elif roll < 0.85 and phone_owners:
                target_type = "phone"
                owner = rng.choice(phone_owners)
                relation = "uses_phone" if owner == person else "associate"
                target = self.phones[owner]
            else:
                target_type, relation = "address", "frequents"
                target = self.aid(rng.randrange(len(self.a_type)))
            key = (person, target_type, target.replace(" ", "").upper(), relation)
            if key in done:
                continue
            done.add(key)
            k += 1
            first = self.when(self.today - 4 * 365)
            self.out.write("associations", {
                "person_id": self.pid(person), "target_type": target_type, "target_id": target,
                "relation": relation, "first_seen": _iso(first),
                "last_seen": _iso(self.when(first)),
                "grading": rng.choice(["A1", "B2", "B2", "C3", "C2", "E4", "B3"]),
                "source": "rms", "source_ref": f"INT-{k:07d}"})
        self.progress(f"associations: {total:,}")

    def run(self) -> None:
        """Make the whole background in the order the importer applies the files."""
        people_budget = self.n("people", 100)
        self.make_addresses()
        placed_children = round(self.n("placements", 20) / 1.1)
        unhoused = round(people_budget * 0.05)
        self.make_households(people_budget - placed_children - unhoused)
        self.make_unhoused(unhoused)
        offenders = self.make_offenders()
        self.make_orders(offenders)
        self.make_plans()
        active = self.make_placements()
        self.make_incidents(active)
        self.make_associations()
