"""Decisions people record on flags: checked by one validator (`check_decision`, whichever door
the decision comes through: the tasking board, `graphsvc flags decide`), checked against the
allowed transitions, written in one atomic statement for several flags."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graphsvc import dates
from graphsvc.dates import parse_date
from graphsvc.errors import InputError, NotFound
from graphsvc.flags.read import get_flag
from graphsvc.model import DECISIONS, TRANSITIONS
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# --- decisions ------------------------------------------------------------------------------


# The rules a decision must meet, shown beside the tasking form before it is sent
# (check_decision enforces them and says which one failed).
DECISION_RULES = (
    "Every decision needs its rationale.",
    "'Action' needs the action agreed, who owns it and a due date (today or later).",
    "'Under review' and 'No further action' carry no action, owner or due date.",
)
TEXT_LIMIT = 2000  # characters of a rationale or an action
NAME_LIMIT = 200  # characters of a name (who decided, who owns the action)


@dataclass(frozen=True)
class Decision:
    """A decision on flags, checked: what is decided, why, and the action agreed if any."""

    status: str
    reason: str
    action: str | None = None
    owner: str | None = None
    due_date: date | None = None


def check_decision(*, status: str, reason: str | None, action: str | None = None,
                   owner: str | None = None, due_date: date | str | None = None,
                   today: date | None = None) -> Decision:
    """A decision's fields cleaned, or InputError listing every problem in plain words (the
    rules are DECISION_RULES). `today` is the day of the decision (the local date by default).

    >>> check_decision(status="actioned", reason="Joint visit", action="Visit", owner="",
    ...                due_date="2000-01-01", today=date(2025, 3, 31))
    Traceback (most recent call last):
    ...
    graphsvc.errors.InputError: An action needs an owner: say who will do it. The due date \
2000-01-01 is in the past; choose today or a later date.
    """
    today = today or dates.today()
    problems: list[str] = []
    status = status.strip() if isinstance(status, str) else ""
    reason_, action_, owner_ = (_text(value, what, limit, problems) for value, what, limit in (
        (reason, "rationale", TEXT_LIMIT), (action, "action agreed", TEXT_LIMIT),
        (owner, "owner of the action", NAME_LIMIT)))
    if status not in DECISIONS:
        choices = ", ".join(DECISIONS.values())
        problems.append(f"Choose a decision ({choices}), not {status!r}." if status
                        else f"Choose a decision: {choices}.")
    if not reason_ and not any("rationale" in p for p in problems):
        problems.append("Give the rationale for the decision.")
    due = None
    try:
        due = parse_date(due_date, "due date")
    except InputError as exc:
        problems.append(str(exc))
    if status == "actioned":
        if not action_ and not any("action agreed" in p for p in problems):
            problems.append("An action decision needs the action agreed.")
        if not owner_ and not any("owner" in p for p in problems):
            problems.append("An action needs an owner: say who will do it.")
        if due is None and not any("due date" in p for p in problems):
            problems.append("An action needs a due date.")
    elif status in DECISIONS and (action_ or owner_ or due):
        problems.append(f"'{DECISIONS[status]}' carries no action, owner or due date: choose "
                        "'Action', or clear them.")
    if due is not None and due < today:
        problems.append(f"The due date {due.isoformat()} is in the past; choose today or a "
                        "later date.")
    if problems:
        raise InputError(" ".join(problems))
    assert reason_ is not None  # a missing rationale is a problem above
    return Decision(status=status, reason=reason_, action=action_, owner=owner_, due_date=due)


def _text(value: Any, what: str, limit: int, problems: list[str]) -> str | None:
    """Text stripped (None when blank); a problem noted when it is not text or too long."""
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"The {what} must be text.")
        return None
    value = value.strip()
    if len(value) > limit:
        problems.append(f"The {what} is too long ({len(value)} characters; at most {limit}).")
        return None
    return value or None


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
    at = at or dates.graph_now()  # the graph keeps local times without offset
    problems: list[str] = []
    who = _text(by, "name of the person deciding", NAME_LIMIT, problems)
    if problems or not who:
        raise InputError(" ".join(problems) or "The name of the person deciding is required.")
    clean = check_decision(status=status, reason=reason, action=action, owner=owner,
                           due_date=due_date, today=at.date())
    ids = sorted(set(flag_ids))
    if not ids:
        raise InputError("Name at least one flag to decide on.")
    current = {r["flag_id"]: r["status"] or "new"
               for r in store.read("flags/statuses", flag_ids=ids)}
    for fid in ids:
        if fid not in current:
            raise NotFound(f"There is no flag {fid!r}.")
        allowed = TRANSITIONS.get(current[fid], ())
        if clean.status not in allowed:
            ways = ", ".join(allowed) or "nothing"
            raise InputError(f"A flag that is {current[fid].replace('_', ' ')} cannot be set to "
                             f"{clean.status.replace('_', ' ')}; it can go to: {ways}.")
    rows = [{"flag_id": fid, "from_status": current[fid], "event_id": uuid.uuid4().hex,
             "seq": time.time_ns()} for fid in ids]
    done = store.write("flags/record_decisions", rows=rows, to_status=clean.status, at=at,
                       by=who, reason=clean.reason, action=clean.action, owner=clean.owner,
                       due_date=clean.due_date)
    if not done or done[0].get("decided") != len(ids):
        raise InputError("A flag changed while the decision was being recorded; nothing was "
                         "recorded. Reload and decide again.")
    log.info("Decision by %s on %d flag(s): %s", who, len(ids), clean.status)
    return current
