"""Hub flags compared child by child: an incremental run reads a hub again only when the entry of
one of its changed children differs from the entry its flag holds.

A rule whose header has a line `// per_child: LIST THRESHOLD` (the shared-link rule, LIST
`children`, THRESHOLD `min_children`) raises flags on hubs (an adult, a vehicle, a phone, a
found-at address) whose evidence lists one entry per child under LIST. Each entry is made from
that child's records, links and concerns alone (`child_id`, how many concerns, how it is linked,
and its material items: graphsvc/rules/material.py), and the rest of the flag (its children,
severity, summary, material) follows from the entries. A day's changes meet most big hubs
through one child or another, while the hub's other children stay as they were; reading every
child of those hubs again was the largest part of an incremental run.

So, before the rule runs on its affected hubs, this module asks the rule for the entries of the
changed children only (`$anchor_child_ids`: the changed people, the people in changed incidents,
and the records linked to them, from `incremental/changed_people`; THRESHOLD set to 1 so that a
hub with one such child is returned). The hubs these entries name are affected (with the hubs
whose flags list a changed child, and the changed hubs themselves, from the scope statement): a
changed child adds to no other hub. Then it compares them, hub by hub, with the entries the
hub's standing flag holds for those children. A hub whose entries are the same is left as it
stands: its other children's entries cannot have changed, since every row that changes a child's
facts (its records, links, concerns, homes, placements, date of birth) names that child. A hub
with no open flag that no changed child is linked to now is left too: it had too few children,
and the change can only have taken some away. The rule then runs, as before, on the other hubs.

A hub is always read again when: it has no open flag and a changed child is linked to it (it may
hold now); its own record was written (an adult's date of birth, a link to another record of the
adult); the flag was raised as of another day or with another value of a parameter its evidence
states (a window moves with the date); or its evidence predates the per-child material items.
Not detected: a change of the rule's other parameters (rules.toml) without a full run, and
identity links changed outside a change set (a review decision): both are the daily full run's,
as for the flags no change meets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graphsvc.changes import ANCHOR_PREFIX, ChangeSet
from graphsvc.rules.catalogue import Rule
from graphsvc.rules.material import per_child
from graphsvc.rules.pairs import rule_rows
from graphsvc.store.base import GraphStore

CHILD_ANCHORS = "anchor_child_ids"


@dataclass
class ChangedChildren:
    """The changed children of a run, and each hub's entries for them as the rule makes them."""

    child_ids: set[str] = field(default_factory=set)  # their records and identity keys
    now: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by hub key
    written: set[str] = field(default_factory=set)  # hub keys whose own record was written

    @property
    def keys(self) -> set[str]:
        """The changed children as entity keys: a hub flag listing one of them may change (the
        child may bring no entry now, when only its incident's row changed)."""
        return {f"person_id={x}" for x in self.child_ids}

    @property
    def hubs(self) -> set[str]:
        """The hubs a changed child brings an entry to now: their flags may change."""
        return {key for key, entries in self.now.items() if entries}


def changed_children(store: GraphStore, rule: Rule, changed: ChangeSet,
                     params: dict[str, Any]) -> ChangedChildren | None:
    """For a rule with a `per_child` line, its entries for the changed children (the changed
    people, the people in changed incidents, and the records linked to either), by hub; None
    for other rules. The hubs these entries name are affected; so are the hubs whose flags
    list one of these children (they concern a changed record), and no other hub through a
    child: a child with no entry now (no concern in the window, no link) adds to no hub."""
    listed = per_child(rule)
    if listed is None:
        return None
    list_name, threshold = listed
    lists = changed.params()
    people = store.read("incremental/changed_people", person_ids=lists["person_ids"],
                        incident_ids=lists["incident_ids"])
    records = sorted({str(r["person_id"]) for r in people})
    return ChangedChildren(
        child_ids=set(records) | {str(r["key"]) for r in people} | set(lists["person_ids"]),
        now=_entries_now(store, rule, params, records, list_name, threshold) if records else {},
        written=_written_hubs(changed, people))


