"""A synthetic county in three id spaces, with a truth file, for linkage tests and benchmarks.

`visor`, `rms` and `childrens_services` each key people their own way. A person's records vary
as they do in life (typos, short forms of names, hyphenated and changed surnames, day and month
transposed, a missing date of birth, aliases); look-alikes that are not one person (twins,
a father and son of one name, a mother and daughter at one address, common names) are planted.
`linkage_truth.json` maps every record to the person it describes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from graphsvc import dates
from graphsvc.identities.nicknames import FORMS
from graphsvc.synth.names import NameMaker
from graphsvc.synth.write import FolderWriter

TRUTH_FILE = "linkage_truth.json"
SCALES = {"small": 3_000, "county": 100_000}  # true people


@dataclass
class _Person:
    truth: str
    given: str
    family: str
    gender: str
    dob: date
    home: str  # address_id
    aliases: list[str] = field(default_factory=list)
    pnc: str | None = None


class _Maker:
    def __init__(self, rng: random.Random, as_of: date):
        self.rng = rng
        self.names = NameMaker(rng)
        self.as_of = as_of
        self.people: list[_Person] = []
        self.addresses: list[dict[str, Any]] = []
        self.postcodes: dict[str, str] = {}
        self.records: list[dict[str, Any]] = []
        self.residences: list[dict[str, Any]] = []
        self.offenders: list[dict[str, Any]] = []
        self.truth: dict[str, str] = {}
        self.lookalikes: dict[str, list[list[str]]] = {"twins": [], "father_son": [],
                                                        "mother_daughter": []}
        self._ids = {"rms": 0, "childrens_services": 0, "visor": 0, "pnc": 0}

    def address(self) -> str:
        n = len(self.addresses) + 1
        district = self.rng.randint(1, 30)
        unit = f"{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"
        postcode = f"WX{district} {self.rng.randint(1, 9)}{unit}"
        address_id = f"LA-{n:07d}"
        self.addresses.append({"address_id": address_id, "line1": f"{n} Linkage Row",
                               "town": "Wexmoor", "postcode": postcode,
                               "latitude": round(52.5 + self.rng.random() * 0.4, 6),
                               "longitude": round(0.6 + self.rng.random() * 0.9, 6),
                               "source": "rms", "source_ref": address_id})
        self.postcodes[address_id] = postcode
        return address_id

    def person(self, *, age: tuple[int, int], gender: str | None = None,
               family: str | None = None, home: str | None = None,
               given: str | None = None, dob: date | None = None) -> _Person:
        gender = gender or self.rng.choice(("female", "male"))
        dob = dob or self.as_of - timedelta(days=self.rng.randint(age[0] * 365, age[1] * 365))
        given = given or self.names.given(gender)
        family = family or self.names.family()
        person = _Person(f"T{len(self.people) + 1:07d}", given, family, gender, dob,
                         home or self.address())
        if self.rng.random() < 0.1:
            person.aliases = self.names.aliases(given, family, gender)
        self.people.append(person)
        return person

    def pnc(self, person: _Person) -> str:
        if person.pnc is None:
            self._ids["pnc"] += 1
            person.pnc = f"{person.dob.year % 100:02d}/{self._ids['pnc']:06d}X"
        return person.pnc

    # --- how one record of a person varies -------------------------------------------------

    def _typo(self, text: str) -> str:
        if len(text) < 4:
            return text
        i = self.rng.randint(1, len(text) - 2)
        kind = self.rng.random()
        if kind < 0.4:
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
        if kind < 0.7:
            return text[:i] + text[i + 1:]
        return text[:i] + self.rng.choice("aeiourstnl") + text[i + 1:]

    def _given(self, person: _Person) -> str:
        forms = FORMS.get(person.given.lower())
        if forms and self.rng.random() < 0.25:  # a short form, where the name has one
            return self.rng.choice(forms).title()
        if self.rng.random() < 0.06:
            return self._typo(person.given)
        return person.given

    def _family(self, person: _Person) -> tuple[str, list[str]]:
        roll = self.rng.random()
        if "-" in person.family and roll < 0.4:
            return self.rng.choice(person.family.split("-")), []
        if roll < 0.05:
            return self._typo(person.family), []
        if roll < 0.08 and person.gender == "female" and self.as_of.year - person.dob.year > 20:
            return self.names.family(), [f"{person.given} {person.family}"]
        return person.family, []

    def _dob(self, person: _Person) -> date | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None
        if roll < 0.06 and person.dob.day <= 12 and person.dob.day != person.dob.month:
            swapped = date(person.dob.year, person.dob.day, person.dob.month)
            return swapped if swapped <= self.as_of else person.dob
        if roll < 0.08:
            wrong = person.dob + timedelta(days=self.rng.choice((-1, 1, 10, -10)))
            return wrong if wrong <= self.as_of else person.dob  # never born in the future
        return person.dob

    def record(self, person: _Person, source: str, *, pnc: bool = False,
               exact: bool = False) -> str:
        self._ids[source] += 1
        prefix = {"rms": "RMS", "childrens_services": "CS", "visor": "VIS"}[source]
        person_id = f"{prefix}-{self._ids[source]:07d}"
        aliases: list[str]
        dob: date | None
        if exact:
            given, (family, aliases), dob = person.given, (person.family, []), person.dob
        else:
            given, (family, aliases), dob = (self._given(person), self._family(person),
                                             self._dob(person))
        self.records.append({
            "person_id": person_id, "given_name": given, "family_name": family,
            "aliases": sorted(set(person.aliases + aliases)), "date_of_birth": dob,
            "gender": person.gender if self.rng.random() > 0.02 else None,
            "pnc_id": self.pnc(person) if pnc else None, "source": source,
            "source_ref": person_id})
        home = person.home if self.rng.random() < 0.85 else self.address()
        self.residences.append({"person_id": person_id, "address_id": home,
                                "residence_type": "home",
                                "start_date": self.as_of - timedelta(days=400),
                                "source": source, "source_ref": person_id})
        self.truth[person_id] = person.truth
        return person_id


def generate_linkage_county(out: Path, *, scale: str = "small", seed: int = 15,
                            as_of: date | None = None, people: int | None = None) -> dict[str, Any]:
    """Write the county to `out` (import format plus linkage_truth.json); return counts."""
    rng = random.Random(seed)
    as_of = as_of or dates.today()
    make = _Maker(rng, as_of)
    total = people or SCALES[scale]
    while len(make.people) < total:
        roll = rng.random()
        if roll < 0.004:  # twins: one family, one birthday, one home, two children
            first = make.person(age=(2, 17))
            second_name = first.given
            while second_name == first.given:  # parents do not give twins one name
                second_name = make.names.given(first.gender)
            second = make.person(age=(2, 17), gender=first.gender, given=second_name,
                                 family=first.family, dob=first.dob, home=first.home)
            pair = [first, second]
            make.lookalikes["twins"].append([p.truth for p in pair])
        elif roll < 0.008:  # a father and a son of one name at one home
            father = make.person(age=(40, 60), gender="male")
            son = make.person(age=(18, 25), gender="male", given=father.given,
                              family=father.family, home=father.home)
            pair = [father, son]
            make.lookalikes["father_son"].append([p.truth for p in pair])
        elif roll < 0.012:  # a mother and a daughter at one home
            mother = make.person(age=(35, 55), gender="female")
            daughter = make.person(age=(10, 17), gender="female", family=mother.family,
                                   home=mother.home)
            pair = [mother, daughter]
            make.lookalikes["mother_daughter"].append([p.truth for p in pair])
        else:
            pair = [make.person(age=(0, 90))]
        for person in pair:
            _records_of(make, person)
    writer_counts = _write(out, make)
    lookalike_records = {kind: [[rid for rid, t in make.truth.items() if t in group]
                                for group in groups]
                         for kind, groups in make.lookalikes.items()}
    (out / TRUTH_FILE).write_text(json.dumps(
        {"seed": seed, "as_of": as_of.isoformat(), "records": make.truth,
         "lookalikes": lookalike_records}, indent=1, sort_keys=True), encoding="utf-8")
    return {"true_people": len(make.people), **writer_counts}


def _records_of(make: _Maker, person: _Person) -> None:
    """The records the three systems hold of one person (at least one)."""
    rng = make.rng
    child = (make.as_of - person.dob).days < 18 * 365
    made = 0
    if child and rng.random() < 0.5:  # looked after, or known to children's services
        make.record(person, "childrens_services")
        made += 1
    offender = not child and rng.random() < 0.03
    police_record = offender or (not child and rng.random() < 0.4)
    if offender:
        visor = make.record(person, "visor", pnc=rng.random() < 0.95)
        make.offenders.append({"person_id": visor, "visor_ref": visor.replace("VIS", "VR"),
                               "registered_from": make.as_of - timedelta(days=900),
                               "rosh_level": rng.choice(("low", "medium", "high")),
                               "mappa_category": "1", "source": "visor", "source_ref": visor})
        made += 1
    if made == 0 or rng.random() < (0.7 if child else 0.9):
        make.record(person, "rms", pnc=police_record and rng.random() < 0.85)


def _write(out: Path, make: _Maker) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    with FolderWriter(out) as writer:
        for row in make.addresses:
            writer.write("addresses", row)
        for row in make.records:
            writer.write("people", row)
        for row in make.residences:
            writer.write("residences", row)
        for row in make.offenders:
            writer.write("offenders", row)
        return {k: v for k, v in writer.counts.items() if v}
