"""Flags in words: the types of a sentence (EntityRef, Line, FlagText) and the small word
helpers every writer shares."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graphsvc.dates import age_on as _years_between

log = logging.getLogger(__name__)

SEVERITY_WORDS = {"critical": "critical", "high": "high", "medium": "medium"}
# Which concerned entity a flag is chiefly about: the first role found in these orders.
SUBJECT_ROLES = ("child", "offender", "order_subject", "adult", "suspect")
ADDRESS_ROLES = ("address", "placement_address", "child_address", "care_setting",
                 "found_at_address", "offender_address", "offender_home")
KEY_KINDS = ("person_id", "address_id", "incident_id", "order_id", "placement_id", "plan_id")
PLACE_WORDS = {"childrens_home": "children's home", "foster_home": "foster home",
               "kinship_foster": "kinship foster"}
RELATIONS = {"associate": "an associate of", "family": "family of", "partner": "the partner of",
             "seen_with": "seen with"}
ORDER_TYPES = {"shpo": "sexual harm prevention order", "sro": "sexual risk order",
               "cawn": "child abduction warning notice",
               "dvpo": "domestic violence protection order", "restraining": "restraining order",
               "non_molestation": "non-molestation order"}


@dataclass(frozen=True)
class EntityRef:
    """A person, address or other record as a reader sees it, with its key kept for the link."""

    key: str
    kind: str
    text: str

    def __str__(self) -> str:
        return self.text


class Line(tuple[Any, ...]):
    """One sentence as parts: plain text and EntityRefs. `str(line)` is the plain sentence."""

    def __str__(self) -> str:
        return "".join(str(p) for p in self)

    @property
    def entities(self) -> list[EntityRef]:
        return [p for p in self if isinstance(p, EntityRef)]


@dataclass(frozen=True)
class FlagText:
    """A flag in words: what a meeting, a minute or a referral says about it."""

    flag_id: str
    rule_id: str
    title: str
    severity: str
    status: str
    summary: Line
    evidence: tuple[Line, ...]
    subject: EntityRef | None
    address: EntityRef | None
    entities: tuple[EntityRef, ...]
    # (role, entity) for each person, address, vehicle and phone it concerns (role as the rule
    # gave it: child, offender, order_subject, adult, suspect, address, ...).
    concerned: tuple[tuple[str, EntityRef], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: sentences as text, entities with their keys."""
        return {"flag_id": self.flag_id, "rule_id": self.rule_id, "title": self.title,
                "severity": self.severity, "status": self.status,
                "summary": str(self.summary), "evidence": [str(x) for x in self.evidence],
                "subject": _ref_dict(self.subject), "address": _ref_dict(self.address)}


def _ref_dict(ref: EntityRef | None) -> dict[str, str] | None:
    return {"key": ref.key, "text": ref.text} if ref else None


# ---- words ---------------------------------------------------------------------------------


def long_date(value: date | datetime | str | None) -> str:
    """`2025-02-01` → `1 February 2025`; a datetime keeps its time (`1 February 2025, 21:30`).

    >>> long_date("2025-02-01T21:30:00"), long_date(date(2024, 12, 9)), long_date(None)
    ('1 February 2025, 21:30', '9 December 2024', 'an unknown date')
    """
    if value is None or value == "":
        return "an unknown date"
    if isinstance(value, str):
        written = value
        try:
            value = datetime.fromisoformat(written) if "T" in written else \
                date.fromisoformat(written)
        except ValueError:
            return written
    text = f"{value.day} {value.strftime('%B %Y')}"
    if isinstance(value, datetime) and (value.hour or value.minute):
        text += f", {value.strftime('%H:%M')}"
    return text


def age_on(date_of_birth: date | str | None, as_of: date) -> int | None:
    """Whole years from a date of birth to as_of.

    >>> age_on("2011-04-02", date(2025, 4, 1)), age_on("2011-04-02", date(2025, 4, 2))
    (13, 14)
    """
    if not date_of_birth:
        return None
    born = date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
    if isinstance(born, datetime):
        born = born.date()
    return _years_between(born, as_of)


def words(value: str | None) -> str:
    """`very_high` → `very high`."""
    return (value or "").replace("_", " ")


def place_words(place_type: str | None) -> str:
    """`childrens_home` → `children's home`; other types as words ('' when unknown)."""
    return words(PLACE_WORDS.get(place_type or "", place_type))


def incident_words(incident_type: str | None) -> str:
    """`cse_concern` → `CSE concern`; other types as words."""
    return "CSE concern" if incident_type == "cse_concern" else words(incident_type)


def plural(n: int, one: str, many: str | None = None) -> str:
    """`3 incidents`, `1 incident`."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def join(items: list[Any]) -> list[Any]:
    """Parts joined as English: [a] , [a, ' and ', b], [a, ', ', b, ' and ', c]."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out

