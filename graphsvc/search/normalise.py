"""Turn what an officer types into the keys the graph stores, with the import's own functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from graphsvc.importer import normalise
from graphsvc.importer.normalise import postcode_key, text_key

_POSTCODE_PART = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?(?:[0-9][A-Z]{0,2})?$")
_VRM = re.compile(r"^[A-Z0-9]{2,8}$")


def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name as the import keys them (José O'Brien-Smith → jose, obrien, smith)."""
    return tuple(text_key(text).split())


def vrm_key(text: str) -> str:
    """`ab12 cde` → `AB12CDE` (how `Vehicle.vrm` is stored)."""
    return re.sub(r"[^A-Z0-9]", "", normalise.vrm(text or ""))


def phone_key(text: str) -> str:
    """Digits only, a leading +44 becomes 0 (how `Phone.number` is stored)."""
    return normalise.phone(text or "")


def looks_like_postcode(text: str) -> bool:
    """A full or partial UK postcode (`NR1`, `NR13`, `NR1 3AB`)."""
    return bool(_POSTCODE_PART.match(postcode_key(text))) and len(text.strip().split()) <= 2


def is_full_postcode(key: str) -> bool:
    return normalise.is_uk_postcode(key)


def looks_like_vrm(text: str) -> bool:
    key = vrm_key(text)
    return bool(_VRM.match(key)) and any(c.isdigit() for c in key) and any(
        c.isalpha() for c in key) and len(text.split()) <= 2


def looks_like_phone(text: str) -> bool:
    digits = re.sub(r"[\s()\-]", "", text.strip())
    return bool(re.fullmatch(r"\+?\d{6,15}", digits))


@dataclass(frozen=True)
class PartialDate:
    """A date of birth as far as the officer knows it: year, year and month, or the full date."""

    year: int
    month: int | None = None
    day: int | None = None

    def matches(self, value: date | None) -> bool:
        if value is None or value.year != self.year:
            return False
        if self.month is not None and value.month != self.month:
            return False
        return self.day is None or value.day == self.day

    def describe(self) -> str:
        if self.day is not None:
            return f"date of birth {self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"date of birth month {self.year:04d}-{self.month:02d}"
        return f"date of birth year {self.year:04d}"


_DATE_FORMS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{1,2})[/.](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{4})$"), ("y",)),
]


def parse_partial_date(text: str) -> PartialDate | None:
    """`1987`, `1987-03`, `03/1987`, `1987-03-12` or `12/03/1987` (UK order); None if not a date."""
    text = text.strip()
    for pattern, parts in _DATE_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        values = dict(zip(parts, (int(g) for g in m.groups()), strict=True))
        year, month, day = values["y"], values.get("m"), values.get("d")
        if not 1880 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
            return None
        if day is not None and month is not None:
            try:
                date(year, month, day)
            except ValueError:
                return None
        return PartialDate(year, month, day)
    return None


def split_name_and_date(text: str) -> tuple[str, PartialDate | None]:
    """Separate a trailing or leading date of birth from the name words of a query."""
    words = text.replace(",", " ").split()
    found: PartialDate | None = None
    rest = []
    for word in words:
        parsed = parse_partial_date(word) if found is None else None
        if parsed is not None:
            found = parsed
        else:
            rest.append(word)
    return " ".join(rest), found
