"""Entity pages: one node's details, its links to a chosen depth, its timeline and open flags.

Expansion goes hop by hop with caps (a page of the root's links, a few links per node further
out, a ceiling per hop), so a hotel with thousands of incidents stays as quick as a house.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graphsvc import audit
from graphsvc.dates import ADULT_AGE, age_on
from graphsvc.errors import InputError, NotFound, PermissionDenied
from graphsvc.model import KIND_OF_KEY, KIND_OF_LABEL, KINDS, LIVE, RESTRICTED_PROPERTIES
from graphsvc.search import check_justification
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.values import Point

log = logging.getLogger(__name__)


# Relationships an officer can expand along; flag links are shown apart (open flags), except
# from a flag's own page, where CONCERNS is what it is about.
LINK_TYPES = ("RESIDES_AT", "PLACED_IN", "AT", "FOUND_AT", "SUBJECT_OF", "RESTRICTED_BY",
              "PROTECTS", "INVOLVED_IN", "ASSOCIATED_WITH")
FLAG_LINK = "CONCERNS"

PAGE_SIZE = 100  # the root's links per page, newest first
PER_NODE = 10  # links followed from each node beyond the root (newest first)
PER_HOP = 250  # nodes expanded at each hop beyond the first
MAX_DEPTH = 3
TIMELINE_KINDS = ("incident", "placement", "order", "plan")

# Internal fields: search keys, fingerprints, run bookkeeping. Never shown, never exported.
HIDDEN = {"name_key", "given_name_key", "family_name_key", "alias_keys", "postcode_key",
          "text_key", "location", "evidence_json", "row_hash", "offender_row_hash",
          "residence_key", "entity_keys", "concerned_keys", "material_keys", "last_run_id",
          "latitude", "longitude", "identity_key"}
# link properties that are bookkeeping, not intelligence
EDGE_HIDDEN = {"source_ref", "updated_at", "row_hash", "residence_key", "entity_key"}

# Details are shown grouped by meaning, in this order; a property in no group goes under
# "Details", between identity and risk.
DETAIL_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identity", ("given_name", "family_name", "aliases", "date_of_birth", "gender", "pnc_id",
                  "phone_numbers", "line1", "line2", "town", "postcode", "uprn", "address_type",
                  "vrm", "number", "incident_type", "occurred_at", "placement_type",
                  "order_type", "category", "rule_id")),
    ("Risk", ("severity", "status", "rosh_level", "mappa_category", "mappa_level", "visor_ref",
              "registered_from", "registered_until", "offender_manager", "warning_markers",
              "risk_grade", "dash_score", "prohibits_child_contact", "conditions",
              "out_of_area", "legal_basis", "placing_authority", "area_authority",
              "police_notified_date", "start_date", "end_date", "returned_at",
              "return_interview_at", "crime_ref", "summary", "action", "owner", "due_date",
              "decided_by", "decided_at")),
    ("Provenance", ("source", "source_ref", "offender_source", "offender_source_ref",
                    "first_seen", "last_seen", "as_of", "updated_at")),
)
_GROUP_OF = {name: title for title, names in DETAIL_GROUPS for name in names}
_ORDER = {name: i for i, (_, names) in enumerate(DETAIL_GROUPS) for name in names}
_ORDER_IN_GROUP = {name: i for _, names in DETAIL_GROUPS for i, name in enumerate(names)}
CARE_SETTINGS = ("childrens_home", "secure_home", "foster_home", "supported_accommodation")
# incident types drawn with their own icon; the rest are drawn as a plain incident
INCIDENT_ICONS = {"missing": "missing", "absent": "missing", "domestic_abuse": "domestic",
                  "cse_concern": "cse", "sexual_offence": "sexual", "child_neglect": "plan",
                  "violence": "violence"}
# every icon the chart draws (web/static/icons/<name>.svg) with its legend text
ICONS = {"person": "person", "child": "child (under 18)", "offender": "registered offender",
         "address": "address", "care": "care setting", "vehicle": "vehicle", "phone": "phone",
         "incident": "incident", "missing": "missing or absent", "domestic": "domestic abuse",
         "cse": "CSE concern", "sexual": "sexual offence", "violence": "violence",
         "placement": "placement", "order": "order", "plan": "protection plan or neglect",
         "flag": "flag", "group": "collapsed group (Enter opens)"}


@dataclass
class Node:
    id: str  # the entity key: `person_id=P1`
    kind: str
    key: str
    label: str
    props: dict[str, Any]
    hop: int
    offender: bool = False
    flagged: bool = False
    icon: str = ""  # which icon the chart draws (child, offender, care, incident type...)
    age: int | None = None  # a person's age today, when the date of birth is known

    @property
    def when(self) -> str:
        """The date this record happened or began, for timelines (empty when it has none)."""
        p = self.props
        return str(p.get("occurred_at") or p.get("start_date") or "")[:10]


@dataclass
class Edge:
    id: str
    source: str
    target: str
    type: str
    props: dict[str, Any]
    hop: int

    @property
    def label(self) -> str:
        """The relation as the data names it: `family`, `home`, `suspect`, else the type."""
        p = self.props
        word = p.get("relation") or p.get("residence_type") or p.get("role") or self.type
        return str(word).replace("_", " ").lower()

    @property
    def dates(self) -> str:
        p = self.props
        start = p.get("first_seen") or p.get("start_date")
        end = p.get("last_seen") or p.get("end_date")
        if start and end:
            return f"{start} to {end}"
        return f"from {start}" if start else (f"until {end}" if end else "")


@dataclass
class View:
    """What an entity page shows, and what its exports contain."""

    root: Node
    depth: int
    types: list[str]
    page: int
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    link_counts: dict[str, int] = field(default_factory=dict)  # the root's links by type
    total_links: int = 0  # the root's links of the chosen types
    capped: bool = False  # some node beyond the root had more links than were followed
    timeline: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # entity key → caption, for flag text
    # For a person: each source's record of them and the links between (graphsvc.identities).
    identity: Any = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total_links // PAGE_SIZE))

    def graph_json(self) -> dict[str, Any]:
        """`{nodes, edges, counts, total, page, pages}` for the link chart (js/graph.js)."""
        return {
            "nodes": [{"id": n.id, "kind": n.kind, "key": n.key, "label": n.label, "hop": n.hop,
                       "icon": n.icon, "when": n.when, "age": n.age,
                       "until": str(n.props.get("end_date") or n.props.get("returned_at")
                                    or "")[:10],
                       "offender": n.offender, "flagged": n.flagged, "root": n.id == self.root.id}
                      for n in self.nodes.values()],
            "edges": [{"id": e.id, "source": e.source, "target": e.target, "type": e.type,
                       "label": e.label, "grading": str(e.props.get("grading") or ""),
                       "dates": e.dates}
                      for e in self.edges],
            "counts": self.link_counts, "total": self.total_links, "page": self.page,
            "pages": self.pages,
        }


def entity_id(kind: str, key: str) -> str:
    return f"{KINDS[kind].key}={key}"


def parse_entity_id(text: str) -> tuple[str, str]:
    """`person_id=P1` → (`person`, `P1`)."""
    prop, _, key = text.partition("=")
    if prop not in KIND_OF_KEY or not key:
        raise InputError(f"{text!r} is not an entity key such as person_id=P1.")
    return KIND_OF_KEY[prop], key


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Point):
        return f"{value.latitude:.5f}, {value.longitude:.5f}"
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def visible_props(label: str, props: dict[str, Any], role: str) -> dict[str, Any]:
    """The node's properties this role may see, as display values."""
    shown = {}
    for name, value in sorted(props.items()):
        if name in HIDDEN or value is None:
            continue
        allowed = RESTRICTED_PROPERTIES.get((label, name))
        if allowed is not None and role not in allowed:
            continue
        shown[name] = _plain(value)
    return shown


