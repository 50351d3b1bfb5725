"""A flag's identity and its lifecycle under rule runs: what a run found, what that changes
(raise, refresh, resolve, reopen) and the write of those changes."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graphsvc.errors import InputError
from graphsvc.flags.keys import write_keys
from graphsvc.model import (
    CLOSED,
    FLAGGABLE,
    REOPEN,
    SEVERITIES,
    entity_key,
)
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

KEY_OF_LABEL = {kind.label: key for key, kind in FLAGGABLE.items()}
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
SYSTEM_USER = "rules"


def split_key(key: str) -> tuple[str, str]:
    """(`label_key`, value) of `label_key=value`; InputError when it is not that shape."""
    label_key, sep, value = key.partition("=")
    if not sep or label_key not in FLAGGABLE or not value:
        raise InputError(f"{key!r} is not an entity key: write it as name=value where name is "
                         f"one of {', '.join(FLAGGABLE)} (e.g. person_id=P1).")
    return label_key, value


def flag_id(rule_id: str, keys: Iterable[str]) -> str:
    """`<rule_id>:` + 16 hex digits of sha256 over the sorted `label_key=value` identity keys."""
    text = "\n".join(sorted(set(keys)))
    return f"{rule_id}:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


# --- what a rule run found, and what it changes ---------------------------------------------


@dataclass
class Found:
    """One concern a rule returned, merged by flag identity."""

    rule_id: str
    identity: list[str]
    entities: list[dict[str, str]]  # {label_key, key, role}
    severity: str
    summary: str
    evidence: dict[str, Any]
    material: list[str]

    @property
    def flag_id(self) -> str:
        return flag_id(self.rule_id, self.identity)

    @property
    def concerns_hash(self) -> str:
        """Fingerprint of the entities and roles, so unchanged CONCERNS links are not rewritten."""
        text = "\n".join(sorted(f"{e['label_key']}={e['key']}|{e['role']}"
                                for e in self.entities))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def concerned_keys(self) -> list[str]:
        return sorted({entity_key(e["label_key"], e["key"]) for e in self.entities}
                      | set(self.identity))


def found_from_rows(rule_id: str, rows: list[dict[str, Any]]) -> list[Found]:
    """Rule rows as Found concerns; rows with the same identity merge (worst severity wins), in
    one order whatever order the engine returned them in (so a flag's summary and evidence do
    not depend on the plan: an incremental run and a full run agree)."""
    grouped: dict[str, list[Found]] = {}
    for row in rows:
        found = _found(rule_id, row)
        grouped.setdefault(found.flag_id, []).append(found)
    out = []
    for group in grouped.values():
        if len(group) > 1:
            group.sort(key=lambda f: (f.summary, json.dumps(f.evidence, sort_keys=True,
                                                            default=str), f.severity))
        first = group[0]
        for found in group[1:]:
            _merge(first, found)
        first.entities = sorted({tuple(sorted(e.items())): e for e in first.entities}.values(),
                                key=lambda e: (e["label_key"], e["key"], e["role"]))
        out.append(first)
    return out


def _found(rule_id: str, row: dict[str, Any]) -> Found:
    """One rule row as a Found concern (InputError for a row without identity or with an
    unknown severity)."""
    identity = sorted({str(k) for k in row.get("identity") or []})
    if not identity:
        raise InputError(f"Rule {rule_id} returned a row without identity entities.")
    for key in identity:
        split_key(key)
    severity = row.get("severity")
    if severity not in SEVERITIES:
        raise InputError(f"Rule {rule_id} returned severity {severity!r}; expected one of "
                         f"{', '.join(SEVERITIES)}.")
    entities = [{"label_key": str(e["label_key"]), "key": str(e["key"]), "role": str(e["role"])}
                for e in row.get("entities") or [] if e and e.get("key") is not None]
    return Found(rule_id, identity, entities, severity, str(row.get("summary") or ""),
                 dict(row.get("evidence") or {}),
                 sorted({str(m) for m in row.get("material") or [] if m is not None}))


def _merge(earlier: Found, found: Found) -> None:
    """Merge a row of the same identity into the concern found first."""
    if _SEVERITY_RANK[found.severity] > _SEVERITY_RANK[earlier.severity]:
        earlier.severity, earlier.summary = found.severity, found.summary
        earlier.evidence = {**earlier.evidence, **found.evidence}
    else:  # e.g. the two parts of unnotified_placement for one child and address
        earlier.evidence = {**found.evidence, **earlier.evidence}
        if found.summary and found.summary not in earlier.summary:
            earlier.summary = f"{earlier.summary} {found.summary}".strip()
    earlier.entities += [e for e in found.entities if e not in earlier.entities]
    earlier.material = sorted(set(earlier.material) | set(found.material))


@dataclass
class Changes:
    """What one rule run does to the flags: rows for the upsert and resolve statements."""

    upserts: list[dict[str, Any]] = field(default_factory=list)
    # Flags found again exactly as they are stored (same content hash, no event): only their
    # last sighting is written (`flags/touch`), not their evidence and links again.
    touched: list[dict[str, Any]] = field(default_factory=list)
    resolves: list[dict[str, Any]] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    resolved: int = 0
    reopened: int = 0


def plan_changes(existing: dict[str, dict[str, Any]], found: list[Found],
                 material_of: Callable[[list[str]], dict[str, list[str]]] | None = None
                 ) -> Changes:
    """Decide, for every flag found or previously raised, what this run does to it.

    New identity → raised (`new`). Resolved flag that holds again → back to `new` (`reopened`).
    Closed flag whose material items gain an element or whose severity rises → `model.REOPEN`
    (`reopened`). Open flag whose material items grow → same status (`evidence_changed`).
    Previously raised flag not found → `resolved`. An updated flag whose content (severity,
    summary, evidence, keys, entities) is what the graph holds already is only touched.
    `existing` flags without `material_keys` get theirs from `material_of(flag_ids)`, asked
    once, for the flags found with other content only.
    """
    changes = Changes()
    seen = set()
    built = []
    for item in found:
        fid = item.flag_id
        seen.add(fid)
        before = existing.get(fid)
        row = {"flag_id": fid, "rule_id": item.rule_id, "severity": item.severity,
               "summary": item.summary,
               "evidence_json": json.dumps(item.evidence, sort_keys=True, default=str),
               "entity_keys": item.identity, "concerned_keys": item.concerned_keys,
               "material_keys": item.material, "concerns_hash": item.concerns_hash,
               "relink": before is None or before.get("concerns_hash") != item.concerns_hash,
               "status": "new", "status_changed": False,
               "event_kind": None, "from_status": None, "reason": None}
        row["content_hash"] = _content_hash(row)
        built.append((item, row, before))
    # A standing flag read without its material items (flags/by_keys: a hub's list is long)
    # needs them only when its content changed (the content hash covers them).
    missing = {item.flag_id for item, row, before in built if before is not None
               and "material_keys" not in before
               and before.get("content_hash") != row["content_hash"]}
    material: dict[str, list[str]] = {}
    if missing:
        if material_of is None:
            raise ValueError("Standing flags were read without their material items, and "
                             "nothing was given to read them.")
        material = material_of(sorted(missing))
    for item, row, before in built:
        fid = item.flag_id
        if before is not None and "material_keys" not in before:
            before = {**before, "material_keys": material.get(fid, [])
                      if fid in missing else item.material}
        if before is None:
            row.update(status_changed=True, event_kind="raised",
                       reason=item.summary or "Raised by the rule.")
            changes.new += 1
        else:
            status = before.get("status") or "new"
            grown = sorted(set(item.material) - set(before.get("material_keys") or []))
            escalated = (_SEVERITY_RANK.get(item.severity, 0)
                         > _SEVERITY_RANK.get(before.get("severity") or "medium", 0))
            what = _describe_growth(grown, escalated, before.get("severity"), item.severity)
            if status == "resolved":
                row.update(status="new", status_changed=True, event_kind="reopened",
                           from_status=status, reason="The condition holds again. " + what)
                changes.reopened += 1
            elif status in CLOSED and (grown or escalated):
                row.update(status=REOPEN, status_changed=True, event_kind="reopened",
                           from_status=status, reason="The evidence changed materially: " + what)
                changes.reopened += 1
            else:
                row["status"] = status
                if grown or escalated:
                    row.update(event_kind="evidence_changed", from_status=status,
                               reason="The evidence changed materially: " + what)
                changes.updated += 1
                if not row["event_kind"] and before.get("content_hash") == row["content_hash"]:
                    changes.touched.append({"flag_id": fid})
                    continue
        if row["event_kind"]:
            row.update(event_id=uuid.uuid4().hex, seq=time.time_ns())
        else:
            row.update(event_id=None, seq=None)
        changes.upserts.append(row)
    for fid, before in sorted(existing.items()):
        if fid in seen or before.get("status") == "resolved":
            continue
        changes.resolves.append({"flag_id": fid, "event_id": uuid.uuid4().hex,
                                 "seq": time.time_ns(),
                                 "reason": "The rule's condition no longer holds."})
        changes.resolved += 1
    return changes


def _content_hash(row: dict[str, Any]) -> str:
    """Fingerprint of what an upsert would write of a flag's content (not its status). Lists
    are compared as sets of items: an engine collects rows in any order, and the same children
    listed in another order are the same evidence (the flag keeps the order it was written in)."""
    content = [row[k] for k in ("rule_id", "severity", "summary", "entity_keys",
                                "concerned_keys", "material_keys", "concerns_hash")]
    content.append(json.loads(row["evidence_json"]))
    return hashlib.sha256(_in_any_order(content).encode("utf-8")).hexdigest()[:16]


_text = json.JSONEncoder(default=str).encode  # one value that holds no list or map


def _in_any_order(value: Any) -> str:
    """The value's JSON text (as `json.dumps(value, sort_keys=True, default=str)` writes it),
    with every list inside it in the order of its items' texts: written in one pass, each
    item's text made once (sorting by each item's dumped text, level by level, was most of an
    incremental run's comparison: a hub's children, a proximity flag's pairs)."""
    kind = value.__class__
    if kind is str:
        return _string(value)
    if kind is dict:
        return "{" + ", ".join([_string(k) + ": " + _in_any_order(value[k])
                                for k in sorted(value)]) + "}"
    if kind is list or kind is tuple:
        return "[" + ", ".join(sorted([_in_any_order(v) for v in value])) + "]"
    return _text(value)


