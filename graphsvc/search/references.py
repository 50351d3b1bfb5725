"""People found by a reference rather than a name: a PNC id, a ViSOR reference, or the record id
a source system gave them. Exact, in the case typed or in upper case."""

from __future__ import annotations

import re

from graphsvc.store.base import GraphStore

_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.:\-]{2,99}")


def references(text: str) -> list[str]:
    """The reference as typed and in upper case when `text` is one word holding a digit
    (`P0000001`, `18/898767D`); nothing for other text."""
    ref = text.strip()
    if not _REFERENCE.fullmatch(ref) or not any(c.isdigit() for c in ref):
        return []
    return list(dict.fromkeys((ref, ref.upper())))


def find_people(store: GraphStore, text: str) -> dict[str, list[str]]:
    """person_id → why it matched (`PNC id 18/898767D matches`), for each person whose record
    id, PNC id or ViSOR reference is exactly `text`; in person_id order."""
    refs = references(text)
    if not refs:
        return {}
    found: dict[str, list[str]] = {}
    for row in store.read("read/search_person_refs", refs=refs):
        found.setdefault(row["person_id"], []).append(f"{row['field']} {row['value']} matches")
    return dict(sorted(found.items()))