def icon_of(label: str, labels: list[str], props: dict[str, Any], age: int | None) -> str:
    """The chart's icon for a node: a child, a registered offender, a care setting..."""
    if label == "Person":
        if "Offender" in labels:
            return "offender"
        return "child" if age is not None and age < ADULT_AGE else "person"
    if label == "Address":
        return "care" if props.get("address_type") in CARE_SETTINGS else "address"
    if label == "Incident":
        return INCIDENT_ICONS.get(str(props.get("incident_type")), "incident")
    return KIND_OF_LABEL.get(label, "other")


def detail_groups(node: Node, skip: set[str] | None = None
                  ) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The node's shown properties grouped by meaning (identity, details, risk, provenance),
    each group in a reading order, with the age beside a date of birth (`skip`: shown apart)."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for name in sorted(node.props, key=lambda n: (_ORDER.get(n, 0.5), _ORDER_IN_GROUP.get(n, 0),
                                                   n)):
        value = node.props[name]
        if name in KIND_OF_KEY or name in (skip or ()):
            continue  # the id is shown as secondary text under the title
        if name == "date_of_birth" and node.age is not None:
            value = f"{value} (age {node.age})"
        groups.setdefault(_GROUP_OF.get(name, "Details"), []).append(
            (name.replace("_", " "), value))
    order = ["Identity", "Details", "Risk", "Provenance"]
    return [(title, groups[title]) for title in order if title in groups]


