"""Flags: their identity, their lifecycle under rule runs, and the decisions people record on them.

A flag's identity is its rule plus the sorted keys of its identity entities, so a rule run finds
the flag it raised before. Rule runs raise, refresh, resolve and reopen flags; people move them
through `new` → `under_review` → `actioned` / `no_further_action` with `record_decision`.
Statuses, transitions and the kinds a flag can concern are graphsvc.model's.
"""

from graphsvc.flags.decisions import (
    DECISION_RULES,
    Decision,
    check_decision,
    record_decision,
    record_decisions,
)
from graphsvc.flags.lifecycle import (
    KEY_OF_LABEL,
    SYSTEM_USER,
    Changes,
    Found,
    apply_changes,
    existing_flags,
    flag_id,
    found_from_rows,
    plan_changes,
    split_key,
)
from graphsvc.flags.read import (
    flag_history,
    flag_rows_for_entities,
    get_flag,
    group_keys,
    list_flags,
    live_statuses,
    open_flags_at_address,
    open_flags_for_entities,
    ordered_flags,
)
from graphsvc.model import entity_key

__all__ = [
    "DECISION_RULES",
    "Decision",
    "check_decision",
    "Changes",
    "Found",
    "KEY_OF_LABEL",
    "SYSTEM_USER",
    "apply_changes",
    "entity_key",
    "existing_flags",
    "flag_history",
    "flag_id",
    "flag_rows_for_entities",
    "found_from_rows",
    "get_flag",
    "group_keys",
    "list_flags",
    "live_statuses",
    "open_flags_at_address",
    "open_flags_for_entities",
    "ordered_flags",
    "plan_changes",
    "record_decision",
    "record_decisions",
    "split_key",
]
