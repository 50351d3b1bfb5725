"""Flags: their identity, their lifecycle under rule runs, and the decisions people record on them.

A flag's identity is its rule plus the sorted keys of its identity entities, so a rule run finds
the flag it raised before. Rule runs raise, refresh, resolve and reopen flags; people move them
through `new` → `under_review` → `actioned` / `no_further_action` with `record_decision`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.model import (
    AWAITING_DECISION,
    CLOSED,
    FLAGGABLE,
    LIVE,
    REOPEN,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    entity_key,
)
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

_KEY_OF_LABEL = {kind.label: key for key, kind in FLAGGABLE.items()}
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
    """Rule rows as Found concerns; rows with the same identity merge (worst severity wins)."""
    merged: dict[str, Found] = {}
    for row in rows:
        identity = sorted({str(k) for k in row.get("identity") or []})
        if not identity:
            raise InputError(f"Rule {rule_id} returned a row without identity entities.")
        for key in identity:
            split_key(key)
        severity = row.get("severity")
        if severity not in SEVERITIES:
            raise InputError(f"Rule {rule_id} returned severity {severity!r}; expected one of "
                             f"{', '.join(SEVERITIES)}.")
        entities = [{"label_key": str(e["label_key"]), "key": str(e["key"]),
                     "role": str(e["role"])}
                    for e in row.get("entities") or [] if e and e.get("key") is not None]
        found = Found(rule_id, identity, entities, severity, str(row.get("summary") or ""),
                      dict(row.get("evidence") or {}),
                      sorted({str(m) for m in row.get("material") or [] if m is not None}))
        earlier = merged.get(found.flag_id)
        if earlier is None:
            merged[found.flag_id] = found
            continue
        if _SEVERITY_RANK[found.severity] > _SEVERITY_RANK[earlier.severity]:
            earlier.severity, earlier.summary = found.severity, found.summary
            earlier.evidence = {**earlier.evidence, **found.evidence}
        else:  # e.g. the two parts of unnotified_placement for one child and address
            earlier.evidence = {**found.evidence, **earlier.evidence}
            if found.summary and found.summary not in earlier.summary:
                earlier.summary = f"{earlier.summary} {found.summary}".strip()
        earlier.entities += [e for e in found.entities if e not in earlier.entities]
        earlier.material = sorted(set(earlier.material) | set(found.material))
    for found in merged.values():
        found.entities = sorted({tuple(sorted(e.items())): e for e in found.entities}.values(),
                                key=lambda e: (e["label_key"], e["key"], e["role"]))
    return list(merged.values())


@dataclass
class Changes:
    """What one rule run does to the flags: rows for the upsert and resolve statements."""

    upserts: list[dict[str, Any]] = field(default_factory=list)
    resolves: list[dict[str, Any]] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    resolved: int = 0
    reopened: int = 0


def plan_changes(existing: dict[str, dict[str, Any]], found: list[Found]) -> Changes:
    """Decide, for every flag found or previously raised, what this run does to it.

    New identity → raised (`new`). Resolved flag that holds again → back to `new` (`reopened`).
    Closed flag whose material items gain an element or whose severity rises → `model.REOPEN`
    (`reopened`). Open flag whose material items grow → same status (`evidence_changed`).
    Previously raised flag not found → `resolved`.
    """
    changes = Changes()
    seen = set()
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

    CONCERNS links are rewritten only for flags whose entities or roles changed.
    """
    common = {"as_of": as_of, "at": at, "run_id": run_id, "by": by}
    store.write_rows("flags/upsert", changes.upserts, batch_size=batch_size, **common)
    relink = {row["flag_id"] for row in changes.upserts if row.get("relink", True)}
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
    prune = [{"flag_id": item.flag_id} for item in found]
    store.write_rows("flags/prune_concerns", prune, batch_size=batch_size, run_id=run_id)
    store.write_rows("flags/resolve", changes.resolves, batch_size=batch_size, **common)


