"""A small random county and random change sets for it, for the incremental-equals-full test.

The county is held as import rows by key, so an update resends a record's whole row (a row is
the whole truth) and a deletion drops the record and the rows that name it. Places lie within a
few kilometres of one point, so moves cross the proximity radius; dates lie near the rules'
window edges (as_of, 90 and 180 days back, 18th birthdays).
"""

from __future__ import annotations

import random
from typing import Any

from graphsvc.changes import ChangeSet
from graphsvc.importer import import_folder
from tests.factories import write_folder
from tests.rule_data import NORWICH, ago, born

KEYS = {"people": ("person_id",), "addresses": ("address_id",),
        "residences": ("person_id", "address_id"), "offenders": ("person_id",),
        "orders": ("order_id",), "protection_plans": ("plan_id",),
        "placements": ("placement_id",), "incidents": ("incident_id",),
        "incident_people": ("incident_id", "person_id", "role"),
        "associations": ("person_id", "target_type", "target_id", "relation")}
# Tables whose records are nodes a deletion removes, with the column holding their key.
NODES = {"people": "person_id", "addresses": "address_id", "orders": "order_id",
         "protection_plans": "plan_id", "placements": "placement_id",
         "incidents": "incident_id"}
# What a change set may delete: every kind of node, and a residence link.
DELETABLE = (*sorted(NODES), "residences")
EDGE_DAYS = (-3, 0, 1, 13, 15, 89, 90, 91, 92, 179, 181, 400)
INCIDENT_TYPES = ("missing", "missing", "cse_concern", "domestic_abuse", "domestic_abuse",
                  "domestic_abuse", "sexual_offence",
                  "child_neglect")
ROLES = ("missing_person", "victim", "suspect", "found_with", "subject", "child_present")


