"""People at the address seen as resolved persons: the union of their linked records.

A resident known under other records (SAME_AS, grouped by identity_key) is a registered offender
when any of their records is on the register, and the orders restricting any of the records
restrict them. Open flags about any of the records are flags about someone here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc.identities.persons import PERSON_KEY, records_of_persons
from graphsvc.store.base import GraphStore

# Register fields a resident takes from a linked register record when their own is empty.
REGISTER_FIELDS = ("rosh_level", "mappa_category", "mappa_level", "visor_ref")


def _widen(person: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    out = {**person, "linked_records": [r["person_id"] for r in records]}
    orders = {o["order_id"]: o for o in person.get("restricted_by") or []}
    for record in records:
        if record.get("offender"):
            out["offender"] = True
            for field in REGISTER_FIELDS:
                if out.get(field) is None:
                    out[field] = record.get(field)
        for order in record.get("orders") or []:
            orders.setdefault(order["order_id"], order)
    if "restricted_by" in person:
        out["restricted_by"] = list(orders.values())
    return out


def with_linked_records(store: GraphStore, row: dict[str, Any], day: date
                        ) -> tuple[dict[str, Any], set[str]]:
    """The address check's row with residents widened to their linked records, and the
    `person_id=` keys of those other records (flags about them are flags about someone here)."""
    people = [p for p in (row.get("residents") or []) + (row.get("placed") or [])]
    here = {p["person_id"] for p in people}
    # only a record with an identity_key is linked to others (read/address_check gives it)
    linked = records_of_persons(store, {p["person_id"] for p in people
                                        if p.get("identity_key") is not None})
    others = sorted({x for group in linked.values() for x in group} - here)
    if not others:
        return row, set()
    read = {r["person_id"]: r for r in store.read("read/address_check_people",
                                                  person_ids=others, as_of=day)}

    def widen(p: dict[str, Any]) -> dict[str, Any]:
        records = [read[x] for x in linked.get(p["person_id"], []) if x in read]
        return _widen(p, records) if records else p

    widened = {**row, "residents": [widen(p) for p in row.get("residents") or []],
               "placed": [widen(p) for p in row.get("placed") or []]}
    return widened, {f"{PERSON_KEY}={x}" for x in others}
