"""Incremental rule runs: a rule re-evaluates only what the changed records can affect.

A change set names the records a writer changed, and with each the records its row names (a
residence names its person and address), so a changed link counts as a change to both ends; a
deleted record is named with its former neighbours. For a rule with a scope statement
(`cypher/incremental/<rule>.cypher`), the affected keys are what that statement returns from the
change set, walking as deep as the rule looks: every flag whose identity meets one of them may
change. So may each standing flag of the rule that concerns a changed record (those flags read by
their keys, graphsvc/flags/keys.py, not every flag of the rule), but only that flag: its identity
is affected, not every identity meeting one of its keys (a changed placement meets a proximity flag
of its child and an offender; the offender's flags with other children stand). The rule then runs
with `$anchors` set to the affected keys and the members of those identities, and
`$anchor_person_ids`, `$anchor_address_ids`, ... to their values by kind: its entry starts from
those records by index (never scanning what did not change), and it returns (at least) every row
whose identity meets them; only the rows of affected identities are kept. Its flags of affected
identities are compared with what it found (raised, updated, resolved); the rest stand as they are.
A rule without a scope statement runs in full. Windows move with the date, so a daily full run
still exists (`graphsvc rules run`, the scheduler's full turn).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from graphsvc import flags, queries
from graphsvc.changes import ANCHOR_PREFIX, ChangeSet
from graphsvc.errors import QueryFileError
from graphsvc.flags.keys import ensure_keyed, flags_meeting
from graphsvc.identities.persons import with_linked_keys, with_linked_records
from graphsvc.rules.catalogue import Rule, get_rule
from graphsvc.rules.hubs import changed_children, unchanged_hubs
from graphsvc.rules.pairs import rule_rows
from graphsvc.rules.phases import Phases
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

SCOPE_GROUP = "incremental/"
# A scope statement's header line `// entry: identity` says the rule starts from the records its
# flags are identified by (the shared-link rule starts from each hub): the affected keys are its
# entry records already, and the scope is not applied to them a second time.
ENTRY_IS_IDENTITY = "identity"
# A scope statement's header line `// named: person_id ...` says the rule reads the records of
# other kinds only through links whose other ends the change set names as well: of those kinds,
# a key a changed row only named (ChangeSet.named: the address of a changed incident) is left
# out of its scope and of its standing flags' comparison. A line `// named_by: placement_id ...`
# keeps, of those, the keys named by rows of these kinds (ChangeSet.named_by: the addresses a
# placement row names or leaves, which that row can make or stop being care settings).



class ScopeReads:
    """What scope statements returned during one run of several rules over one change set.

    Rules that share a scope statement (`// scope: incremental/incidents_touched`) read it once:
    a read is kept under the statement's name and the values of the parameters its text uses
    (not the rule's other parameters), so another change set or other keys read again. Valid
    only while records do not change: one `run_rules` turn (rules write flags, never records).
    Rules running at once share it: a read another rule has begun is waited for, not made twice.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self._reading: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()

    def read(self, store: GraphStore, name: str, params: dict[str, Any]
             ) -> list[dict[str, Any]]:
        statement = queries.get(name)
        used = statement.only_its_parameters(params)
        key = (name, *((p, _frozen(used.get(p))) for p in statement.parameters))
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:
            if key not in self._rows:
                self._rows[key] = store.read(name, **used)
        return self._rows[key]


def _frozen(value: Any) -> Any:
    """A parameter value as a dictionary key (lists and sets as sorted tuples)."""
    if isinstance(value, (list, set, tuple)):
        return tuple(sorted(map(repr, value)))
    return repr(value)


def scope_statement(rule_id: str) -> str | None:
    """The name of the rule's scope statement (its `// scope:` header line names a shared one,
    else `incremental/<rule_id>`), or None when the rule always runs in full."""
    named = (queries.get(get_rule(rule_id).query).first("scope").split() or [""])[0]
    name = named or SCOPE_GROUP + rule_id
    try:
        queries.get(name)
    except QueryFileError:
        if named:
            raise
        return None
    return name


def scope_keys(store: GraphStore, rule: Rule, changed: ChangeSet, params: dict[str, Any],
               reads: ScopeReads | None = None) -> set[str]:
    """The keys the rule's scope statement returns for the change: every flag whose identity
    meets one of them may change (raised, updated or resolved)."""
    name = scope_statement(rule.id)
    if name is None:
        raise ValueError(f"rule {rule.id} has no scope statement")
    rows = (reads or ScopeReads()).read(store, name, {**params, **changed.params()})
    return {str(r["key"]) for r in rows if r.get("key")}


def _identity(flag_keys: Any) -> frozenset[str]:
    return frozenset(map(str, flag_keys or ()))


def entry_keys(store: GraphStore, rule: Rule, keys: set[str], params: dict[str, Any],
               reads: ScopeReads | None = None) -> ChangeSet:
    """Where the rule starts: the affected keys, and what its scope statement returns for them
    as if they had changed (the rule's entry records of every flag naming one of them: for
    example the offender of each household flag naming an affected child); only the affected
    keys when the rule starts from its flags' identities (`ENTRY_IS_IDENTITY`)."""
    roots = ChangeSet()
    roots.add_keys(keys)
    name = scope_statement(rule.id) or ""
    if queries.get(name).first("entry") == ENTRY_IS_IDENTITY:
        return roots
    as_changed = ChangeSet()
    as_changed.add_keys(keys)
    rows = (reads or ScopeReads()).read(store, name, {**params, **as_changed.params()})
    roots.add_keys(str(r["key"]) for r in rows if r.get("key"))
    return roots


def evaluate(store: GraphStore, rule: Rule, params: dict[str, Any],
             changed: ChangeSet | None, phases: Phases | None = None,
             reads: ScopeReads | None = None
             ) -> tuple[list[flags.Found], dict[str, dict[str, Any]], int]:
    """What the rule finds and the standing flags to compare it with, with the row count.

    Without a change set (or for a rule without a scope statement): everything. With one: only
    the flags whose identity meets the keys the change can affect, read by those keys
    (graphsvc/flags/keys.py), never every flag of the rule. `phases` adds up where the time
    goes (scope, standing, statement, linked); `reads` keeps scope reads shared by the rules
    of one run (ScopeReads).
    """
    phases = phases or Phases()
    name = scope_statement(rule.id)
    if changed is None or name is None:
        with phases("standing"):
            standing = flags.existing_flags(store, rule.id)
        with phases("statement"):
            rows = rule_rows(store, rule, params)
        with phases("linked"):
            rows = with_linked_records(store, rows)
        return flags.found_from_rows(rule.id, rows), standing, len(rows)
    named = queries.get(name).first("named")
    if named:
        changed = changed.narrowed(named.split(), queries.get(name).first("named_by").split())
    with phases("standing"):
        ensure_keyed(store)
        changed_keys = changed.entity_keys()
        meeting = flags_meeting(store, rule.id, changed_keys)
    with phases("scope"):
        scope = scope_keys(store, rule, changed, params, reads)
    with phases("children"):  # a hub rule: the hubs its changed children bring entries to
        children = changed_children(store, rule, changed, params)
    if children is not None:  # and the hub flags that list them: they concern changed records
        with phases("standing"):
            meeting = {**meeting, **flags_meeting(store, rule.id, children.keys - changed_keys)}
    with phases("scope"):
        # Affected: every identity meeting a scope key, and the identity of each standing flag
        # that concerns a changed record (only that identity: its members' other flags are met
        # by the scope statement if the change can touch them).
        scope = with_linked_keys(store, scope | (children.hubs if children else set()))
        identities = {_identity(flag.get("entity_keys")) for flag in meeting.values()}
        keys = scope.union(*identities)
    if not keys:
        return [], {}, 0
    with phases("standing"):
        standing = {**meeting, **flags_meeting(store, rule.id, scope - changed_keys)}
    with phases("children"):  # hubs whose changed children are as their flags hold them
        unchanged = unchanged_hubs(store, rule, keys, children, params, standing)
    keys -= unchanged
    scope -= unchanged
    identities = {i for i in identities if not i & unchanged}
    if not keys:
        return [], {}, 0
    with phases("scope"):
        roots = entry_keys(store, rule, keys, params, reads)
    with phases("statement"):
        rows = rule_rows(store, rule, {**params, "anchors": sorted(keys),
                                       **roots.params(ANCHOR_PREFIX)},
                         _may_be_affected(scope, identities))
    with phases("linked"):
        rows = with_linked_records(store, rows)

    def affected(identity: Any) -> bool:
        return bool(scope.intersection(map(str, identity or ()))) \
            or _identity(identity) in identities

    found = [f for f in flags.found_from_rows(rule.id, rows) if affected(f.identity)]
    compared = {fid: flag for fid, flag in standing.items()
                if affected(flag.get("entity_keys"))}
    log.debug("Rule %s: %d keys affected by %d changed records, %d flags compared",
              rule.id, len(keys), len(changed), len(compared))
    return found, compared, len(rows)


def _may_be_affected(scope: set[str], identities: set[frozenset[str]]
                     ) -> Callable[[list[str]], bool]:
    """Whether a row's identity, as the rule returns it (before the records linked with its
    people are added), may be an affected one: it meets a scope key, or is part of the identity
    of a flag concerning a changed record (that identity lists every linked record)."""
    holding: dict[str, list[frozenset[str]]] = {}
    for held in identities:
        for key in held:
            holding.setdefault(key, []).append(held)

    def keep(identity: list[str]) -> bool:
        own = set(map(str, identity))
        return bool(scope & own) or any(own <= held for key in own
                                        for held in holding.get(key, ()))
    return keep


def is_incremental(rule_id: str) -> bool:
    """Whether the rule can run on a change set alone (it has a scope statement)."""
    return scope_statement(rule_id) is not None

