"""Days as the synthetic generator counts them (proleptic ordinals, as `date.toordinal`), and
their ISO text in the import files."""

from __future__ import annotations

from datetime import date

DAY_S = 86_400


def iso_day(day: int) -> str:
    return date.fromordinal(day).isoformat()


def iso_datetime(day: int, seconds: int) -> str:
    """The local date and time `seconds` after the start of `day` (which may pass midnight)."""
    day += seconds // DAY_S
    seconds %= DAY_S
    return f"{iso_day(day)}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
