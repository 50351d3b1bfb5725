"""One way to read a date given as a date, datetime, ISO text or nothing, with a plain error;
and one clock: `now()`, `stamp()` and `today()` in the force's local time with its UTC offset,
`graph_now()` without it (as the graph keeps times)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, overload

from graphsvc.errors import InputError
from graphsvc.model import LOCAL_TZ

# The days the service accepts. Before EARLIEST no record is real; LATEST stays years clear of
# 9999-12-31, where date arithmetic (a day after, a year before 0001) overflows Python's
# calendar. Dates in the future but before LATEST get the more useful "in the future" answer
# from the check that needs it.
EARLIEST = date(1800, 1, 1)
LATEST = date(9990, 12, 31)


def now() -> datetime:
    """This second in the force's local time (Europe/London), aware of its UTC offset."""
    return datetime.now(LOCAL_TZ).replace(microsecond=0)


def graph_now() -> datetime:
    """This second in local time without its offset: how the graph keeps times (FalkorDB has no
    zoned datetime, so both engines keep the force's wall clock)."""
    return now().replace(tzinfo=None)


def stamp(moment: datetime | None = None) -> str:
    """A moment (now by default) as stored in the application database: ISO text in local time
    with its UTC offset, so it reads as local and is never ambiguous (the autumn hour repeats).

    >>> stamp(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LOCAL_TZ))
    '2026-10-25T01:30:00+00:00'
    """
    return (moment or now()).astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def today() -> date:
    """Today's date in the force's local time."""
    return now().date()


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


@overload
def parse_date(value: date | datetime | str | None, what: str, *,
               required: Literal[True]) -> date: ...
@overload
def parse_date(value: date | datetime | str | None, what: str, *,
               required: bool = False) -> date | None: ...
def parse_date(value: date | datetime | str | None, what: str, *,
               required: bool = False) -> date | None:
    """The date in `value` (a datetime gives its day); None for nothing unless `required`.

    `what` names the field in the error message, e.g. "due date".
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError(f"The {what} is missing: give a date like 2025-04-30 (YYYY-MM-DD).")
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif not isinstance(value, str):
        raise InputError(f"The {what} must be a date like 2025-04-30 (YYYY-MM-DD), "
                         f"not {type(value).__name__}.")
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(f"The {what} {value.strip()[:20]!r} is not a date: it must be a "
                             "date like 2025-04-30 (YYYY-MM-DD).") from None
    if not in_range(day):
        raise InputError(f"The {what} {day.isoformat()} is out of range: give a date between "
                         f"{EARLIEST.isoformat()} and {LATEST.isoformat()}.")
    return day


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes the 28th.

    >>> add_years(date(2024, 2, 29), -1), add_years(date(2020, 5, 1), 18)
    (datetime.date(2023, 2, 28), datetime.date(2038, 5, 1))
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


ADULT_AGE = 18  # a child is anyone under this age on the day that matters (docs/graph-model.md)


def age_on(born: object, day: date) -> int | None:
    """Whole years from `born` to `day` (None without a date of birth).

    >>> age_on(date(2010, 6, 30), date(2026, 6, 29))
    15
    """
    if not isinstance(born, date):
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