def existing_flags(store: GraphStore, rule_id: str) -> dict[str, dict[str, Any]]:
    """Every flag the rule raised before, keyed by flag_id."""
    return {r["flag_id"]: r for r in store.read("flags/by_rule", rule_id=rule_id)}


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
        key = _KEY_OF_LABEL.get(label)
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
         "label": next((lb for lb in r["labels"] if lb in _KEY_OF_LABEL), r["labels"][0]),
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
    `get_flag` reads a whole flag).

    An actioned flag is included by default: its condition still holds (else the rule would
    have resolved it), so an officer going to the address needs to know of it.
    """
    grouped = group_keys(k for k in keys if split_key(k))
    if not grouped:
        return []
    statuses = list(LIVE if include_actioned else AWAITING_DECISION)
    lists = {kind.key_list: grouped.get(key, []) for key, kind in FLAGGABLE.items()}
    rows = store.read("flags/for_entities", statuses=statuses, **lists)
    found = {r["flag"]["flag_id"]: r["flag"] for r in rows}  # a flag may come by two kinds
    ordered = sorted(found.values(), key=lambda f: (
        {"critical": 0, "high": 1}.get(f.get("severity") or "", 2),
        -(f["last_seen"].timestamp() if f.get("last_seen") else 0.0), f["flag_id"]))
    return [_decode(f) for f in ordered]


# --- decisions ------------------------------------------------------------------------------


def _text(value: Any, name: str, *, required: bool, limit: int = 2000) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"The {name} is required.")
        return None
    if not isinstance(value, str):
        raise InputError(f"The {name} must be text.")
    value = value.strip()
    if len(value) > limit:
        raise InputError(f"The {name} is too long ({len(value)} characters; at most {limit}).")
    return value


def _due(value: date | str | None, at: datetime) -> date | None:
    value = parse_date(value, "due date")
    if value is None:
        return None
    if value < at.date():
        raise InputError(f"The due date {value.isoformat()} is before the decision "
                         f"({at.date().isoformat()}).")
    return value


def record_decision(store: GraphStore, flag_id: str, *, by: str, status: str, reason: str,
                    action: str | None = None, owner: str | None = None,
                    due_date: date | str | None = None,
                    at: datetime | None = None) -> dict[str, Any]:
    """Record who decided what on a flag, why, the action agreed, its owner and due date.

    Checks the transition is allowed from the flag's current status; returns the updated flag.
    """
    record_decisions(store, [flag_id], by=by, status=status, reason=reason, action=action,
                     owner=owner, due_date=due_date, at=at)
    return get_flag(store, flag_id)


def record_decisions(store: GraphStore, flag_ids: list[str], *, by: str, status: str,
                     reason: str, action: str | None = None, owner: str | None = None,
                     due_date: date | str | None = None,
                     at: datetime | None = None) -> dict[str, str]:
    """Record one decision on several flags in one atomic write: all of them or none.

    Every flag's transition is checked first; returns each flag's status before the decision.
    """
    at = at or datetime.now().replace(microsecond=0)
    by = _text(by, "name of the person deciding", required=True, limit=200)
    reason = _text(reason, "reason for the decision", required=True)
    action = _text(action, "action agreed", required=False)
    owner = _text(owner, "owner of the action", required=False, limit=200)
    if status not in STATUSES:
        raise InputError(f"Unknown flag status {status!r}: use one of "
                         f"{', '.join(s for s in STATUSES if s not in ('new', 'resolved'))}.")
    due = _due(due_date, at)
    if status == "actioned" and not (action and owner):
        raise InputError("An actioned flag needs the action agreed and who owns it.")
    if (owner or due) and not action:
        raise InputError("An owner or due date needs the action they belong to.")
    ids = sorted(set(flag_ids))
    if not ids:
        raise InputError("Name at least one flag to decide on.")
    current = {r["flag_id"]: r["status"] or "new"
               for r in store.read("flags/statuses", flag_ids=ids)}
    for fid in ids:
        if fid not in current:
            raise NotFound(f"There is no flag {fid!r}.")
        allowed = TRANSITIONS.get(current[fid], ())
        if status not in allowed:
            ways = ", ".join(allowed) or "nothing"
            raise InputError(f"A flag that is {current[fid].replace('_', ' ')} cannot be set to "
                             f"{status.replace('_', ' ')}; it can go to: {ways}.")
    rows = [{"flag_id": fid, "from_status": current[fid], "event_id": uuid.uuid4().hex,
             "seq": time.time_ns()} for fid in ids]
    done = store.write("flags/record_decisions", rows=rows, to_status=status, at=at, by=by,
                       reason=reason, action=action, owner=owner, due_date=due)
    if not done or done[0].get("decided") != len(ids):
        raise InputError("A flag changed while the decision was being recorded; nothing was "
                         "recorded. Reload and decide again.")
    log.info("Decision by %s on %d flag(s): %s", by, len(ids), status)
    return current
