"""Flags found by the keys they concern: an incremental rule run reads only the standing flags
its change can meet (`flags_meeting`), by index, instead of every flag of the rule.

Each flag is linked (KEYED) to one FlagKey node per concerned key (`label_key=value`, its
identity keys among them), written with its CONCERNS links when they change (`write_keys`).
Keys are strings, not the records themselves: a deleted record takes its CONCERNS links with
it, and a person hub is named by its identity key; the flags that concerned either must still
be found. Flags stored before keys existed are keyed once, by the first run that reads them
(`ensure_keyed`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from graphsvc.store.base import GraphStore


def ensure_keyed(store: GraphStore, batch_size: int = 5000) -> None:
    """Key every flag of the graph once (the flags stored before keys existed)."""
    if (store.read_one("flags/keys_built") or {}).get("built"):
        return
    store.apply_schema()  # the FlagKey key index the keyed writes and reads use
    write_keys(store, store.read("flags/keys_all"), batch_size=batch_size)
    store.write("flags/keys_mark_built")


def write_keys(store: GraphStore, rows: list[dict[str, Any]], *, batch_size: int = 5000,
               raised: Collection[str] = ()) -> None:
    """Link each flag (row: flag_id, concerned_keys) to its keys, and only to them. The flags
    in `raised` were created by the run that writes their keys now, so they have no other
    links, and none is looked for to remove."""
    rows = [{"flag_id": r["flag_id"], "concerned_keys": list(r.get("concerned_keys") or [])}
            for r in rows]
    store.write_rows("flags/keys_set", rows, batch_size=batch_size)
    store.write_rows("flags/keys_prune", [r for r in rows if r["flag_id"] not in raised],
                     batch_size=batch_size)


def flags_meeting(store: GraphStore, rule_id: str, keys: Iterable[str]
                  ) -> dict[str, dict[str, Any]]:
    """The rule's flags (any status) whose identity or concerned keys include one of `keys`,
    keyed by flag_id, with what flags/by_rule returns for each but their concerned and material
    keys (`material_of` reads those of the flags whose content changed)."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    return {r["flag_id"]: r for r in store.read("flags/by_keys", rule_id=rule_id, keys=wanted)}


def material_of(store: GraphStore, flag_ids: list[str]) -> dict[str, list[str]]:
    """The material keys of these flags, by flag_id."""
    return {r["flag_id"]: list(r["material_keys"] or [])
            for r in store.read("flags/material_of", flag_ids=sorted(set(flag_ids)))}
