"""Intelligence search: people, addresses, vehicles and phones, ranked, each saying why it matched.

`search_entities` is what a view calls: it checks the justification, searches, attaches open
flags and records the consultation in the audit log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from graphsvc import audit
from graphsvc.errors import InputError
from graphsvc.search import addresses, people
from graphsvc.search.normalise import (
    looks_like_phone,
    looks_like_postcode,
    looks_like_vrm,
    phone_key,
    split_name_and_date,
    vrm_key,
)
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

KINDS = ("auto", "person", "address", "vehicle", "phone")
MIN_JUSTIFICATION = 4  # characters: an incident number or a few words, never blank
MAX_QUERY = 200


@dataclass
class Result:
    """One search hit, as a results page shows it."""

    kind: str  # person, address, vehicle, phone
    key: str  # the business key value (person_id, address_id, vrm, number)
    title: str
    details: list[str]
    score: float
    reasons: list[str]
    flags: list[dict] = field(default_factory=list)
    offender: bool = False

    @property
    def entity_key(self) -> str:
        return f"{KEY_PROPERTY[self.kind]}={self.key}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "entity_key": self.entity_key}


KEY_PROPERTY = {"person": "person_id", "address": "address_id", "vehicle": "vrm",
                "phone": "number"}


def guess_kind(text: str) -> str:
    """What an officer probably typed: a phone number, postcode, registration mark or a name."""
    stripped = text.strip()
    if looks_like_phone(stripped):
        return "phone"
    if re.fullmatch(r"\d{1,12}", stripped):
        return "address"  # a UPRN
    if looks_like_postcode(stripped):
        return "address"
    if looks_like_vrm(stripped):
        return "vehicle"
    name, born = split_name_and_date(stripped)
    if not name and born is None:
        return "address"
    return "person"


def search(store: GraphStore, text: str, kind: str = "auto", limit: int = 25) -> list[Result]:
    """Entities that fit `text`, best first (no audit: use `search_entities` from a view)."""
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_QUERY:
        raise InputError(f"A search can be at most {MAX_QUERY} characters long.")
    if kind not in KINDS:
        raise InputError(f"Unknown search kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if kind == "auto":
        kind = guess_kind(text)
    if kind == "person":
        return _people(store, text, limit)
    if kind == "address":
        return _addresses(store, text, limit)
    if kind == "vehicle":
        return _keyed(store, "vehicle", "read/search_vehicles", "vrm", vrm_key(text), limit,
                      "registration mark")
    return _keyed(store, "phone", "read/search_phones", "number", phone_key(text), limit,
                  "number")


def _people(store: GraphStore, text: str, limit: int) -> list[Result]:
    name, born = split_name_and_date(text)
    matches = people.find_people(store, name, born, limit=limit)
    rows = {r["person_id"]: r for r in store.read(
        "read/search_people_details", person_ids=[m.person_id for m in matches])}
    results = []
    for m in matches:
        row = rows.get(m.person_id)
        if row is None:  # removed since the index was built
            continue
        title = " ".join(x for x in (row.get("given_name"), row.get("family_name")) if x)
        details = []
        if row.get("date_of_birth"):
            details.append(f"born {row['date_of_birth'].isoformat()}")
        if row.get("aliases"):
            details.append("aliases: " + ", ".join(row["aliases"]))
        if row.get("offender"):
            details.append(f"registered offender (RoSH {row.get('rosh_level') or 'unknown'})")
        results.append(Result("person", m.person_id, title or m.person_id, details, m.score,
                              m.reasons, offender=bool(row.get("offender"))))
    return results


def _addresses(store: GraphStore, text: str, limit: int) -> list[Result]:
    stripped = text.strip()
    if re.fullmatch(r"\d{1,12}", stripped):
        matches = addresses.find_by_uprn(store, stripped)
    elif looks_like_postcode(stripped):
        matches = addresses.find_by_postcode(store, stripped, limit) or addresses.find_by_text(
            store, stripped, limit)
    else:
        matches = addresses.find_by_text(store, stripped, limit)
    rows = addresses.details(store, [m.address_id for m in matches])
    results = []
    for m in matches:
        row = rows.get(m.address_id)
        if row is None:
            continue
        title = ", ".join(x for x in (row.get("line1"), row.get("line2"), row.get("town"),
                                      row.get("postcode")) if x)
        details = [f"UPRN {row['uprn']}"] if row.get("uprn") else []
        if row.get("address_type") and row["address_type"] != "private":
            details.append(row["address_type"].replace("_", " "))
        results.append(Result("address", m.address_id, title or m.address_id, details, m.score,
                              m.reasons))
    return results


def _keyed(store: GraphStore, kind: str, statement: str, param: str, key: str, limit: int,
           what: str) -> list[Result]:
    if not key:
        return []
    results = []
    for row in store.read(statement, **{param: key, "limit": limit}):
        value = row[param]
        exact = value == key
        users = [u for u in row.get("users") or [] if u]
        results.append(Result(kind, value, value, [f"used by {', '.join(users)}"] if users else [],
                              1.0 if exact else 0.9,
                              [f"{what} {value} {'matches' if exact else 'begins ' + key}"]))
    return results


def attach_flags(store: GraphStore, results: list[Result]) -> None:
    """Put each result's open flags on it (from the rules' flag store)."""
    if not results:
        return
    from graphsvc.flags import open_flags_for_entities

    flags = open_flags_for_entities(store, [r.entity_key for r in results])
    for result in results:
        result.flags = [f for f in flags if result.entity_key in _concerned(f)]


def check_justification(justification: str) -> str:
    """The reason or incident number a consultation needs; refuse a blank one."""
    text = " ".join((justification or "").split())
    if len(text) < MIN_JUSTIFICATION:
        raise InputError("Give the reason for this search or an incident number "
                         f"(at least {MIN_JUSTIFICATION} characters).")
    return text[:500]


def search_entities(settings: Settings, store: GraphStore, *, user: str, role: str, text: str,
                    kind: str = "auto", justification: str, limit: int = 25) -> list[Result]:
    """Search, attach open flags, and record the consultation with its justification."""
    reason = check_justification(justification)
    results = search(store, text, kind, limit)
    attach_flags(store, results)
    audit.record(settings, user=user, role=role, kind="consultation", action="search",
                 asked={"text": text, "kind": kind}, shown=[r.entity_key for r in results],
                 justification=reason)
    return results


def _concerned(flag: dict[str, Any]) -> list[str]:
    return list(flag.get("concerned_keys") or flag.get("entity_keys") or [])
