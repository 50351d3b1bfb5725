"""The review queue: pairs linkage could not decide, ranked for an intelligence officer.

A pair comes first when a decision on it could raise or clear a flag: one of its records is
concerned by a live flag, is a registered offender, or is a child. Within that, the most
probable pairs come first. Each pair is shown field by field, agreeing or differing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graphsvc import dates
from graphsvc.dates import ADULT_AGE, add_years
from graphsvc.flags import open_flags_for_entities
from graphsvc.identities.links import Link, link_from_row
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
    depends: list[str]  # why a decision matters (flags, offender, child); empty when nothing

    @property
    def key(self) -> str:
        return f"{self.link.a}|{self.link.b}"


def _depends(record: dict[str, Any], flagged: dict[str, list[str]], born_after: date) -> list[str]:
    reasons = [f"{record['person_id']} is concerned by {rule.replace('_', ' ')}"
               for rule in flagged.get(record["person_id"], [])]
    if record.get("offender"):
        reasons.append(f"{record['person_id']} is a registered offender")
    dob = record.get("date_of_birth")
    if isinstance(dob, date) and dob > born_after:
        reasons.append(f"{record['person_id']} is a child")
    return reasons


def review_queue(store: GraphStore, *, as_of: date | None = None,
                 limit: int = 200) -> list[ReviewPair]:
    """Pairs for review, those a decision could flag or clear first, then by probability."""
    links = [link_from_row(row) for row in store.read("identities/links_for_review")]
    ids = sorted({p for x in links for p in (x.a, x.b)})
    records = {r["person_id"]: r for r in store.read("identities/records_by_id", ids=ids)}
    flagged: dict[str, list[str]] = {}
    for flag in open_flags_for_entities(store, [f"person_id={p}" for p in ids]):
        for key in flag.get("concerned_keys") or []:
            if key.startswith("person_id="):
                flagged.setdefault(key.split("=", 1)[1], []).append(flag["rule_id"])
    born_after = add_years(as_of or dates.today(), -ADULT_AGE)
    pairs = []
    for link in links:
        a, b = records.get(link.a, {}), records.get(link.b, {})
        depends = []
        for record in (a, b):
            if record:
                depends += _depends(record, flagged, born_after)
        fields = [FieldPair(name, a.get(name), b.get(name)) for name in FIELDS]
        pairs.append(ReviewPair(link, fields, sorted(set(depends))))
    pairs.sort(key=lambda p: (not p.depends, -(p.link.probability or 0.0), p.key))
    return pairs[:limit]