class County:
    """Import rows by table and key, with a random source for new records and changes."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.rows: dict[str, dict[tuple, dict[str, Any]]] = {t: {} for t in KEYS}
        self.serial = 0
        # Pairs of person records known to be one person (confirmed after the first import):
        # a rule must treat them as one, in an incremental run as in a full one.
        self.same_person: list[tuple[str, str]] = []

    # --- records ---------------------------------------------------------------------------

    def put(self, table: str, **row: Any) -> dict[str, Any]:
        self.rows[table][tuple(row[k] for k in KEYS[table])] = row
        return row

    def ids(self, table: str) -> list[str]:
        return sorted(row[NODES[table]] for row in self.rows[table].values())

    def new_id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.serial:03d}"

    def point(self) -> tuple[float, float]:
        """Somewhere within about 1.4 km of the centre, so pairs fall either side of 1 km."""
        return (round(NORWICH[0] + self.rnd.uniform(-0.012, 0.012), 6),
                round(NORWICH[1] + self.rnd.uniform(-0.02, 0.02), 6))

    def day(self) -> str:
        return ago(self.rnd.choice(EDGE_DAYS))

    def person(self) -> dict[str, Any]:
        age = self.rnd.choice((10, 14, 17, 18, 19, 35, 50))
        return self.put("people", person_id=self.new_id("P"), given_name="Sam",
                        family_name="Test", date_of_birth=born(age, extra_days=self.rnd.choice(
                            (-1, 0, 1, 30))))

    def address(self) -> dict[str, Any]:
        lat, lon = self.point()
        kind = self.rnd.choice(("private", "private", "childrens_home", "foster_home"))
        return self.put("addresses", address_id=self.new_id("A"), latitude=lat, longitude=lon,
                        address_type=kind)

    def link(self, table: str) -> dict[str, Any] | None:
        """A new record of a linking table between existing people and addresses."""
        people, places = self.ids("people"), self.ids("addresses")
        if not people or not places:
            return None
        pid, aid = self.rnd.choice(people), self.rnd.choice(places)
        end = self.rnd.choice((None, None, self.day()))
        if table == "residences":
            return self.put(table, person_id=pid, address_id=aid, start_date=ago(700),
                            end_date=end, residence_type="home")
        if table == "offenders":
            return self.put(table, person_id=pid, registered_from=ago(900),
                            registered_until=end, mappa_category="1",
                            rosh_level=self.rnd.choice(("medium", "high", "high", "very_high")))
        if table == "orders":
            return self.put(table, order_id=self.new_id("O"), person_id=pid,
                            order_type=self.rnd.choice(("shpo", "sro", "restraining")),
                            start_date=self.day(), end_date=end,
                            prohibits_child_contact=self.rnd.random() < 0.7)
        if table == "protection_plans":
            return self.put(table, plan_id=self.new_id("CP"), person_id=pid,
                            category="neglect", start_date=self.day(), end_date=end)
        if table == "placements":
            out = self.rnd.random() < 0.8
            return self.put(table, placement_id=self.new_id("PL"), person_id=pid,
                            address_id=aid, placing_authority="Camden" if out else "Norfolk",
                            area_authority="Norfolk", placement_type="childrens_home",
                            start_date=self.day(), end_date=end,
                            police_notified_date=self.rnd.choice((None, self.day())))
        if table == "incidents":
            iid = self.new_id("I")  # at a few addresses, so that incidents repeat there
            self.put(table, incident_id=iid, incident_type=self.rnd.choice(INCIDENT_TYPES),
                     occurred_at=f"{self.day()}T21:30:00", address_id=self.rnd.choice(places[:4]),
                     status=self.rnd.choice(("open", "closed")), **self._grading())
            self.put("incident_people", incident_id=iid, person_id=pid,
                     role=self.rnd.choice(ROLES))
            return self.rows[table][(iid,)]
        if table == "incident_people":
            incidents = self.ids("incidents")
            return self.put(table, incident_id=self.rnd.choice(incidents), person_id=pid,
                            role=self.rnd.choice(ROLES)) if incidents else None
        if table == "associations":
            other = self.rnd.choice(people)
            return None if other == pid else self.put(
                table, person_id=pid, target_type="person", target_id=other,
                relation="associate", first_seen=self.day())
        raise ValueError(table)

    def _grading(self) -> dict[str, Any]:
        """A risk grade, and for a missing episode a return with or without an interview."""
        back = self.rnd.choice((None, self.day()))
        return {"risk_grade": self.rnd.choice((None, "standard", "medium", "high")),
                "returned_at": back and f"{back}T08:00:00",
                "return_interview_at": self.rnd.choice((None, back and f"{back}T20:00:00"))}

    def hub(self, children: int = 4) -> None:
        """An adult found with several missing children, at one place or another: the
        shared-link rule's hubs (an adult, a found-at address), which random links rarely make."""
        adult = self.put("people", person_id=self.new_id("P"), given_name="Sam",
                         family_name="Test",
                         date_of_birth=born(self.rnd.choice((19, 35, 50))))["person_id"]
        places = self.ids("addresses")
        for _ in range(children):
            child = self.put("people", person_id=self.new_id("P"), given_name="Sam",
                             family_name="Test",
                             date_of_birth=born(self.rnd.choice((10, 14, 17))))["person_id"]
            iid = self.new_id("I")
            self.put("incidents", incident_id=iid, incident_type="missing",
                     occurred_at=f"{self.day()}T21:30:00", address_id=self.rnd.choice(places[:4]),
                     status="closed", found_address_id=self.rnd.choice((None, places[0])),
                     **self._grading())
            self.put("incident_people", incident_id=iid, person_id=child, role="missing_person")
            self.put("incident_people", incident_id=iid, person_id=adult, role="found_with")

    def build(self, people: int = 24, addresses: int = 14) -> None:
        for _ in range(people):
            self.person()
        for _ in range(addresses):
            self.address()
        for table, count in (("residences", 20), ("offenders", 8), ("orders", 4),
                             ("protection_plans", 4), ("placements", 14), ("incidents", 24),
                             ("associations", 6)):
            for _ in range(count):
                self.link(table)
        self.hub()
        # One of each pair is someone the rules start from: an offender, an order's subject, a
        # placed child (the register, the records system and children's services each hold
        # their own record of a person); the other is anyone.
        taken: set[str] = set()
        for table in ("offenders", "orders", "placements"):
            held = sorted({r["person_id"] for r in self.rows[table].values()} - taken)
            if held:
                first = self.rnd.choice(held)
                second = self.rnd.choice(sorted(set(self.ids("people")) - taken - {first}))
                self.same_person.append((first, second))
                taken.update((first, second))

    # --- changes ---------------------------------------------------------------------------

    def change(self) -> tuple[dict[str, list[dict]], list[tuple[str, str]]]:
        """One random change set: rows to (re)import, and deletions as (kind, key)."""
        upserts: dict[str, dict[tuple, dict]] = {}
        deletions: list[tuple[str, str]] = []
        for _ in range(self.rnd.randint(1, 4)):
            action = self.rnd.choice(("insert", "update", "update", "delete"))
            table = self.rnd.choice(sorted(KEYS) if action != "delete" else DELETABLE)
            if action == "insert":
                row = (self.person() if table == "people" else self.address()
                       if table == "addresses" else self.link(table))
            elif action == "update" and self.rows[table]:
                row = self._update(table)
            elif action == "delete" and self.rows[table]:
                deletions.append(self._delete(table))
                continue
            else:
                continue
            if row is not None:
                upserts.setdefault(table, {})[tuple(row[k] for k in KEYS[table])] = row
                if table == "incidents":
                    for key, link in self.rows["incident_people"].items():
                        if key[0] == row["incident_id"]:
                            upserts.setdefault("incident_people", {})[key] = link
        return {t: list(rows.values()) for t, rows in upserts.items()}, deletions

    def _update(self, table: str) -> dict[str, Any]:
        row = self.rows[table][self.rnd.choice(sorted(self.rows[table]))]
        if table == "addresses":
            row["latitude"], row["longitude"] = self.point()
        elif table == "people":
            row["date_of_birth"] = born(self.rnd.choice((14, 17, 18, 40)),
                                        extra_days=self.rnd.choice((-1, 0, 1)))
        elif table == "offenders":
            row["rosh_level"] = self.rnd.choice(("medium", "high", "very_high"))
            row["registered_until"] = self.rnd.choice((None, self.day()))
        elif table == "incidents":
            row["occurred_at"] = f"{self.day()}T21:30:00"
            row["incident_type"] = self.rnd.choice(INCIDENT_TYPES)
            row.update(self._grading())
        elif table == "placements":
            row["end_date"] = self.rnd.choice((None, self.day()))
            row["address_id"] = self.rnd.choice(self.ids("addresses"))
            row["placing_authority"] = self.rnd.choice(("Camden", "Norfolk"))
        elif "end_date" in row:
            row["end_date"] = self.rnd.choice((None, self.day()))
        elif table == "associations":
            row["first_seen"] = self.day()
        return row

    def _delete(self, table: str) -> tuple[str, str]:
        linked = {x for pair in self.same_person for x in pair}  # links are a review's to undo
        key = self.rnd.choice(sorted(k for k in self.rows[table]
                                     if table != "people" or k[0] not in linked))
        row = self.rows[table].pop(key)
        if table not in NODES:  # a residence
            return table, "|".join(str(k) for k in key)
        gone = row[NODES[table]]
        for other in KEYS:  # rows naming the deleted record go with it
            for k, r in list(self.rows[other].items()):
                if gone in (r.get(c) for c in ("person_id", "address_id", "incident_id",
                                               "target_id")):
                    del self.rows[other][k]
        return table, gone


def apply_change(store, settings, folder, upserts: dict[str, list[dict]],
                 deletions: list[tuple[str, str]]) -> ChangeSet:
    """Apply one change set to the graph; return what an incremental run is told changed."""
    changed = ChangeSet()
    for table, key in deletions:
        if table in NODES:
            found = store.read_one("tests_incremental/neighbours", key=key)
            if found:
                changed.add(NODES[table], key)
                for n in found["neighbours"]:
                    if n["key"]:
                        changed.add_label(n["labels"][0], n["key"])
                store.write("tests_incremental/delete_node", key=key)
        else:  # a residence: both ends changed
            person_id, address_id = key.split("|")
            changed.add("person_id", person_id)
            changed.add("address_id", address_id)
            store.write("tests_incremental/delete_residences", person_id=person_id,
                        address_id=address_id)
    if upserts:
        write_folder(folder, upserts)
        import_folder(store, folder, settings=settings, changed=changed)
    return changed
