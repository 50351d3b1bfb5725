"""SAME_AS links in the graph: read them, list people, record an officer's decision, keep keys.

Every decision is written to the audit log as a combination (DPA 2018 s.62). A decision that
contradicts earlier ones is refused with a sentence naming the decision it contradicts.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graphsvc import audit, dates
from graphsvc.errors import InputError, NotFound
from graphsvc.identities import (
    AUTOMATIC,
    CONFIRMED,
    DECISIONS,
    FOR_REVIEW,
    LINKING,
    REJECTED,
    STATUSES,
    ordered,
)
from graphsvc.identities.groups import group_records, rejected_pairs_within
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    """One SAME_AS link: the pair (a before b), its sources, probability, status and decision."""

    a: str
    b: str
    a_source: str | None
    b_source: str | None
    probability: float | None
    status: str
    model_status: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None

    def describe(self) -> str:
        """The link as an officer would say it, e.g. `P1 = P2 (confirmed by jo on 2026-12-01)`."""
        sign = "≠" if self.status == REJECTED else "="
        if self.status in (CONFIRMED, REJECTED):
            when = f" on {self.decided_at:%Y-%m-%d}" if self.decided_at else ""
            return f"{self.a} {sign} {self.b} ({self.status} by {self.decided_by}{when})"
        return f"{self.a} {sign} {self.b} ({self.status.replace('_', ' ')}, probability " \
               f"{self.probability or 0:.3f})"


@dataclass(frozen=True)
class Identity:
    """A person as the service sees them: linked records, or a pair awaiting or refused a link."""

    kind: str  # "person" (records linked as one) or "pair" (for review, or rejected)
    key: str
    records: list[dict[str, Any]]
    links: list[Link]


@dataclass(frozen=True)
class Decision:
    """What an officer's decision did to a pair."""

    a: str
    b: str
    decision: str
    from_status: str | None
    to_status: str | None
    audit_seq: int


def link_from_row(row: dict[str, Any]) -> Link:
    evidence = json.loads(row["evidence_json"]) if row.get("evidence_json") else []
    return Link(a=row["a"], b=row["b"], a_source=row.get("a_source"), b_source=row.get("b_source"),
                probability=row.get("probability"), status=row["status"],
                model_status=row.get("model_status"), evidence=evidence,
                decided_by=row.get("decided_by"), decided_at=row.get("decided_at"),
                reason=row.get("reason"))


def read_links(store: GraphStore) -> list[Link]:
    """Every SAME_AS link in the graph."""
    return [link_from_row(row) for row in store.read("identities/links_all")]


def _as_rows(links: list[Link]) -> list[dict[str, Any]]:
    return [{"a": x.a, "b": x.b, "a_source": x.a_source, "b_source": x.b_source,
             "status": x.status, "probability": x.probability} for x in links]


def list_identities(store: GraphStore, *, status: str | None = None) -> list[Identity]:
    """People of two or more linked records, then pairs for review or rejected, by status."""
    if status is not None and status not in STATUSES:
        raise InputError(f"Unknown link status {status!r}: use one of {', '.join(STATUSES)}.")
    links = read_links(store)
    grouping = group_records(_as_rows(links))
    sources = {}
    for x in links:
        sources[x.a], sources[x.b] = x.a_source, x.b_source
    people: dict[str, Identity] = {}
    pairs: list[Identity] = []
    for x in links:
        together = x.b in grouping.group_of(x.a) and len(grouping.group_of(x.a)) > 1
        if x.status in LINKING and together:
            key = min(grouping.group_of(x.a))
            if key not in people:
                records = [{"person_id": p, "source": sources.get(p)}
                           for p in sorted(grouping.group_of(x.a))]
                people[key] = Identity("person", key, records, [])
            people[key].links.append(x)
        else:
            pairs.append(Identity("pair", f"{x.a}|{x.b}",
                                  [{"person_id": x.a, "source": x.a_source},
                                   {"person_id": x.b, "source": x.b_source}], [x]))
    found = sorted(people.values(), key=lambda i: i.key) + sorted(
        pairs, key=lambda i: (-(i.links[0].probability or 0.0), i.key))
    if status is not None:
        found = [i for i in found if any(x.status == status for x in i.links)]
    return found


def read_link_statuses(store: GraphStore) -> list[dict[str, Any]]:
    """Every link's pair, status and probability (no evidence): what grouping needs."""
    return store.read("identities/link_statuses")


def refresh_identity_keys(store: GraphStore) -> int:
    """Write each record's identity_key from the current links; return the records changed."""
    keys = group_records(read_link_statuses(store)).identity_keys()
    held = {row["person_id"]: row["identity_key"]
            for row in store.read("identities/identity_keys_held")}
    changed = [{"person_id": p, "identity_key": k} for p, k in sorted(keys.items())
               if held.get(p) != k]
    gone = sorted(p for p in held if p not in keys)
    if changed:
        store.write_rows("identities/identity_keys_set", changed)
    if gone:
        store.write("identities/identity_keys_clear", ids=gone)
    return len(changed) + len(gone)