def describe(label: str, props: dict[str, Any]) -> str:
    """A short caption for a node: a person's name, an address's first line and postcode."""
    p = props
    if label == "Person":
        name = " ".join(x for x in (p.get("given_name"), p.get("family_name")) if x)
        return name or p.get("person_id", "?")
    if label == "Address":
        return ", ".join(x for x in (p.get("line1"), p.get("postcode")) if x) or p["address_id"]
    if label == "Incident":
        when = p.get("occurred_at") or p.get("occurred_on")
        when = when.date().isoformat() if isinstance(when, datetime) else _plain(when)
        return f"{(p.get('incident_type') or 'incident').replace('_', ' ')} {when or ''}".strip()
    if label == "Placement":
        return f"placement {(p.get('placement_type') or '').replace('_', ' ')} " \
               f"from {_plain(p.get('start_date')) or '?'}"
    if label == "Order":
        return f"{(p.get('order_type') or 'order').upper()} from {_plain(p.get('start_date'))}"
    if label == "ProtectionPlan":
        return f"protection plan ({(p.get('category') or '').replace('_', ' ')})"
    if label == "Flag":
        return f"flag {p.get('rule_id', '')} ({p.get('severity', '')}, {p.get('status', '')})"
    if label == "Vehicle":
        return p.get("vrm", "?")
    if label == "Phone":
        return p.get("number", "?")
    return str(next(iter(p.values()), "?"))


def _label_of(labels: list[str]) -> str:
    for label in labels:
        if label in KIND_OF_LABEL:
            return label
    return labels[0] if labels else "?"


