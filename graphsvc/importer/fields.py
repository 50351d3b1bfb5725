"""Column types of the import format: each parser turns a cell into the value the graph keeps.

A parser raises `ValueError` with a plain-English reason ("'1990-02-30' is not a real date
(expected YYYY-MM-DD)"); the validator adds file, line and field.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graphsvc.dates import EARLIEST, LATEST, in_range
from graphsvc.importer import normalise

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$")
_INT = re.compile(r"^[+-]?\d+$")

# Longest cell each kind of column accepts, in characters (README, "Import limits"). The graph
# engine's unique indexes crash on keys of a few thousand characters, and no real record needs
# more than these; a longer cell rejects its row, naming the field.
MAX_ID = 100  # ids and other keys
MAX_TEXT = 200  # names, address lines, authorities, references
MAX_LONG_TEXT = 4000  # free text: an incident summary, an order's conditions
MAX_SHORT = 40  # dates, numbers, choices, flags
MAX_LIST_ITEMS = 50  # items in a `;`-separated list
MAX_PHONE_DIGITS = 15  # the longest number the international plan (E.164) allows


def parse_text(value: str) -> str:
    return value


# Dates repeat through a file (about 620,000 checked at county scale): each distinct one once.
@functools.lru_cache(maxsize=1 << 16)
def parse_iso_date(value: str) -> str:
    """`YYYY-MM-DD`, checked to be a real date; kept as ISO text for `date()` in Cypher."""
    if not _DATE.match(value):
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date (expected YYYY-MM-DD)") from None
    _check_range(day)
    return day.isoformat()


def _check_range(day: date) -> None:
    if not in_range(day):
        raise ValueError(f"{day.isoformat()} is outside the dates the service accepts "
                         f"({EARLIEST.year} to {LATEST.year})")


def parse_datetime(value: str) -> str:
    """ISO 8601 date and time; an offset is converted to Europe/London local time."""
    if not _DATETIME.match(value):
        raise ValueError(f"{value!r} is not a date and time "
                         "(expected ISO 8601, e.g. 2025-03-01T22:15:00)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time "
                         "(expected ISO 8601, e.g. 2025-03-01T22:15:00)") from None
    _check_range(parsed.date())
    return normalise.local_datetime(parsed).isoformat(timespec="seconds")


def parse_datetime_or_date(value: str) -> str:
    """A datetime, or a bare date taken as midnight local time."""
    if _DATE.match(value):
        return parse_iso_date(value) + "T00:00:00"
    return parse_datetime(value)


def parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ValueError(f"{value!r} is not true or false")


def parse_int(value: str) -> int:
    if not _INT.match(value):
        raise ValueError(f"{value!r} is not a whole number")
    return int(value)


def parse_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a number")
    return number


def parse_uprn(value: str) -> str:
    result = normalise.uprn(value)
    if result is None:
        raise ValueError(f"{value!r} is not a UPRN (expected 1 to 12 digits)")
    return result


def parse_phone(value: str) -> str:
    number = normalise.phone(value)
    if len(number) < 3:
        raise ValueError(f"{value!r} is not a phone number")
    if len(number) > MAX_PHONE_DIGITS:
        raise ValueError(f"a phone number has at most {MAX_PHONE_DIGITS} digits, "
                         f"this one has {len(number)}")
    return number


def parse_vrm(value: str) -> str:
    mark = normalise.vrm(value)
    if not mark.isalnum() or not mark.isascii() or len(mark) > 10:
        raise ValueError(f"{value!r} is not a vehicle registration mark")
    return mark


@dataclass(frozen=True)
class Column:
    """One column of a file: how to parse it, whether it is required, what it may hold."""

    name: str
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    is_list: bool = False
    ref: str = ""  # label of the node this column refers to ("Person", "Address", "Incident")
    max_len: int = MAX_SHORT  # longest cell (for a list: longest item) accepted, in characters
    key: bool = False  # an id: no control characters (one in a unique key crashes the engine)


def text(name: str, **kw: Any) -> Column:
    return Column(name, parse_text, **{"max_len": MAX_TEXT, **kw})


def long_text(name: str, **kw: Any) -> Column:
    return Column(name, parse_text, **{"max_len": MAX_LONG_TEXT, **kw})


def ident(name: str, ref: str = "", **kw: Any) -> Column:
    return Column(name, parse_text, ref=ref, key=True, **{"max_len": MAX_ID, **kw})


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def check_plain(value: str, key: bool) -> None:
    """Refuse a NUL anywhere, and any control character in an id (FalkorDB 4.16 crashes on a
    unique key holding U+0001; ids come from systems that never put one there on purpose)."""
    if "\x00" in value:
        raise ValueError("holds a NUL character, which no field may hold")
    if key:
        found = _CONTROL.search(value)
        if found:
            raise ValueError(f"holds a control character (U+{ord(found.group()):04X}), which "
                             "an id may not hold")


def when(name: str, **kw: Any) -> Column:
    return Column(name, parse_iso_date, **kw)


def moment(name: str, **kw: Any) -> Column:
    return Column(name, parse_datetime, **kw)


def choice(name: str, *choices: str, **kw: Any) -> Column:
    return Column(name, parse_text, choices=choices, **kw)


def flag(name: str, **kw: Any) -> Column:
    return Column(name, parse_bool, **kw)


def number(name: str, **kw: Any) -> Column:
    return Column(name, parse_float, **kw)


def whole(name: str, **kw: Any) -> Column:
    return Column(name, parse_int, **kw)
