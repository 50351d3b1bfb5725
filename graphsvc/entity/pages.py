"""The entity page and chart expansion as a role sees them: reach, justification and audit."""

from __future__ import annotations

import logging

from graphsvc import audit, validate
from graphsvc.entity.expand import check_key, expand_entity, expand_in_place
from graphsvc.entity.nodes import View
from graphsvc.errors import PermissionDenied
from graphsvc.flags import open_flags_for_entities
from graphsvc.model import KINDS, LIVE
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

def check_justification(justification: str) -> str:
    """The reason an entity page or its picture needs (the same words as search's)."""
    return validate.check_justification(
        justification, "Give the reason for this search or an incident number")


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