def _node(labels: list[str], props: dict[str, Any], hop: int, role: str) -> Node | None:
    label = _label_of(labels)
    kind = KIND_OF_LABEL.get(label)
    if kind is None:
        return None  # FlagEvent, JobRun and the like are not entities
    key = str(props.get(KINDS[kind].key))
    age = age_on(props.get("date_of_birth"), date.today()) if label == "Person" else None
    return Node(entity_id(kind, key), kind, key, describe(label, props),
                visible_props(label, props, role), hop, offender="Offender" in labels,
                icon=icon_of(label, labels, props, age), age=age)


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
    root = _node(row["labels"], row["node"], 0, role)
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
                per_key = defaultdict(int)
                for link in rows:
                    per_key[link["key"]] += 1
                view.capped = view.capped or any(n >= per_node for n in per_key.values())
            for link in rows:
                other = _node(link["labels"], link["node"], hop, role)
                if other is None:
                    continue
                here = entity_id(frontier_kind, str(link["key"]))
                source, target = (here, other.id) if link["outgoing"] else (other.id, here)
                edge_key = (source, target, link["type"], _identity(link["rel"]))
                if edge_key not in seen_edges:
                    seen_edges.add(edge_key)
                    view.edges.append(Edge(_edge_id(edge_key), source, target, link["type"],
                                           {k: _plain(v) for k, v in (link["rel"] or {}).items()
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
        from graphsvc.identities.links import records_of_person

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
        nodes = [n for n in (_node(r["labels"], r["node"], 1, role) for r in rows) if n]
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
    from graphsvc.flags import open_flags_for_entities

    view.names = {k: n.label for k, n in view.nodes.items()}
    flags = open_flags_for_entities(store, [k for k, n in view.nodes.items() if n.kind != "flag"])
    flagged = {k for f in flags for k in _concerned(f)}
    for node in view.nodes.values():
        node.flagged = node.id in flagged
    view.flags = [f for f in flags if view.root.id in _concerned(f)]
    view.names.update(captions(store, [k for f in view.flags for k in _concerned(f)
                                       if k not in view.names]))


def captions(store: GraphStore, keys: list[str]) -> dict[str, str]:
    """Names of these people and addresses (entity key → caption), for flag text."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for k in set(keys):
        kind, key = parse_entity_id(k)
        wanted[kind].append(key)
    found = {}
    if wanted["person"]:
        for row in store.read("read/search_people_details", person_ids=wanted["person"]):
            found[entity_id("person", row["person_id"])] = describe("Person", row)
    if wanted["address"]:
        for row in store.read("read/address_by_ids", address_ids=wanted["address"]):
            found[entity_id("address", row["address_id"])] = describe("Address", row)
    return found


def flag_sentence(flag: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A flag's summary with each concerned record's id replaced by its name or address."""
    text = str(flag.get("summary") or "")
    keys = sorted(_concerned(flag), key=lambda k: -len(k))  # longest first: P10 before P1
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


def view_expansion(settings: Settings, store: GraphStore, *, user: str, role: str, node: str,
                   link_type: str, page: int, justification: str) -> View:
    """Expand a node in place for the chart, and record the consultation."""
    reason = check_justification(justification)
    view = expand_in_place(store, node, link_type, page, role=role)
    audit.record(settings, user=user, role=role, kind="consultation", action="chart_expand",
                 asked={"entity": node, "type": link_type, "page": page},
                 shown=list(view.nodes), justification=reason)
    return view


# The tasking role's reach (docs/roles.md): entities the board shows, one hop out.
TASKING_MAX_DEPTH = 1


def check_reach(store: GraphStore, *, role: str, kind: str, key: str, depth: int) -> None:
    """Refuse (PermissionDenied) what the role's need to know does not cover.

    Intelligence officers may open any entity. A tasking meeting needs the entities its board
    shows: a flag that is live, or an entity a live flag concerns, to depth 1.
    """
    if role != "tasking":
        return
    if depth > TASKING_MAX_DEPTH:
        raise PermissionDenied(f"The tasking role sees links to depth {TASKING_MAX_DEPTH} only; "
                               "ask an intelligence officer for a wider view.")
    from graphsvc.flags import open_flags_for_entities

    check_key(kind, key)
    if kind == "flag":
        row = store.read_one("flags/get", flag_id=key)
        if row is not None and row["flag"].get("status") in LIVE:
            return
    elif open_flags_for_entities(store, [f"{KINDS[kind].key}={key}"]):
        return
    raise PermissionDenied("The tasking role may open only the records a live flag on the "
                           "board concerns.")


def view_entity(settings: Settings, store: GraphStore, *, user: str, role: str, kind: str,
                key: str, justification: str, depth: int = 1, types: list[str] | None = None,
                page: int = 1) -> View:
    """Expand an entity for a page and record the consultation with its justification."""
    reason = check_justification(justification)
    check_reach(store, role=role, kind=kind, key=key, depth=depth)
    view = expand_entity(store, kind, key, depth=depth, types=types, page=page, role=role)
    audit.record(settings, user=user, role=role, kind="consultation", action="entity_view",
                 asked={"entity": view.root.id, "depth": depth, "types": view.types,
                        "page": page},
                 shown=list(view.nodes), justification=reason)
    return view


def _concerned(flag: dict[str, Any]) -> list[str]:
    return list(flag.get("concerned_keys") or flag.get("entity_keys") or [])
