"""What an entity page shows of one node or link: the kinds of links, the properties each role
may see, icons, captions and the groups of details."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graphsvc import dates
from graphsvc.dates import ADULT_AGE, age_on
from graphsvc.errors import InputError
from graphsvc.model import KIND_OF_KEY, KIND_OF_LABEL, KINDS, RESTRICTED_PROPERTIES
from graphsvc.store.values import Point

log = logging.getLogger(__name__)

# Relationships an officer can expand along; flag links are shown apart (open flags), except
# from a flag's own page, where CONCERNS is what it is about. SAME_AS joins the records of one
# person (linkage or an officer's decision; rejected ones are not read), so views and exports
# carry a person's other records.
LINK_TYPES = ("RESIDES_AT", "PLACED_IN", "AT", "FOUND_AT", "SUBJECT_OF", "RESTRICTED_BY",
              "PROTECTS", "INVOLVED_IN", "ASSOCIATED_WITH", "SAME_AS")
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
EDGE_HIDDEN = {"source_ref", "updated_at", "row_hash", "residence_key", "entity_key",
               "evidence_json", "model_status"}

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
        if self.type == "SAME_AS":
            word = f"same person ({p.get('status') or 'linked'})"
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


def plain_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Point):
        return f"{value.latitude:.5f}, {value.longitude:.5f}"
    if isinstance(value, list):
        return [plain_value(v) for v in value]
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
        shown[name] = plain_value(value)
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
        when = when.date().isoformat() if isinstance(when, datetime) else plain_value(when)
        return f"{(p.get('incident_type') or 'incident').replace('_', ' ')} {when or ''}".strip()
    if label == "Placement":
        return f"placement {(p.get('placement_type') or '').replace('_', ' ')} " \
               f"from {plain_value(p.get('start_date')) or '?'}"
    if label == "Order":
        return f"{(p.get('order_type') or 'order').upper()} from {plain_value(p.get('start_date'))}"
    if label == "ProtectionPlan":
        return f"protection plan ({(p.get('category') or '').replace('_', ' ')})"
    if label == "Flag":
        return f"flag {p.get('rule_id', '')} ({p.get('severity', '')}, {p.get('status', '')})"
    if label == "Vehicle":
        return str(p.get("vrm", "?"))
    if label == "Phone":
        return str(p.get("number", "?"))
    return str(next(iter(p.values()), "?"))


def _label_of(labels: list[str]) -> str:
    for label in labels:
        if label in KIND_OF_LABEL:
            return label
    return labels[0] if labels else "?"


def node_of(labels: list[str], props: dict[str, Any], hop: int, role: str) -> Node | None:
    label = _label_of(labels)
    kind = KIND_OF_LABEL.get(label)
    if kind is None:
        return None  # FlagEvent, JobRun and the like are not entities
    key = str(props.get(KINDS[kind].key))
    age = age_on(props.get("date_of_birth"), dates.today()) if label == "Person" else None
    return Node(entity_id(kind, key), kind, key, describe(label, props),
                visible_props(label, props, role), hop, offender="Offender" in labels,
                icon=icon_of(label, labels, props, age), age=age)
