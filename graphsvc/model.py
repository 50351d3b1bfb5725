"""The service's vocabulary, defined once: entity kinds, flag statuses, rule titles and roles.

Every other module imports these names; a second list of the same names elsewhere is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from graphsvc import queries

# The force's wall clock: the graph stores local times without offset.
LOCAL_TZ = ZoneInfo("Europe/London")


# --- entity kinds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EntityKind:
    """One kind of node an officer can open: its URL kind, label, business key and icons."""

    kind: str  # in URLs (`/entity/person/P1`) and pictures
    label: str  # the graph label
    key: str  # the business key property; flags name the node `key=value`
    i2_icon: str  # the Analyst's Notebook icon type in an i2 export
    links_flags: bool = False  # flags that share such a node belong to one tasking cluster

    @property
    def flag_link(self) -> str:
        """The statement that links flags to nodes of this kind (CONCERNS)."""
        return f"flags/concerns_{self.kind}"

    @property
    def key_list(self) -> str:
        """The parameter of `flags/for_entities` that holds keys of this kind."""
        return f"{self.key}s"


ENTITY_KINDS: tuple[EntityKind, ...] = (
    EntityKind("person", "Person", "person_id", "Person", links_flags=True),
    EntityKind("address", "Address", "address_id", "Building", links_flags=True),
    EntityKind("vehicle", "Vehicle", "vrm", "Car", links_flags=True),
    EntityKind("phone", "Phone", "number", "Phone", links_flags=True),
    EntityKind("incident", "Incident", "incident_id", "Event"),
    EntityKind("placement", "Placement", "placement_id", "House"),
    EntityKind("order", "Order", "order_id", "Document"),
    EntityKind("plan", "ProtectionPlan", "plan_id", "Document"),
    EntityKind("flag", "Flag", "flag_id", "Warning"),
)
KINDS: dict[str, EntityKind] = {k.kind: k for k in ENTITY_KINDS}
# The second label of a person on the offender register (offenders.csv).
OFFENDER_LABEL = "Offender"
KIND_OF_LABEL: dict[str, str] = {k.label: k.kind for k in ENTITY_KINDS}
KIND_OF_KEY: dict[str, str] = {k.key: k.kind for k in ENTITY_KINDS}
# Kinds a flag can concern (every kind but a flag), by business key.
FLAGGABLE: dict[str, EntityKind] = {k.key: k for k in ENTITY_KINDS if k.kind != "flag"}
# Kinds whose shared nodes join flags into one cluster, by business key.
LINKING: dict[str, EntityKind] = {k.key: k for k in ENTITY_KINDS if k.links_flags}


def entity_key(key_name: str, value: str) -> str:
    """`key_name=value`, the one spelling of an entity's key in flags and clusters."""
    return f"{key_name}={value}"


# --- flag statuses --------------------------------------------------------------------------

class FlagStatus(StrEnum):
    """Where a flag stands. Rule runs alone set `new` and `resolved`; people set the rest."""

    NEW = "new"
    UNDER_REVIEW = "under_review"
    ACTIONED = "actioned"
    NO_FURTHER_ACTION = "no_further_action"
    RESOLVED = "resolved"


