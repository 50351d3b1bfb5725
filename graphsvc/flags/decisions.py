"""Decisions people record on flags: checked against the allowed transitions, written in one
atomic statement for several flags."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import date, datetime
from typing import Any

from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.flags.read import get_flag
from graphsvc.model import (
    STATUSES,
    TRANSITIONS,
)
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

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
