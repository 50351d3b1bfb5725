"""Reading flags and the records they name, and rendering each as a FlagText."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from graphsvc import dates, model
from graphsvc.entity import flag_sentence
from graphsvc.errors import NotFound
from graphsvc.flag_text.names import Names, first_key
from graphsvc.flag_text.wording import (
    ADDRESS_ROLES,
    KEY_KINDS,
    SUBJECT_ROLES,
    FlagText,
    Line,
    words,
)
from graphsvc.flag_text.writers import WRITERS, generic
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)


# ---- reading -------------------------------------------------------------------------------


def describe_flags(store: GraphStore, flag_ids: Iterable[str], *,
                   as_of: date | None = None) -> dict[str, FlagText]:
    """Every flag found of these ids in words, keyed by flag id (two graph reads in all)."""
    as_of = as_of or dates.today()
    ids = sorted(set(flag_ids))
    if not ids:
        return {}
    flags = store.read("read/flags_for_text", flag_ids=ids)
    for flag in flags:
        flag["evidence"] = decode(flag.pop("evidence_json", None))
        flag["concerned"] = [c for c in flag.get("concerned") or [] if c.get("key")]
    records = read_records(store, (k for f in flags for k in keys_named(f)))
    return {f["flag_id"]: render_flag(f, records, as_of) for f in flags}


def describe_flag(store: GraphStore, flag_id: str, *, as_of: date | None = None) -> FlagText:
    """One flag in words; NotFound when there is no such flag."""
    found = describe_flags(store, [flag_id], as_of=as_of)
    if flag_id not in found:
        raise NotFound(f"There is no flag {flag_id!r}.")
    return found[flag_id]


def read_records(store: GraphStore, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The records behind `label_key=value` keys (people, addresses, incidents, orders,
    placements, plans), each with its `labels`, keyed by key."""
    wanted: dict[str, set[str]] = {k: set() for k in KEY_KINDS}
    for key in keys:
        prefix, _, value = key.partition("=")
        if prefix in wanted and value:
            wanted[prefix].add(value)
    if not any(wanted.values()):
        return {}
    rows = store.read("read/records_by_keys",
                      **{f"{k.removesuffix('_id')}_ids": sorted(v) for k, v in wanted.items()})
    return {r["key"]: {**(r["record"] or {}), "labels": r["labels"]} for r in rows}


def decode(text: str | None) -> dict[str, Any]:
    """A flag's evidence JSON as a dict (text that is not JSON is kept under `text`)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def keys_named(flag: Mapping[str, Any]) -> set[str]:
    """Every record key a flag names: what it concerns and what its evidence refers to."""
    keys = {c["key"] for c in flag.get("concerned") or []}
    ev = flag.get("evidence") or {}
    for incident in ev.get("incidents") or []:
        keys.add(f"incident_id={incident.get('incident_id')}")
        keys.update(f"person_id={p}" for p in incident.get("children_present") or [])
    for child in ev.get("children") or []:
        if not isinstance(child, dict):  # a list of person ids (offender_unnotified_address)
            keys.add(f"person_id={child}")
            continue
        keys.add(f"person_id={child.get('child_id')}")
        for via in child.get("via") or []:
            kind, _, ref = str(via).partition(":")
            if kind != "association":
                keys.add(f"incident_id={ref}")
    for contact in ev.get("contacts") or []:
        if contact.get("via") == "incident":
            keys.add(f"incident_id={contact.get('ref')}")
    for name in ("victims", "suspects", "children_living", "children_present"):
        keys.update(f"person_id={p}" for p in ev.get(name) or [])
    for name in ("missing_incidents", "cse_concerns"):
        keys.update(f"incident_id={i}" for i in ev.get(name) or [])
    for episode in ev.get("episodes") or []:
        keys.add(f"incident_id={episode.get('incident_id')}")
    if ev.get("incident_id"):
        keys.add(f"incident_id={ev['incident_id']}")
    for name in ("missing_from", "register_addresses"):
        keys.update(f"address_id={a}" for a in ev.get(name) or [])
    return keys



def render_flag(flag: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]],
                as_of: date) -> FlagText:
    """A flag (`flag_id`, `rule_id`, `severity`, `status`, `summary`, decoded `evidence`,
    `concerned` [{key, role}]) and the records it names → FlagText. Evidence without the facts
    its rule's writer needs is described generically (the stored sentence, label: value)."""
    names = Names(records, as_of)
    ev = flag.get("evidence") or {}
    writer = WRITERS.get(flag.get("rule_id") or "", generic)
    try:
        summary, evidence = writer(flag, ev, names)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        log.warning("Flag %s has evidence of an unexpected shape; described generically.",
                    flag.get("flag_id"))
        summary, evidence = generic(flag, ev, names)
    subject = first_key(flag, SUBJECT_ROLES, "person_id")
    address = first_key(flag, ADDRESS_ROLES, "address_id")
    concerned = tuple(dict.fromkeys(
        (c.get("role") or "", names.ref(c["key"])) for c in flag.get("concerned") or []
        if c["key"].split("=", 1)[0] in ("person_id", "address_id", "vrm", "number")))
    entities = tuple(ref for _, ref in concerned)
    return FlagText(flag_id=flag["flag_id"], rule_id=flag.get("rule_id") or "",
                    title=model.rule_title(flag.get("rule_id"), words(flag.get("rule_id"))),
                    severity=flag.get("severity") or "", status=flag.get("status") or "",
                    summary=Line(summary), evidence=tuple(Line(e) for e in evidence),
                    subject=names.ref(subject) if subject else None,
                    address=names.ref(address) if address else None,
                    entities=tuple(dict.fromkeys(entities)), concerned=concerned)



def flag_words(store: GraphStore, flags: Iterable[Mapping[str, Any]]
               ) -> Callable[[Mapping[str, Any], Mapping[str, str]], str]:
    """`say(flag, names)` for the pages that list flags: each flag's summary in words, with
    names, ages, addresses and dates (graphsvc.flag_text, read once for all the flags); a flag
    that cannot be read in words falls back to its summary with ids replaced by names."""
    texts = describe_flags(store, [f["flag_id"] for f in flags if f.get("flag_id")])

    def say(flag: Mapping[str, Any], names: Mapping[str, str]) -> str:
        text = texts.get(str(flag.get("flag_id")))
        return str(text.summary) if text else flag_sentence(flag, names)

    return say

