"""Offenders near an address described from memory: every registered offender's register entry
and orders, held per process and graph, reloaded when read/address_offender_facts_version
changes (as fresh as the offenders' homes are: query.FRESHNESS).

A county has a thousand or two offenders, and an address in a town a hundred of them within the
radius: reading each one's entry and orders in the graph on every check cost the engine more
than the rest of the check. Who lives near on the day checked comes from the offenders' homes
held in memory (facts.offender_homes_near); what is said about them comes from here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graphsvc.address_check import query
from graphsvc.search.index import cached
from graphsvc.store.base import GraphStore

# What an offender nearby is described by, besides where they live and their orders.
REGISTER_FIELDS = ("given_name", "family_name", "date_of_birth", "rosh_level",
                   "mappa_category", "mappa_level", "visor_ref")
ORDER_FIELDS = ("order_id", "order_type", "end_date", "prohibits_child_contact")


def _version(store: GraphStore) -> tuple[Any, ...]:
    return tuple((store.read_one("read/address_offender_facts_version") or {}).values())


def _load(store: GraphStore) -> dict[str, dict[str, Any]]:
    return {str(r["person_id"]): r for r in store.read("read/address_offender_facts")}


def _facts(store: GraphStore, *, recheck: bool = False) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = cached(
        "address_offender_facts", store, _version, _load, recheck=recheck,
        name="Offenders' register entries", **query.FRESHNESS)
    return facts


def _active_on(order: dict[str, Any], day: date) -> bool:
    """As the graph compares: an order without a start date is not active."""
    start, end = order.get("start_date"), order.get("end_date")
    return start is not None and start <= day and (end is None or end >= day)


def describe_offenders(store: GraphStore, found: list[dict[str, Any]], day: date
                       ) -> list[dict[str, Any]]:
    """The offenders read/address_check found near (ids, homes, distances), each with their
    register entry and the orders restricting them on `day`. Someone the memory does not hold
    yet (just put on the register) has it reloaded at once; one who has left it meanwhile is
    left out."""
    if not found:
        return []
    facts = _facts(store)
    if any(str(o["person_id"]) not in facts for o in found):
        facts = _facts(store, recheck=True)
    out = []
    for o in found:
        entry = facts.get(str(o["person_id"]))
        if entry is None:
            continue
        orders = [{k: x.get(k) for k in ORDER_FIELDS} for x in entry.get("orders") or []
                  if _active_on(x, day)]
        out.append({**{k: entry.get(k) for k in REGISTER_FIELDS}, **o, "orders": orders})
    return out
