"""Reading flags: one with its evidence, entities and history; lists; the live flags of some
entities."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from graphsvc.errors import InputError, NotFound
from graphsvc.flags.lifecycle import KEY_OF_LABEL, split_key
from graphsvc.model import (
    AWAITING_DECISION,
    FLAGGABLE,
    LIVE,
    STATUSES,
    EntityKind,
)
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# --- reading flags --------------------------------------------------------------------------


def _decode(flag: dict[str, Any]) -> dict[str, Any]:
    out = dict(flag)
    raw = out.pop("evidence_json", None)
    try:
        out["evidence"] = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        log.warning("Flag %s holds evidence that is not JSON; shown as text.", out.get("flag_id"))
        out["evidence"] = {"text": raw}
    for name in ("entity_keys", "concerned_keys", "material_keys"):
        out[name] = list(out.get(name) or [])
    out["entities"] = group_keys(out["concerned_keys"])
    return out


def group_keys(keys: Iterable[str]) -> dict[str, list[str]]:
    """`["person_id=P2", "person_id=P1", "address_id=A9"]` → `{"address_id": ["A9"],
    "person_id": ["P1", "P2"]}`."""
    grouped: dict[str, set[str]] = {}
    for key in keys:
        label_key, _, value = key.partition("=")
        grouped.setdefault(label_key, set()).add(value)
    return {k: sorted(v) for k, v in sorted(grouped.items())}


def _display_name(labels: list[str], entity: dict[str, Any]) -> str:
    if "Person" in labels:
        name = " ".join(p for p in (entity.get("given_name"), entity.get("family_name")) if p)
        return name or entity.get("person_id", "")
    if "Address" in labels:
        return ", ".join(p for p in (entity.get("line1"), entity.get("town"),
                                     entity.get("postcode")) if p) or entity.get("address_id", "")
    if "Incident" in labels:
        when = entity.get("occurred_on") or entity.get("occurred_at")
        return f"{entity.get('incident_type', 'incident')} {when or ''}".strip()
    if "Order" in labels:
        return f"{entity.get('order_type', 'order')} {entity.get('order_id', '')}".strip()
    for label in labels:
        key = KEY_OF_LABEL.get(label)
        if key and entity.get(key):
            return str(entity[key])
    return ""


def get_flag(store: GraphStore, flag_id: str) -> dict[str, Any]:
    """One flag with its evidence decoded, the entities it concerns and its full history."""
    row = store.read_one("flags/get", flag_id=flag_id)
    if row is None:
        raise NotFound(f"There is no flag {flag_id!r}.")
    flag = _decode(row["flag"])
    flag["concerned"] = [
        {"entity_key": r["entity_key"], "label_key": r["entity_key"].partition("=")[0],
         "key": r["entity_key"].partition("=")[2], "role": r["role"],
         "label": next((lb for lb in r["labels"] if lb in KEY_OF_LABEL), r["labels"][0]),
         "name": _display_name(r["labels"], r["entity"])}
        for r in store.read("flags/concerned", flag_id=flag_id)]
    flag["history"] = flag_history(store, flag_id)
    return flag


def flag_history(store: GraphStore, flag_id: str) -> list[dict[str, Any]]:
    """Every event on a flag, oldest first: who, when, from and to which status, why, what next."""
    if store.read_one("flags/get", flag_id=flag_id) is None:
        raise NotFound(f"There is no flag {flag_id!r}.")
    events = []
    for row in store.read("flags/history", flag_id=flag_id):
        event = dict(row["event"])
        event.pop("seq", None)
        events.append(event)
    return events


def list_flags(store: GraphStore, *, rule: str | None = None, status: str | None = None,
               open_only: bool = False, entity_key: str | None = None) -> list[dict[str, Any]]:
    """Flags, most severe first, filtered by rule, status, open (new/under review) and entity."""
    if status is not None and status not in STATUSES:
        raise InputError(f"Unknown flag status {status!r}: use one of {', '.join(STATUSES)}.")
    if entity_key is not None:
        split_key(entity_key)
    statuses: list[str] | None = None
    if status is not None:
        statuses = [status] if not open_only or status in AWAITING_DECISION else []
    elif open_only:
        statuses = list(AWAITING_DECISION)
    rows = store.read("flags/list", rule=rule, statuses=statuses, entity_key=entity_key)
    return [_decode(r["flag"]) for r in rows]


def open_flags_for_entities(store: GraphStore, keys: list[str], *,
                            include_actioned: bool = True) -> list[dict[str, Any]]:
    """Live flags concerning any of the given `label_key=value` keys (without their evidence:
    `get_flag` reads a whole flag), most severe first (`ordered_flags`).

    An actioned flag is included by default: its condition still holds (else the rule would
    have resolved it), so an officer going to the address needs to know of it.
    """
    return ordered_flags(flag_rows_for_entities(store, keys, include_actioned=include_actioned))


def flag_rows_for_entities(store: GraphStore, keys: list[str], *,
                           include_actioned: bool = True) -> list[dict[str, Any]]:
    """The flags of `open_flags_for_entities` as the graph returns them (a flag may come more
    than once), for `ordered_flags` to join with flags read by another statement."""
    return _flag_rows(store, "flags/for_entities", FLAGGABLE, keys, include_actioned)


# The kinds of key an address check gathers (read_facts: the address, the people living or
# placed there, their plans, placements, orders and missing episodes, the incidents there);
# flags/for_address_check reads these kinds only.
ADDRESS_CHECK_KINDS = ("person_id", "address_id", "placement_id", "plan_id", "order_id",
                       "incident_id")


def open_flags_at_address(store: GraphStore, keys: list[str]) -> list[dict[str, Any]]:
    """`open_flags_for_entities` (actioned flags included) for an address check's keys, read
    by flags/for_address_check, which skips the kinds an address check never has (each kind's
    branch costs the engine CPU on every check, even empty). A key of another kind is a
    caller's mistake: ValueError, rather than its flags left out."""
    others = sorted({k.partition("=")[0] for k in keys} - set(ADDRESS_CHECK_KINDS))
    if others:
        raise ValueError(f"flags/for_address_check reads no {', '.join(others)} keys.")
    kinds = {key: FLAGGABLE[key] for key in ADDRESS_CHECK_KINDS}
    return ordered_flags(_flag_rows(store, "flags/for_address_check", kinds, keys, True))


def _flag_rows(store: GraphStore, statement: str, kinds: Mapping[str, EntityKind],
               keys: list[str], include_actioned: bool) -> list[dict[str, Any]]:
    """The live flags of the keys, by a statement taking one list of keys per kind."""
    grouped = group_keys(k for k in keys if split_key(k))
    if not grouped:
        return []
    lists = {kind.key_list: grouped.get(key, []) for key, kind in kinds.items()}
    rows = store.read(statement, statuses=live_statuses(include_actioned), **lists)
    return [r["flag"] for r in rows]


def live_statuses(include_actioned: bool = True) -> list[str]:
    """The statuses of the flags shown beside an entity (`open_flags_for_entities`)."""
    return list(LIVE if include_actioned else AWAITING_DECISION)


def ordered_flags(flags: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flags as the graph returns them, each once, most severe first, then the latest seen,
    decoded for showing."""
    found = {f["flag_id"]: f for f in flags}  # a flag may come by two entities
    ordered = sorted(found.values(), key=lambda f: (
        {"critical": 0, "high": 1}.get(f.get("severity") or "", 2),
        -(f["last_seen"].timestamp() if f.get("last_seen") else 0.0), f["flag_id"]))
    return [_decode(f) for f in ordered]
