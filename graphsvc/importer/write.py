"""Writing validated rows: references checked against the import and the graph, then UNWIND upserts.

A batch is one statement, so it lands whole or not at all; if the engine refuses a batch, its rows
are sent one by one so that only the row the engine refuses is rejected.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from graphsvc.errors import StoreError
from graphsvc.importer.files import FileSpec
from graphsvc.importer.reader import Item
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

EXISTING = {"Person": "ingest/existing_people", "Address": "ingest/existing_addresses",
            "Incident": "ingest/existing_incidents"}
NOUN = {"Person": "a person", "Address": "an address", "Incident": "an incident"}


Reject = Callable[[Item, str, str], None]


class KnownIds:
    """Ids each label holds, in this import or already in the graph (learned as they are seen)."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.ids: dict[str, set[str]] = defaultdict(set)

    def add(self, label: str, key: str) -> None:
        self.ids[label].add(key)

    def resolve(self, wanted: dict[str, set[str]]) -> None:
        """Ask the graph about ids not yet known; remember those it holds."""
        for label, ids in wanted.items():
            unknown = [i for i in ids if i not in self.ids[label]]
            if unknown:
                found = self.store.read(EXISTING[label], ids=unknown)
                self.ids[label].update(r["id"] for r in found)

    def has(self, label: str, key: str) -> bool:
        return key in self.ids[label]


def write_batch(store: GraphStore, spec: FileSpec, batch: list[Item], known: KnownIds,
                now: str, reject: Reject, *, all_new: bool = False) -> int:
    """Check references, write the batch's rows; return how many were imported.

    `all_new`: the graph held no record of this file's label when the file began, so no row
    needs comparing with a stored one.
    """
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in batch:
        for _field, label, key in item.refs:
            if not known.has(label, key):
                wanted[label].add(key)
    if wanted:
        known.resolve(wanted)
    by_statement: dict[str, list[Item]] = defaultdict(list)
    for item in batch:
        missing = next(((f, label, k) for f, label, k in item.refs
                        if not known.has(label, k)), None)
        if missing:
            field_name, label, key = missing
            reject(item, field_name, f"'{key}' is not {NOUN[label]} in this import or in the "
                   "graph")
            continue
        by_statement[item.statement].append(item)
    imported = 0
    for name, items in by_statement.items():
        if spec.stored:
            unchanged, fresh, items = ([], items, []) if all_new else \
                _sort_by_stored(store, spec, items)
            if spec.defines:
                for item in unchanged:
                    known.add(spec.defines, item.key[0])
            imported += len(unchanged)
            if fresh:
                imported += _write(store, spec, spec.fresh or name, fresh, known, now, reject)
        if items:
            imported += _write(store, spec, name, items, known, now, reject)
    return imported


def _sort_by_stored(store: GraphStore, spec: FileSpec, items: list[Item]
                    ) -> tuple[list[Item], list[Item], list[Item]]:
    """(unchanged, new, changed) rows, by the fingerprint of the record the graph holds.

    A record's properties and the links it owns are written only by its own row, whole, in one
    statement, so a matching `row_hash` means its statement would change nothing: it is skipped.
    """
    probes = [store.encode_row({"at": at, "row_hash": item.row_hash,
                                **dict(zip(spec.key, item.key, strict=True))})
              for at, item in enumerate(items)]
    found = next(iter(store.read_encoded_rows(spec.stored, probes)), None) or {}
    same, differ = set(found.get("same") or ()), set(found.get("changed") or ())
    unchanged, fresh, changed = [], [], []
    for at, item in enumerate(items):
        (unchanged if at in same else changed if at in differ else fresh).append(item)
    return unchanged, fresh, changed


def _write(store: GraphStore, spec: FileSpec, name: str, items: list[Item], known: KnownIds,
           now: str, reject: Reject) -> int:
    try:
        store.write_encoded_rows(name, [i.encoded for i in items], now=now)
        landed = items
    except StoreError as exc:
        log.warning("%s: a batch of %d rows was refused (%s); retrying row by row",
                    spec.name, len(items), exc)
        landed = []
        for item in items:
            try:
                store.write_encoded_rows(name, [item.encoded], now=now)
                landed.append(item)
            except StoreError as row_exc:
                reject(item, "", f"the graph engine refused this row: {row_exc}")
    if spec.defines:
        for item in landed:
            known.add(spec.defines, item.key[0])
    return len(landed)
