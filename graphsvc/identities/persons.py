"""A resolved person is every record linked with it: rule rows and keys widened to all of them.

Rules group a person's linked records by `identity_key` in Cypher where the facts of several
records must count together; here, once for every rule, each row that names a person record
(in its identity or its entities) is made to name every record of that person, with the same
role, so rows about one person merge into one flag that concerns each of its record ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphsvc.store.base import GraphStore

PERSON_KEY = "person_id"


def records_of_persons(store: GraphStore, person_ids: Iterable[str]) -> dict[str, list[str]]:
    """For each linked id among these, every record of its person, sorted (unlinked ids absent)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    return {str(r["person_id"]): sorted(str(x) for x in r["records"])
            for r in store.read("identities/records_of_persons", ids=ids)}


def _person_ids(rows: list[dict[str, Any]]) -> set[str]:
    ids = set()
    for row in rows:
        for key in row.get("identity") or []:
            label_key, _, value = str(key).partition("=")
            if label_key == PERSON_KEY and value:
                ids.add(value)
        for entity in row.get("entities") or []:
            if entity and entity.get("label_key") == PERSON_KEY and entity.get("key") is not None:
                ids.add(str(entity["key"]))
    return ids


def _widen_identity(identity: list[Any], records: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    for key in identity:
        label_key, _, value = str(key).partition("=")
        linked = records.get(value, []) if label_key == PERSON_KEY else []
        out.extend([f"{PERSON_KEY}={x}" for x in linked] or [str(key)])
    return sorted(set(out))


def _widen_entities(entities: list[dict[str, Any]], records: dict[str, list[str]]
                    ) -> list[dict[str, Any]]:
    out = []
    for entity in entities:
        if not entity:
            continue
        linked = (records.get(str(entity.get("key")), [])
                  if entity.get("label_key") == PERSON_KEY else [])
        out.extend([{**entity, "key": x} for x in linked] or [entity])
    return out


def with_linked_records(store: GraphStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, each naming every record of each person it names (same role); rows unchanged
    when no record they name is linked."""
    records = records_of_persons(store, _person_ids(rows))
    if not records:
        return rows
    return [{**row, "identity": _widen_identity(row.get("identity") or [], records),
             "entities": _widen_entities(row.get("entities") or [], records)} for row in rows]


def with_linked_keys(store: GraphStore, keys: set[str]) -> set[str]:
    """The entity keys plus `person_id=` keys of every record linked with a person among them."""
    ids = {value for label_key, _, value in (k.partition("=") for k in keys)
           if label_key == PERSON_KEY and value}
    linked = records_of_persons(store, ids)
    return keys | {f"{PERSON_KEY}={x}" for group in linked.values() for x in group}