S = FlagStatus
STATUSES: tuple[str, ...] = tuple(s.value for s in FlagStatus)
# Waiting for a person's decision: the tasking queue (`flags list --open`).
AWAITING_DECISION: tuple[str, ...] = (S.NEW.value, S.UNDER_REVIEW.value)
# A person closed it; a material change in its evidence reopens it.
CLOSED: tuple[str, ...] = (S.ACTIONED.value, S.NO_FURTHER_ACTION.value)
# The condition still holds and nobody dismissed it: on the board, in an address check.
LIVE: tuple[str, ...] = (S.NEW.value, S.UNDER_REVIEW.value, S.ACTIONED.value)
# A closed flag whose evidence grows materially goes back to the start of triage, so the next
# tasking meeting sees it among "new since the last meeting"; its history keeps the decision.
REOPEN: str = S.NEW.value
# Status changes a person may record, from each status.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW.value: (S.UNDER_REVIEW.value, S.ACTIONED.value, S.NO_FURTHER_ACTION.value),
    S.UNDER_REVIEW.value: (S.UNDER_REVIEW.value, S.ACTIONED.value, S.NO_FURTHER_ACTION.value),
    S.ACTIONED.value: (S.ACTIONED.value, S.UNDER_REVIEW.value, S.NO_FURTHER_ACTION.value),
    S.NO_FURTHER_ACTION.value: (S.UNDER_REVIEW.value,),
    S.RESOLVED.value: (S.UNDER_REVIEW.value,),
}
# The decisions a person may record, with the words the tasking board uses for them.
DECISIONS: dict[str, str] = {S.UNDER_REVIEW.value: "Under review", S.ACTIONED.value: "Action",
                             S.NO_FURTHER_ACTION.value: "No further action"}
SEVERITIES: tuple[str, ...] = ("medium", "high", "critical")


# --- rule titles (read from the headers of cypher/rules/*.cypher) ---------------------------

@dataclass(frozen=True)
class RuleTitles:
    """How a rule is named to people: its title, a short label and a phrase for a sentence."""

    title: str  # `// title:` — a meeting's heading
    short: str  # `// short_title:` — a node of the graph picture (about 20 characters)
    phrase: str  # `// phrase:` — after "open high flag: " in an address check


@cache
def rule_titles() -> dict[str, RuleTitles]:
    """Each rule's names, by rule id, from its Cypher file's header."""
    out = {}
    for name in queries.names("rules/"):
        query = queries.get(name)
        out[name[len("rules/"):]] = RuleTitles(query.first("title"), query.first("short_title"),
                                               query.first("phrase"))
    return out


def rule_title(rule_id: str | None, default: str | None = None) -> str:
    """The rule's title; `default` (else the id in words) for an unknown rule."""
    titles = rule_titles().get(rule_id or "")
    return titles.title if titles else _fallback(rule_id, default)


def short_title(rule_id: str | None, default: str | None = None) -> str:
    """The rule's short label for a picture node."""
    titles = rule_titles().get(rule_id or "")
    return titles.short if titles else _fallback(rule_id, default)


def rule_phrase(rule_id: str | None, default: str | None = None) -> str:
    """The rule in lower-case words for the middle of a sentence."""
    titles = rule_titles().get(rule_id or "")
    return titles.phrase if titles else _fallback(rule_id, default)


def _fallback(rule_id: str | None, default: str | None) -> str:
    return default if default is not None else (rule_id or "").replace("_", " ")


# --- roles and what each may see (docs/roles.md is the route table) --------------------------

ROLES: tuple[str, ...] = ("control_room", "intelligence", "tasking", "admin")
# Roles an API client token may carry (an admin is always a person at a keyboard).
TOKEN_ROLES: tuple[str, ...] = ("control_room", "intelligence")
# Who may run an address check, and who sees only its restricted view (no names of records).
ADDRESS_CHECK_ROLES: tuple[str, ...] = ("control_room", "intelligence")
RESTRICTED_VIEW_ROLES: tuple[str, ...] = ("control_room",)
# Who reviews flagged clusters and records decisions.
TASKING_ROLES: tuple[str, ...] = ("tasking",)
# Node properties shown only to these roles (the rest of a node is shown to all who see it).
RESTRICTED_PROPERTIES: dict[tuple[str, str], frozenset[str]] = {
    ("Incident", "summary"): frozenset({"intelligence"}),
    ("Order", "conditions"): frozenset({"intelligence"}),
}
# Where each role starts after signing in (a web endpoint).
ROLE_HOME: dict[str, str] = {"control_room": "address.check", "intelligence": "search.index",
                             "tasking": "tasking.board", "admin": "admin.users_page"}