_string = json.encoder.encode_basestring_ascii


def _describe_growth(grown: list[str], escalated: bool, before: str | None, now: str) -> str:
    parts = []
    if grown:
        parts.append("new " + ", ".join(grown))
    if escalated:
        parts.append(f"severity rose from {before} to {now}")
    return ("; ".join(parts) + ".") if parts else "Nothing new since it was last seen."


def apply_changes(store: GraphStore, changes: Changes, found: list[Found], *, as_of: date,
                  at: datetime, run_id: str, by: str = SYSTEM_USER, batch_size: int = 5000) -> None:
    """Write one run's changes in UNWIND batches: flags and events, CONCERNS links, resolutions.

    CONCERNS links and keys (graphsvc/flags/keys.py) are rewritten only for flags whose
    entities or roles changed.
    """
    common: dict[str, Any] = {"as_of": as_of, "at": at, "run_id": run_id, "by": by}
    store.write_rows("flags/upsert", changes.upserts, batch_size=batch_size, **common)
    store.write_rows("flags/touch", changes.touched, batch_size=batch_size, **common)
    relinked = [row for row in changes.upserts if row.get("relink", True)]
    # A flag this run raises has only the links written below: nothing of it to prune. After
    # an import every flag is new; pruning them all took 0.5 s of a 13 s first run on a
    # just-started Neo4j, and 3-6 s in about half the trials (docs/neo4j.md, "Session 22").
    raised = {row["flag_id"] for row in relinked if row.get("event_kind") == "raised"}
    write_keys(store, relinked, batch_size=batch_size, raised=raised)
    relink = {row["flag_id"] for row in relinked}
    found = [item for item in found if item.flag_id in relink]
    by_key: dict[str, list[dict[str, str]]] = {}
    for item in found:
        fid = item.flag_id
        for e in item.entities:
            by_key.setdefault(e["label_key"], []).append(
                {"flag_id": fid, "key": e["key"], "role": e["role"],
                 "entity_key": entity_key(e["label_key"], e["key"])})
    for label_key, rows in sorted(by_key.items()):
        if label_key not in FLAGGABLE:
            log.warning("Rule rows named an entity by %s, which flags cannot link to; skipped.",
                        label_key)
            continue
        store.write_rows(FLAGGABLE[label_key].flag_link, rows, batch_size=batch_size, run_id=run_id)
    prune = [{"flag_id": item.flag_id} for item in found if item.flag_id not in raised]
    store.write_rows("flags/prune_concerns", prune, batch_size=batch_size, run_id=run_id)
    store.write_rows("flags/resolve", changes.resolves, batch_size=batch_size, **common)


def existing_flags(store: GraphStore, rule_id: str) -> dict[str, dict[str, Any]]:
    """Every flag the rule raised before, keyed by flag_id."""
    return {r["flag_id"]: r for r in store.read("flags/by_rule", rule_id=rule_id)}