def _reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise InputError("A reason is required for every decision on a link.")
    reason = reason.strip()
    if len(reason) > 2000:
        raise InputError(f"The reason is too long ({len(reason)} characters; at most 2000).")
    return reason


def _check_records(store: GraphStore, a: str, b: str) -> None:
    if a == b:
        raise InputError(f"{a} and {b} are the same record: a link joins two records.")
    found = {row["person_id"] for row in store.read("identities/records_by_id", ids=[a, b])}
    missing = [p for p in (a, b) if p not in found]
    if missing:
        raise NotFound(f"No person record {' or '.join(missing)} in the graph.")


def _conflict(decision: str, a: str, b: str, current: Link | None,
              links: list[Link]) -> str | None:
    """Why the decision contradicts earlier ones, in one sentence; None when it does not."""
    if decision == "undo":
        if current is None or current.status not in (CONFIRMED, REJECTED):
            state = "no link" if current is None else f"a {current.status.replace('_', ' ')} link"
            return f"There is no officer's decision on {a} and {b} to undo ({state})."
        return None
    want = CONFIRMED if decision == "confirm" else REJECTED
    if current is not None and current.status == want:
        return f"{current.describe()} already; nothing to change."
    if current is not None and current.status in (CONFIRMED, REJECTED):
        return (f"This contradicts an earlier decision: {current.describe()}, reason "
                f"{current.reason!r}. Undo that decision first.")
    rows = _as_rows(links)
    if decision == "confirm":
        grouping = group_records(rows, skip=(a, b))
        merged = grouping.group_of(a) | grouping.group_of(b)
        clashes = rejected_pairs_within(rows, merged)
        if clashes:
            clash = next(x for x in links if (x.a, x.b) == (clashes[0]["a"], clashes[0]["b"]))
            return (f"Confirming {a} = {b} contradicts an earlier decision: {clash.describe()}, "
                    f"and linking {a} and {b} would make {clash.a} and {clash.b} one person.")
        return None
    grouping = group_records(rows, statuses=(CONFIRMED,), skip=(a, b))
    group = grouping.group_of(a)
    if b in group:
        joining = [x.describe() for x in links
                   if x.status == CONFIRMED and x.a in group and x.b in group
                   and (x.a, x.b) != (a, b)]
        return (f"Rejecting {a} ≠ {b} contradicts earlier decisions that make them one person: "
                f"{'; '.join(joining)}. Undo one of those first.")
    return None


def decide_link(store: GraphStore, settings: Settings, first: str, second: str, *,
                decision: str, reason: str | None, by: str, role: str,
                at: datetime | None = None) -> Decision:
    """Confirm, reject or undo the link between two records, audited as a combination."""
    if decision not in DECISIONS:
        raise InputError(f"Unknown decision {decision!r}: use one of {', '.join(DECISIONS)}.")
    reason = _reason(reason)
    a, b = ordered(first.strip(), second.strip())
    _check_records(store, a, b)
    links = read_links(store)
    current = next((x for x in links if (x.a, x.b) == (a, b)), None)
    problem = _conflict(decision, a, b, current, links)
    if problem:
        raise InputError(problem)
    at = at or dates.graph_now()
    from_status = current.status if current else None
    if decision == "undo":
        to_status = current.model_status if current is not None \
            and current.model_status in (AUTOMATIC, FOR_REVIEW) else None
    else:
        to_status = CONFIRMED if decision == "confirm" else REJECTED
    if to_status is None:
        done = store.write("identities/link_delete", a=a, b=b, from_status=from_status)
        ok = bool(done and done[0]["deleted"])
    else:
        ok = bool(store.write("identities/link_decide", a=a, b=b, from_status=from_status,
                              to_status=to_status, by=by, at=at.isoformat(), reason=reason))
    if not ok:
        raise InputError(f"The link between {a} and {b} changed while the decision was being "
                         "recorded; look at it again and decide once more.")
    seq = audit.record(settings, user=by, role=role, kind="combination",
                       action=f"identity link {decision}",
                       asked={"a": a, "b": b, "decision": decision, "from_status": from_status,
                              "to_status": to_status,
                              "probability": current.probability if current else None},
                       shown=[f"person_id={a}", f"person_id={b}"], justification=reason)
    refresh_identity_keys(store)
    log.info("identity link %s %s: %s -> %s", a, b, from_status, to_status)
    return Decision(a, b, decision, from_status, to_status, seq)


@dataclass(frozen=True)
class PersonRecords:
    """A person as the entity page shows them: each source's record, and the links between."""

    records: list[dict[str, Any]]
    links: list[Link]


def records_of_person(store: GraphStore, person_id: str) -> PersonRecords:
    """The records linked with this one (itself first) and every link touching them."""
    records = store.read("identities/person_records", person_id=person_id)
    ids = [r["person_id"] for r in records]
    links = [link_from_row(row) for row in store.read("identities/links_touching", ids=ids)]
    links.sort(key=lambda x: (x.status not in LINKING, -(x.probability or 0.0), x.a, x.b))
    return PersonRecords(records, links)
