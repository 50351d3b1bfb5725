"""Plain values in and out of the engines: dates go in as ISO text, Python types come out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from graphsvc.model import LOCAL_TZ


class Point(NamedTuple):
    """A WGS84 point, as both engines return it."""

    latitude: float
    longitude: float


def local_naive(value: datetime) -> datetime:
    """A datetime as the force's local wall-clock time without offset (how the graph stores it)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def to_param(value: Any) -> Any:
    """Turn a Python value into one both engines accept as a parameter.

    Dates and datetimes travel as ISO text: the Cypher files wrap them in `date()` or
    `localdatetime()`, which is the one spelling both engines understand.
    """
    if isinstance(value, datetime):
        return local_naive(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Point):
        return {"latitude": float(value.latitude), "longitude": float(value.longitude)}
    if isinstance(value, dict):
        return {str(k): to_param(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_param(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_param(v) for v in value)
    return value


def to_params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: to_param(v) for k, v in params.items()}
