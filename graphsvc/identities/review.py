"""The review queue: pairs linkage could not decide, ranked for an intelligence officer.

A pair comes first when confirming it would raise a flag: the facts of each side's records
(all records of the person it already is) are read once, and the rules' tests that joining two
people changes are asked of them without linking anything (an offender living, through the
other's records, with a child or at an address the register does not hold; a placement joined
to missing episodes). Next come pairs whose records an open flag concerns (confirming changes
or clears it), then the rest; within each, the most probable first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graphsvc import dates
from graphsvc.dates import ADULT_AGE, add_years
from graphsvc.flags import open_flags_for_entities
from graphsvc.identities.links import Link, link_from_row
from graphsvc.identities.persons import records_of_persons
from graphsvc.rules.catalogue import get_rule
from graphsvc.store.base import GraphStore

FIELDS = ("source", "source_ref", "given_name", "family_name", "aliases", "date_of_birth",
          "gender", "pnc_id")


@dataclass(frozen=True)
class FieldPair:
    name: str
    a: Any
    b: Any

    @property
    def agrees(self) -> bool | None:
        """True or False when both records hold the field; None when either lacks it."""
        if self.a in (None, "", []) or self.b in (None, "", []):
            return None
        return str(self.a).strip().lower() == str(self.b).strip().lower()


@dataclass(frozen=True)
class ReviewPair:
    link: Link
    fields: list[FieldPair]
    depends: list[str]  # what confirming would raise or change; empty when nothing
    rank: int = 2  # 0: would raise a flag, 1: would change an open flag, 2: neither

    @property
    def key(self) -> str:
        return f"{self.link.a}|{self.link.b}"


@dataclass(frozen=True)
class _Side:
    """One side of a pair as a person: all its records' facts (review_facts.cypher)."""

    records: list[dict[str, Any]]

    @property
    def ids(self) -> set[str]:
        return {r["person_id"] for r in self.records}

    def offenders(self) -> list[str]:
        return [r["person_id"] for r in self.records if r.get("offender")]

    def homes(self, types: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(types)
        return [h for r in self.records for h in r.get("homes") or []
                if h["residence_type"] in wanted]


def _would_raise(one: _Side, other: _Side, notify_since: str) -> list[str]:
    """What joining `other` to `one` would make the rules see that neither shows alone: an
    offender of `one` living (through `other`'s records) with a child or at an address the
    register does not hold, or `one`'s placement with `other`'s missing episodes."""
    reasons = []
    household = get_rule("offender_household_with_child").values()
    unnotified = get_rule("offender_unnotified_address").values()
    together = one.ids | other.ids
    for offender in one.offenders():
        held = one.homes(household["offender_residence_types"])
        held_ids = {h["address_id"] for h in held} | {h["uprn"] for h in held if h["uprn"]}
        for home in other.homes(household["offender_residence_types"]):
            children = sorted(set(home["children"]) - together)
            if children and home["address_id"] not in held_ids:
                reasons.append(f"confirming would put registered offender {offender} in the "
                               f"household of child {', '.join(children)} at "
                               f"{home['address_id']} (offender in a child's household)")
        register = {h["address_id"] for h in one.homes(unnotified["residence_types"])}
        register |= {h["uprn"] for h in one.homes(unnotified["residence_types"]) if h["uprn"]}
        for home in other.homes(unnotified["residence_types"]):
            begun = home["start_date"] is None or home["start_date"] < notify_since
            if begun and home["address_id"] not in register and home["uprn"] not in register:
                reasons.append(f"confirming would show registered offender {offender} living "
                               f"at {home['address_id']}, an address the register does not "
                               "hold (unnotified address)")
    placed = [r["person_id"] for r in one.records if r.get("placements")]
    missing = sum(r.get("missing") or 0 for r in other.records)
    if placed and missing:
        reasons.append(f"confirming would join {missing} missing episode(s) to the placement "
                       f"of {', '.join(placed)} (repeat missing child, unnotified placement)")
    return reasons


def _would_change(side: _Side, flagged: dict[str, list[str]]) -> list[str]:
    return [f"confirming would change the open flag {rule.replace('_', ' ')} about {x}"
            for x in sorted(side.ids) for rule in flagged.get(x, [])]


def review_queue(store: GraphStore, *, as_of: date | None = None,
                 limit: int = 200) -> list[ReviewPair]:
    """Pairs for review: first those whose confirmation would raise a flag, then those it
    would change (an open flag about one of the records), each group by probability."""
    day = as_of or dates.today()
    links = [link_from_row(row) for row in store.read("identities/links_for_review")]
    ids = sorted({p for x in links for p in (x.a, x.b)})
    records = {r["person_id"]: r for r in store.read("identities/records_by_id", ids=ids)}
    persons = records_of_persons(store, ids)
    every = sorted({x for p in ids for x in persons.get(p, [p])})
    facts = {r["person_id"]: r for r in store.read(
        "identities/review_facts", ids=every, as_of=day.isoformat(),
        born_after=add_years(day, -ADULT_AGE).isoformat())}
    flagged: dict[str, list[str]] = {}
    for flag in open_flags_for_entities(store, [f"person_id={p}" for p in every]):
        for key in flag.get("concerned_keys") or []:
            if key.startswith("person_id="):
                flagged.setdefault(key.split("=", 1)[1], []).append(flag["rule_id"])
    notify = get_rule("offender_unnotified_address").values()["notify_days"]
    notify_since = (day - timedelta(days=int(notify))).isoformat()

    def side(person_id: str) -> _Side:
        return _Side([facts[x] for x in persons.get(person_id, [person_id]) if x in facts])

    pairs = []
    for link in links:
        a, b = records.get(link.a, {}), records.get(link.b, {})
        left, right = side(link.a), side(link.b)
        raises = _would_raise(left, right, notify_since) + _would_raise(right, left, notify_since)
        changes = _would_change(left, flagged) + _would_change(right, flagged)
        fields = [FieldPair(name, a.get(name), b.get(name)) for name in FIELDS]
        pairs.append(ReviewPair(link, fields, sorted(set(raises)) + sorted(set(changes)),
                                rank=0 if raises else 1 if changes else 2))
    pairs.sort(key=lambda p: (p.rank, -(p.link.probability or 0.0), p.key))
    return pairs[:limit]
