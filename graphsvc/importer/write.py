"""Writing validated rows: references checked against the import and the graph, then UNWIND upserts.

A batch is one statement, so it lands whole or not at all; if the engine refuses a batch, its rows
are sent one by one so that only the row the engine refuses is rejected.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from graphsvc import model
from graphsvc.changes import ChangeSet
from graphsvc.errors import StoreError
from graphsvc.importer.files import FileSpec
from graphsvc.importer.reader import Batch
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

EXISTING = {"Person": "ingest/existing_people", "Address": "ingest/existing_addresses",
            "Incident": "ingest/existing_incidents"}
NOUN = {"Person": "a person", "Address": "an address", "Incident": "an incident"}


# (line, field, reason, raw row): a row the writer rejects, for the report.
Reject = Callable[[int, str, str, "str | tuple[Any, ...]"], None]


class KnownIds:
    """Ids each label holds, in this import or already in the graph (learned as they are seen)."""

    def __init__(self, store: GraphStore, to_label: set[str] | None = None):
        self.store = store
        self.ids: dict[str, set[str]] = defaultdict(set)
        # Keys of records a later file will label (the people offenders.csv lists).
        self.to_label = to_label or set()

    def resolve(self, wanted: dict[str, set[str]]) -> bool:
        """Ask the graph about ids not yet known, remember those it holds; True if all are."""
        complete = True
        for label, ids in wanted.items():
            unknown = [i for i in ids if i not in self.ids[label]]
            if unknown:
                found = self.store.read(EXISTING[label], ids=unknown)
                self.ids[label].update(r["id"] for r in found)
                complete = complete and len(found) == len(unknown)
        return complete


def write_batch(store: GraphStore, spec: FileSpec, batch: Batch, known: KnownIds, now: str,
                reject: Reject, *, all_new: bool = False, changed: ChangeSet | None = None
                ) -> int:
    """Check references, write the batch's rows; return how many were imported.

    `all_new`: the graph held no record of this file's label (or no link of its `link_type`)
    when the file began, so no row needs comparing with a stored one. `changed` collects the
    keys of the rows written (new or changed) and of the records they name, for an incremental
    rule run.
    """
    ids = known.ids
    wanted: dict[str, set[str]] = defaultdict(set)
    for refs in batch.refs:
        for _field, label, key in refs:
            if key not in ids[label]:
                wanted[label].add(key)
    rows: list[int] | range = range(len(batch))
    if wanted and not known.resolve(wanted):
        rows = [row for row in rows if _refers_to_known(batch, row, ids, reject)]
    if len(set(batch.statements)) == 1:
        by_statement = {batch.statements[0]: list(rows)}
    else:
        by_statement = defaultdict(list)
        for row in rows:
            by_statement[batch.statements[row]].append(row)
    imported = 0
    for name, chosen in by_statement.items():
        if spec.stored:
            unchanged, fresh, chosen = ([], chosen, []) if all_new else \
                _sort_by_stored(store, spec, batch, chosen)
            if spec.defines:
                ids[spec.defines].update(batch.keys[row][0] for row in unchanged)
            imported += len(unchanged)
            if fresh and spec.fresh_labelled and known.to_label:
                labelled = [row for row in fresh if batch.keys[row][0] in known.to_label]
                fresh = [row for row in fresh if batch.keys[row][0] not in known.to_label]
                if labelled:
                    imported += _write(store, spec, spec.fresh_labelled, batch, labelled, known,
                                       now, reject, changed)
            if fresh:
                imported += _write(store, spec, spec.fresh or name, batch, fresh, known, now,
                                   reject, changed)
        if chosen and changed is not None and not all_new:
            _note_left(store, spec, batch, chosen, changed)
        if chosen:
            statement = spec.fresh if all_new and spec.link_type else name
            imported += _write(store, spec, statement, batch, chosen, known, now, reject,
                               changed)
    return imported


def _refers_to_known(batch: Batch, row: int, ids: dict[str, set[str]], reject: Reject) -> bool:
    for field_name, label, key in batch.refs[row]:
        if key not in ids[label]:
            reject(batch.lines[row], field_name,
                   f"'{key}' is not {NOUN[label]} in this import or in the graph", batch.raws[row])
            return False
    return True


def _sort_by_stored(store: GraphStore, spec: FileSpec, batch: Batch, rows: list[int]
                    ) -> tuple[list[int], list[int], list[int]]:
    """(unchanged, new, changed) rows, by the fingerprint of the record the graph holds.

    A record's properties and the links it owns are written only by its own row, whole, in one
    statement, so a matching `row_hash` means its statement would change nothing: it is skipped.
    """
    probes = store.encode_rows([{"at": at, "row_hash": batch.hashes[row],
                                 **dict(zip(spec.key, batch.keys[row], strict=True))}
                                for at, row in enumerate(rows)])
    found = next(iter(store.read_encoded_rows(spec.stored, probes)), None) or {}
    same, differ = set(found.get("same") or ()), set(found.get("changed") or ())
    unchanged: list[int] = []
    fresh: list[int] = []
    changed: list[int] = []
    for at, row in enumerate(rows):
        (unchanged if at in same else changed if at in differ else fresh).append(row)
    return unchanged, fresh, changed


def _write(store: GraphStore, spec: FileSpec, name: str, batch: Batch, rows: list[int],
           known: KnownIds, now: str, reject: Reject, changed: ChangeSet | None) -> int:
    encoded = batch.encoded
    try:
        store.write_encoded_rows(name, [encoded[row] for row in rows], now=now)
        landed = rows
    except StoreError as exc:
        log.warning("%s: a batch of %d rows was refused (%s); retrying row by row",
                    spec.name, len(rows), exc)
        landed = []
        for row in rows:
            try:
                store.write_encoded_rows(name, [encoded[row]], now=now)
                landed.append(row)
            except StoreError as row_exc:
                reject(batch.lines[row], "", f"the graph engine refused this row: {row_exc}",
                       batch.raws[row])
    if spec.defines:
        known.ids[spec.defines].update(batch.keys[row][0] for row in landed)
    if changed is not None:
        _note_changed(changed, spec, batch, landed)
    return len(landed)


def _note_left(store: GraphStore, spec: FileSpec, batch: Batch, rows: list[int],
               changed: ChangeSet) -> None:
    """The records that rows about to be rewritten link to now, as changed: a row that moves its
    record (a placement to another address) changes the record it leaves as well."""
    labels = sorted({label for _column, label in spec.refs})
    kind = model.KIND_OF_KEY.get(spec.key[0]) if len(spec.key) == 1 else None
    if not labels or kind is None:
        return
    for found in store.read(f"ingest/neighbours_{kind}", keys=[batch.keys[row][0] for row in rows],
                            labels=labels):
        label = str(found["label"])
        key_name = model.KINDS[model.KIND_OF_LABEL[label]].key
        changed.add_label(label, (found.get("props") or {}).get(key_name), named=True,
                          by=spec.key[0])


def _note_changed(changed: ChangeSet, spec: FileSpec, batch: Batch, rows: list[int]) -> None:
    """The written rows' own keys and the records they name, as changed (a set per kind,
    filled a column at a time: a call per key cost a sixth of the writer's time). A row keyed
    by one column writes that record; a row keyed by several (a residence, an incident's
    person) is a link, which only names its ends."""
    keys = batch.keys
    link = len(spec.key) > 1
    by = None if link else spec.key[0]
    for at, name in enumerate(spec.key):
        changed.add_all(name, [keys[row][at] for row in rows], named=link)
    named: dict[str, set[str]] = defaultdict(set)
    refs = batch.refs
    for row in rows:
        for _field, label, key in refs[row]:
            named[label].add(key)
    for label, named_keys in named.items():
        changed.add_all_of_label(label, named_keys, named=True, by=by)
