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
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from graphsvc.dates import ADULT_AGE, age_on
from graphsvc.synth import details, events, register
from graphsvc.synth import places as geo
from graphsvc.synth.days import iso_day
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

        def take(source: Iterable[int], wanted: int) -> int:
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

    def _address_row(self, i: int, place: geo.Place, grid: tuple[float, float] | None
                     ) -> dict[str, Any]:
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
        uprn = str(10_023_000_000 + i * 17 + rng.randrange(17))
        row: dict[str, Any] = {
            "address_id": self.aid(i), "uprn": uprn, "line1": line1, "line2": line2,
            "town": place.name, "postcode": geo.postcode(rng, place), "address_type": kind,
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

    def person(self, dob: int, male: bool, home: int, family: str | None = None,
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
            "date_of_birth": None if dob_missing else iso_day(dob), "gender": gender,
            "pnc_id": pnc, "phone_numbers": phones,
            "warning_markers": details.person_markers(self.extra, adult), "source": "rms",
            "source_ref": f"NOM-{index + 1:08d}"})
        return index

    def dob(self, age_low: float, age_high: float) -> int:
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
                self.person(self.dob(max(18.1, age), max(18.2, age + 1)), male, address,
                             surname, household=household)
            for _ in range(kids):
                age = rng.uniform(0, min(17.9, head_age - 17))
                self.person(self.dob(age, age + 0.01), rng.random() < 0.51, address, family,
                             adult=False, household=household)
            self.households.append((address, first, adults, kids))
            for person in range(first, first + size):
                start = max(moved_in, self.p_dob[person])
                self.out.write("residences", {
                    "person_id": self.pid(person), "address_id": self.aid(address),
                    "residence_type": "home", "start_date": iso_day(start), "source": "rms",
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
            "residence_type": "home", "start_date": iso_day(began), "end_date": iso_day(start - 1),
            "source": "rms", "source_ref": f"RES-{person + 1:08d}-P"})

    def make_unhoused(self, count: int) -> None:
        """People known to police with no address in the county (visitors, no fixed abode)."""
        for _ in range(count):
            self.person(self.dob(16, 70), self.rng.random() < 0.7, -1)

    def run(self) -> None:
        """Make the whole background in the order the importer applies the files."""
        people_budget = self.n("people", 100)
        self.make_addresses()
        placed_children = round(self.n("placements", 20) / 1.1)
        unhoused = round(people_budget * 0.05)
        self.make_households(people_budget - placed_children - unhoused)
        self.make_unhoused(unhoused)
        offenders = register.make_offenders(self)
        register.make_orders(self, offenders)
        register.make_plans(self)
        active = register.make_placements(self)
        events.make_incidents(self, active)
        events.make_associations(self)
