"""The address check itself: query, facts, then the answer a role may see (presentation)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from graphsvc import model
from graphsvc.address_check.answer import Answer, Candidates, View
from graphsvc.address_check.facts import (
    care_settings_near,
    echo_query,
    offender_homes_near,
    one_year_before,
    open_flags_here,
    people_tied,
    read_facts,
)
from graphsvc.address_check.offenders import describe_offenders
from graphsvc.address_check.presentation import present
from graphsvc.address_check.query import (
    MISSING_DAYS,
    SAFETY_TYPES,
    parse_as_of,
    parse_query,
    parse_radius,
    resolve,
)
from graphsvc.address_check.resolved import with_linked_records
from graphsvc.rules.config import proximity_radius_m
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

def check_address(store: GraphStore, query: Mapping[str, Any], *, role: str,
                  as_of: date | str | None = None, radius_m: int | float | str | None = None,
                  default_radius_m: int | None = None, tile_url: str = "") -> Answer:
    """Everything officers going to the address must know, cut to what the role may see.

    Returns the briefing in the role's view (a FullBriefing, or a ControlRoomBriefing for the
    control room) or, when the query fits several addresses, the Candidates (answer.py).
    `shown` lists the keys of every record the answer draws on (for the audit log). Raises
    InputError or NotFound. Without a radius, the proximity rule's (`default_radius_m`, else
    the rule's own default).
    """
    parsed = parse_query(query)
    radius = parse_radius(radius_m, default_radius_m or proximity_radius_m(None))
    day = parse_as_of(as_of)
    address, candidates = resolve(store, parsed)
    view: View = "restricted" if role in model.RESTRICTED_VIEW_ROLES else "full"
    if address is None:
        return Candidates(view=view, query=echo_query(parsed), candidates=candidates,
                          shown=[f"address_id={c['address_id']}" for c in candidates])
    point = (None if address.get("latitude") is None or address.get("longitude") is None
             else (float(address["latitude"]), float(address["longitude"])))
    located = point is not None
    since = one_year_before(day)
    near = (offender_homes_near(store, *point, radius, day, address["address_id"])
            if point else [])
    row = store.read_one("read/address_check", address_id=address["address_id"],
                         as_of=day, since=since,
                         missing_since=day - timedelta(days=MISSING_DAYS),
                         safety_types=list(SAFETY_TYPES)) or {}
    row = {**row, "nearby_offenders": describe_offenders(store, near, day)}
    row, linked_keys = with_linked_records(store, row, day)
    facts = read_facts(address, row, day)
    for name in ("here_keys", "keys"):  # flags about a resident's other records are shown
        facts[name] = sorted(set(facts[name]) | linked_keys)
    flags = open_flags_here(store, facts["here_keys"])
    here_key = f"address_id={address['address_id']}"
    tied = people_tied(facts, flags, here_key)
    people = (store.read("read/address_check_people", person_ids=sorted(tied), as_of=day)
              if tied else [])
    care = [c for c in care_settings_near(store, *point, radius)
            if c["address_id"] != address["address_id"]] if point else []
    return present(facts, flags=flags, tied=tied, tied_people=people, care_settings=care,
                   role=role, radius_m=radius, located=located, query=echo_query(parsed),
                   as_of=day.isoformat(), since=since.isoformat(), tile_url=tile_url)
