"""Expanding an entity's neighbourhood hop by hop with caps, its timeline, its open flags and
the link chart's state."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphsvc.entity.nodes import (
    EDGE_HIDDEN,
    FLAG_LINK,
    LINK_TYPES,
    MAX_DEPTH,
    PAGE_SIZE,
    PER_HOP,
    PER_NODE,
    TIMELINE_KINDS,
    Edge,
    Node,
    View,
    describe,
    entity_id,
    node_of,
    parse_entity_id,
    plain_value,
)
from graphsvc.errors import InputError, NotFound
from graphsvc.flags import open_flags_for_entities
from graphsvc.identities.links import records_of_person
from graphsvc.model import KINDS
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

def _types_for(root_kind: str, hop: int, chosen: list[str]) -> list[str]:
    if root_kind == "flag" and hop == 1:
        return [FLAG_LINK]
    return list(chosen) if chosen else list(LINK_TYPES)


def check_types(types: list[str] | None) -> list[str]:
    chosen = [t for t in (types or []) if t]
    unknown = [t for t in chosen if t not in LINK_TYPES]
    if unknown:
        raise InputError(f"Unknown link type {unknown[0]!r}: choose from {', '.join(LINK_TYPES)}.")
    return chosen


MAX_KEY = 200  # longer than any key the import accepts (docs/import-format.md)


def check_key(kind: str, key: str) -> None:
    """NotFound for a kind that does not exist or a key no record can have (too long, or
    holding a control character), before the engine is asked."""
    if kind not in KINDS:
        raise NotFound(f"There is no kind of entity called {kind[:40]!r}.")
    if not key or len(key) > MAX_KEY or any(ch < " " or ch == "\x7f" for ch in key):
        raise NotFound(f"No {KINDS[kind].label} with {KINDS[kind].key} {key[:60]!r} "
                       "is in the graph.")


def expand_entity(store: GraphStore, kind: str, key: str, *, depth: int = 1,
                  types: list[str] | None = None, page: int = 1, role: str = "intelligence",
                  with_flags: bool = True) -> View:
    """The entity with its links to `depth` hops (the root's links paged, later hops capped)."""
    check_key(kind, key)
    if not 1 <= depth <= MAX_DEPTH:
        raise InputError(f"Depth must be between 1 and {MAX_DEPTH}, not {depth}.")
    if page < 1:
        raise InputError("Page numbers start at 1.")
    chosen = check_types(types)
    row = store.read_one(f"read/entity_{kind}", key=key)
    if row is None:
        raise NotFound(f"No {KINDS[kind].label} with {KINDS[kind].key} {key!r} is in the graph.")
    root = node_of(row["labels"], row["node"], 0, role)
    assert root is not None
    view = View(root=root, depth=depth, types=chosen, page=page, nodes={root.id: root})
    view.link_counts = {c["type"]: c["links"] for c in row["counts"] if c}
    hop1_types = _types_for(kind, 1, chosen)
    view.total_links = sum(n for t, n in view.link_counts.items() if t in hop1_types)
    if page > view.pages:
        raise NotFound(f"There is no page {page}: this view has {view.pages}.")
    frontier = {kind: [key]}
    # A link is the same link only when its type and all its properties agree: brothers who
    # are both `family` and `associate` have two ASSOCIATED_WITH links, and both are kept.
    seen_edges: set[tuple[str, str, str, str]] = set()
    for hop in range(1, depth + 1):
        per_node = PAGE_SIZE if hop == 1 else PER_NODE
        skip = (page - 1) * PAGE_SIZE if hop == 1 else 0
        next_frontier: dict[str, list[str]] = defaultdict(list)
        added = 0
        for frontier_kind, keys in frontier.items():
            rows = store.read(f"read/entity_{frontier_kind}_links", keys=keys,
                              types=_types_for(kind, hop, chosen), skip=skip, per_node=per_node)
            if hop > 1:
                per_key: defaultdict[str, int] = defaultdict(int)
                for link in rows:
                    per_key[link["key"]] += 1
                view.capped = view.capped or any(n >= per_node for n in per_key.values())
            for link in rows:
                other = node_of(link["labels"], link["node"], hop, role)
                if other is None:
                    continue
                here = entity_id(frontier_kind, str(link["key"]))
                source, target = (here, other.id) if link["outgoing"] else (other.id, here)
                edge_key = (source, target, link["type"], _identity(link["rel"]))
                if edge_key not in seen_edges:
                    seen_edges.add(edge_key)
                    view.edges.append(Edge(_edge_id(edge_key), source, target, link["type"],
                                           {k: plain_value(v)
                                            for k, v in (link["rel"] or {}).items()
                                            if k not in EDGE_HIDDEN}, hop))
                if other.id not in view.nodes:
                    view.nodes[other.id] = other
                    if hop < depth and added < PER_HOP:
                        next_frontier[other.kind].append(other.key)
                        added += 1
                    elif hop < depth:
                        view.capped = True
        frontier = next_frontier
        if not frontier:
            break
    view.timeline = _timeline(store, view, kind, key, chosen, role)
    if kind == "person":
        view.identity = records_of_person(store, key)
    if with_flags:
        _attach_flags(store, view)
    return view


def _identity(rel: dict[str, Any] | None) -> str:
    return repr(sorted((k, repr(v)) for k, v in (rel or {}).items()))


def _edge_id(edge_key: tuple[str, ...]) -> str:
    """The same link has the same id in every view, so a chart that adds a node's links in
    place can tell a link it already draws from a second relation between the same pair."""
    return "e" + hashlib.sha1("\x1f".join(edge_key).encode()).hexdigest()[:16]


def _event_date(node: Node) -> str:
    p = node.props
    return str(p.get("occurred_at") or p.get("start_date") or p.get("end_date") or "")


def _timeline(store: GraphStore, view: View, kind: str, key: str, chosen: list[str],
              role: str) -> list[dict[str, Any]]:
    """Incidents, placements, orders and plans around the root, newest first (latest 100)."""
    if chosen or view.page != 1:  # the page shows something else: read the latest 100 afresh
        rows = store.read(f"read/entity_{kind}_links", keys=[key], types=list(LINK_TYPES),
                          skip=0, per_node=PAGE_SIZE)
        nodes = [n for n in (node_of(r["labels"], r["node"], 1, role) for r in rows) if n]
    else:
        nodes = [n for n in view.nodes.values() if n.hop == 1]
    if view.root.kind in TIMELINE_KINDS:
        nodes.append(view.root)
    events = []
    for node in nodes:
        if node.kind not in TIMELINE_KINDS:
            continue
        p = node.props
        until = p.get("end_date") or p.get("returned_at")
        events.append({"when": _event_date(node), "until": until, "kind": node.kind,
                       "icon": node.icon, "id": node.id, "label": node.label,
                       "detail": p.get("risk_grade") or p.get("status") or ""})
    events.sort(key=lambda e: (e["when"], e["id"]), reverse=True)
    return events


def _attach_flags(store: GraphStore, view: View) -> None:
    view.names = {k: n.label for k, n in view.nodes.items()}
    flags = open_flags_for_entities(store, [k for k, n in view.nodes.items() if n.kind != "flag"])
    flagged = {k for f in flags for k in concerned_keys(f)}
    for node in view.nodes.values():
        node.flagged = node.id in flagged
    view.flags = [f for f in flags if view.root.id in concerned_keys(f)]
    view.names.update(captions(store, [k for f in view.flags for k in concerned_keys(f)
                                       if k not in view.names]))


def captions(store: GraphStore, keys: list[str]) -> dict[str, str]:
    """Names of these people and addresses (entity key → caption), for flag text."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for k in set(keys):
        kind, key = parse_entity_id(k)
        wanted[kind].append(key)
    found = {}
    if wanted["person"]:
        for row in store.read("read/search_people_details", person_ids=wanted["person"],
                              flag_statuses=[]):  # no flags wanted
            found[entity_id("person", row["person_id"])] = describe("Person", row)
    if wanted["address"]:
        for row in store.read("read/address_by_ids", address_ids=wanted["address"]):
            found[entity_id("address", row["address_id"])] = describe("Address", row)
    return found


def flag_sentence(flag: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A flag's summary with each concerned record's id replaced by its name or address."""
    text = str(flag.get("summary") or "")
    keys = sorted(concerned_keys(flag), key=lambda k: -len(k))  # longest first: P10 before P1
    for k in keys:
        name = names.get(k)
        value = k.partition("=")[2]
        if name and value and name != value:
            text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", name, text)
    return text


MAX_EXPANSIONS = 60  # in-place expansions a chart state may carry (each is one read)


@dataclass(frozen=True)
class Expansion:
    """One in-place expansion of the chart: a node's links of one type (all when empty)."""

    node: str  # entity key, `person_id=P1`
    type: str = ""
    page: int = 1


def parse_chart_state(text: str) -> tuple[list[Expansion], list[str] | None]:
    """The chart state a page posts with an export: `{"expansions": [[node, type, page]...],
    "shown": [node...]}` (blank: the page's own view). Bad input gets a plain message."""
    if not (text or "").strip():
        return [], None
    try:
        data = json.loads(text)
        expansions = [Expansion(str(n), str(t or ""), int(p))
                      for n, t, p in data.get("expansions") or []]
        shown = data.get("shown")
        shown = None if shown is None else [str(x) for x in shown]
    except (ValueError, TypeError, AttributeError):
        raise InputError("The chart's state could not be read; reload the page and try "
                         "again.") from None
    for step in expansions:
        parse_entity_id(step.node)
        check_types([step.type])
        if step.page < 1:
            raise InputError("Page numbers start at 1.")
    return expansions, shown


def expand_in_place(store: GraphStore, node: str, link_type: str = "", page: int = 1, *,
                    role: str = "intelligence") -> View:
    """One node's links of one type, a page at a time: what the chart adds when a node is
    expanded in place (the same caps and role rules as the page)."""
    kind, key = parse_entity_id(node)
    return expand_entity(store, kind, key, depth=1, types=[link_type] if link_type else None,
                         page=page, role=role, with_flags=False)


def chart_view(store: GraphStore, kind: str, key: str, *, depth: int = 1,
               types: list[str] | None = None, page: int = 1,
               expansions: list[Expansion] | None = None, shown: list[str] | None = None,
               role: str = "intelligence") -> View:
    """The chart as the officer left it: the page's view, plus each in-place expansion, less
    what was hidden or collapsed (`shown` lists the nodes on screen; None keeps them all).
    Rebuilt from the graph, so a chart state can never show more than the role may see."""
    expansions = list(expansions or [])
    if len(expansions) > MAX_EXPANSIONS:
        raise InputError(f"A chart can carry at most {MAX_EXPANSIONS} expansions; "
                         "export a narrower chart.")
    view = expand_entity(store, kind, key, depth=depth, types=types, page=page, role=role,
                         with_flags=False)
    seen = {e.id for e in view.edges}
    for step in expansions:
        more = expand_in_place(store, step.node, step.type, step.page, role=role)
        for node_id, node in more.nodes.items():
            view.nodes.setdefault(node_id, node)
        for edge in more.edges:
            if edge.id not in seen:  # the same link has the same id in every view
                seen.add(edge.id)
                view.edges.append(edge)
    if shown is not None:
        keep = set(shown) | {view.root.id}
        view.nodes = {k: n for k, n in view.nodes.items() if k in keep}
        view.edges = [e for e in view.edges if e.source in keep and e.target in keep]
    return view


def concerned_keys(flag: Mapping[str, Any]) -> list[str]:
    """The `label_key=value` keys a flag concerns."""
    return list(flag.get("concerned_keys") or flag.get("entity_keys") or [])