def unchanged_hubs(store: GraphStore, rule: Rule, keys: set[str],
                   children: ChangedChildren | None, params: dict[str, Any],
                   standing: dict[str, dict[str, Any]]) -> set[str]:
    """The hub keys among `keys` (the rule's affected hubs) that the change leaves as they
    stand, given the changed children's entries (`changed_children`) and the hubs' standing
    flags (`standing`, by flag_id): a hub with an open flag whose changed children's entries
    are the ones it holds, and a hub without one (or with a resolved one) that none of the
    changed children is linked to now (its children can only have fallen). Empty for a rule
    without a `per_child` line."""
    listed = per_child(rule)
    if listed is None or children is None or not keys:
        return set()
    list_name = listed[0]
    # Each open hub flag meeting the keys, by every key of its identity: a hub adult known
    # under several linked records is one hub, and its flag names each record.
    flags_of: dict[str, dict[str, Any]] = {}
    for flag in standing.values():
        identity = {str(k) for k in flag.get("entity_keys") or ()}
        if identity & keys and flag.get("status") != "resolved":
            flags_of.update(dict.fromkeys(identity, flag))
    now, written = children.now, children.written
    out = {key for key in keys - written if key not in flags_of and not now.get(key)}
    candidates = {str(flag["flag_id"]): flag for flag in flags_of.values()
                  if not {str(k) for k in flag.get("entity_keys") or ()} & written}
    evidence = {str(r["flag_id"]): _evidence(r.get("evidence_json"))
                for r in store.read("flags/evidence_of", flag_ids=sorted(candidates))
                } if candidates else {}
    stated = {name: params[name] for name in rule.values(None) if name in params}
    for flag_id, flag in candidates.items():
        held = evidence.get(flag_id)
        if held is None or not _same_terms(held, params, stated):
            continue
        entries = held.get(list_name)
        if not isinstance(entries, list) or not all(
                isinstance(e, dict) and "material" in e for e in entries):
            continue
        identity = {str(k) for k in flag.get("entity_keys") or ()}
        before = sorted(_entry(e) for e in entries
                        if str(e.get("child_id")) in children.child_ids)
        if before == sorted(_entry(e) for key in identity for e in now.get(key, ())):
            out.update(identity & keys)
    return out


def _written_hubs(changed: ChangeSet, people: list[dict[str, Any]]) -> set[str]:
    """The keys of hubs whose own record a changed row wrote: every written key, and the
    identity key of each written person record (a hub adult is named by it)."""
    written = {f"{kind}={key}" for kind, keys in changed.written.items() for key in keys}
    persons = changed.written.get("person_id", set())
    written.update(f"person_id={r['key']}" for r in people if r["person_id"] in persons)
    return written


def _entries_now(store: GraphStore, rule: Rule, params: dict[str, Any], records: list[str],
                 list_name: str, threshold: str) -> dict[str, list[dict[str, Any]]]:
    """Each hub's entries for the children among `records`, as the rule makes them now."""
    asked = {**params, "anchors": [], **ChangeSet().params(ANCHOR_PREFIX),
             CHILD_ANCHORS: records, threshold: 1}
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rule_rows(store, rule, asked):
        identity = list(row.get("identity") or ())
        if len(identity) == 1:
            out.setdefault(str(identity[0]), []).extend(
                (row.get("evidence") or {}).get(list_name) or [])
    return out


def _same_terms(held: dict[str, Any], params: dict[str, Any], stated: dict[str, Any]) -> bool:
    """Whether the flag's evidence was made as of the same day and with the same value of each
    rule parameter it states (`window_days`)."""
    if str(held.get("as_of")) != str(params.get("as_of")):
        return False
    return all(held[name] == value for name, value in stated.items() if name in held)


def _entry(entry: dict[str, Any]) -> str:
    """An entry as comparable text: its fields, with lists in any order."""
    return json.dumps({name: sorted(map(str, value)) if isinstance(value, list) else value
                       for name, value in entry.items()}, sort_keys=True, default=str)


def _evidence(text: Any) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
