"""Keys turned into EntityRefs with names, ages and addresses, and which keys a flag names in
which role."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graphsvc import model
from graphsvc.flag_text.wording import ORDER_TYPES, EntityRef, age_on, long_date, place_words, words

log = logging.getLogger(__name__)

Parts = list[Any]


class Names:
    """Turns keys into EntityRefs with names, ages and addresses from the records read."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]], as_of: date) -> None:
        self.records = records
        self.as_of = as_of

    def ref(self, key: str, text: str | None = None) -> EntityRef:
        """The entity of `key`, described (or shown as `text`, e.g. only a date)."""
        prefix, _, value = key.partition("=")
        kind = model.KIND_OF_KEY.get(prefix, "other")
        rec = self.records.get(key)
        return EntityRef(key, kind, text or self._text(prefix, value, rec))

    def on(self, incident_id: str) -> EntityRef:
        """An incident shown as its date (`1 February 2025`), linked to it."""
        rec = self.record(f"incident_id={incident_id}")
        return self.incident(incident_id, long_date(rec.get("occurred_on")
                                                    or rec.get("occurred_at")))

    def person(self, person_id: str) -> EntityRef:
        return self.ref(f"person_id={person_id}")

    def address(self, address_id: str) -> EntityRef:
        return self.ref(f"address_id={address_id}")

    def incident(self, incident_id: str, text: str | None = None) -> EntityRef:
        return self.ref(f"incident_id={incident_id}", text)

    def record(self, key: str) -> Mapping[str, Any]:
        return self.records.get(key) or {}

    def _text(self, prefix: str, value: str, rec: Mapping[str, Any] | None) -> str:
        if prefix == "vrm":
            return f"vehicle {value}"
        if prefix == "number":
            return f"phone {value}"
        if rec is None:
            return {"person_id": "a person", "address_id": "an address",
                    "incident_id": "an incident", "order_id": "an order",
                    "placement_id": "a placement", "plan_id": "a protection plan"
                    }.get(prefix, "a record") + " not in the graph"
        if prefix == "person_id":
            name = " ".join(p for p in (rec.get("given_name"), rec.get("family_name")) if p)
            age = age_on(rec.get("date_of_birth"), self.as_of)
            return f"{name or 'a person with no recorded name'}" + (f" ({age})" if age is not None
                                                                    else "")
        if prefix == "address_id":
            town = " ".join(p for p in (rec.get("town"), rec.get("postcode")) if p)
            return ", ".join(p for p in (rec.get("line1"), rec.get("line2"), town) if p) \
                or "an address with no recorded lines"
        if prefix == "incident_id":
            kind = words(rec.get("incident_type")) or "incident"
            what = {"missing": "missing episode", "cse_concern": "CSE concern",
                    "domestic_abuse": "domestic abuse incident"}.get(
                        str(rec.get("incident_type")), kind)
            return f"{what} of {long_date(rec.get('occurred_on') or rec.get('occurred_at'))}"
        if prefix == "order_id":
            order_type = rec.get("order_type")
            kind = ORDER_TYPES.get(str(order_type), words(order_type) or "order")
            return f"{kind} from {long_date(rec.get('start_date'))}"
        if prefix == "placement_id":
            kind = place_words(rec.get("placement_type")) or "a"
            by = rec.get("placing_authority")
            return f"{kind} placement from {long_date(rec.get('start_date'))}" + \
                (f" by {by}" if by else "")
        if prefix == "plan_id":
            return f"child protection plan ({words(rec.get('category'))}) from " \
                   f"{long_date(rec.get('start_date'))}"
        return value


def role_keys(flag: Mapping[str, Any], *roles: str) -> list[str]:
    return sorted({c["key"] for c in flag.get("concerned") or [] if c.get("role") in roles})


def first_key(flag: Mapping[str, Any], roles: Iterable[str], prefix: str) -> str | None:
    for role in roles:
        keys = [k for k in role_keys(flag, role) if k.startswith(prefix + "=")]
        if keys:
            return keys[0]
    return None



def people(flag: Mapping[str, Any], names: Names, *roles: str) -> list[EntityRef]:
    return [names.ref(k) for k in role_keys(flag, *roles) if k.startswith("person_id=")]


