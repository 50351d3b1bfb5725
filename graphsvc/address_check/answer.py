"""The address check's answer as a typed value: one type per view, and the candidates.

`check_address` answers with one of three types:

- `FullBriefing`: the briefing everyone but the control room sees (ids, dates of birth, incident
  lists, flag summaries and the people living here);
- `ControlRoomBriefing`: the control room's view (docs/roles.md). It has no `residents` field at
  all, and `presentation.for_control_room` is the one place its sections are cut;
- `Candidates`: the query fits several addresses, listed best first (nothing is guessed).

The sections below the top level are JSON objects exactly as the API's OpenAPI contract
describes them per view (web/openapi.py, which forbids any property it does not list); `Counts`
and `Warning` are typed here because every front door reads them. The front doors turn an
answer into JSON with `as_json` (the API leaves out `shown`, which is for the audit log); the
pages render the typed value itself.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal, TypedDict

from graphsvc.address_check.query import SCHEMA_VERSION

Section = dict[str, Any]  # one JSON object of the answer, as web/openapi.py describes it
Rows = list[dict[str, Any]]  # a list of such objects
View = Literal["full", "restricted"]
Level = Literal["critical", "high", "medium", "info"]


class Warning(TypedDict):
    """One line of the warnings officers read first, most serious first."""

    level: Level
    text: str


class Counts(TypedDict):
    """How many of each thing the briefing lists (the same in both views)."""

    people_living_here: int
    children_living_here: int
    children_on_protection_plans: int
    looked_after_children_placed_here: int
    offenders_living_here: int
    offenders_nearby: int | None  # None when the address has no coordinates: never a false 0
    offenders_tied_to_address: int
    active_orders: int
    domestic_abuse_incidents_12_months: int
    incidents_12_months: int
    missing_children_placed_here_90_days: int
    open_flags: int


@dataclass(frozen=True, kw_only=True, slots=True)
class _Answer:
    """What every answer carries: the contract's version, the query as understood, and the
    records it draws on (for the audit log)."""

    schema_version: str = SCHEMA_VERSION
    query: Section
    shown: list[str]


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidates(_Answer):
    """The query fits several addresses: each candidate, best first."""

    status: Literal["ambiguous"] = "ambiguous"
    view: View
    candidates: Rows


@dataclass(frozen=True, kw_only=True, slots=True)
class _Briefing(_Answer):
    """What both views of the briefing for one address carry."""

    status: Literal["found"] = "found"
    as_of: str
    since: str  # the first day of the 12 months of officer-safety history
    radius_m: int
    located: bool  # False: the address has no coordinates, so nobody nearby was measured
    address: Section
    warnings: list[Warning]
    counts: Counts
    children_on_protection_plans: Rows
    looked_after_children: Rows
    offenders_here: Rows
    offenders_nearby: Rows
    orders: Rows
    officer_safety: Section
    domestic_abuse: Section
    warning_markers: Section
    care_settings_nearby: Rows
    flags: Rows
    picture: Section | None  # None when the address has no coordinates


@dataclass(frozen=True, kw_only=True, slots=True)
class FullBriefing(_Briefing):
    """The briefing for one address as everyone but the control room sees it: with ids, dates
    of birth, incident lists, flag summaries and the people living here."""

    view: Literal["full"] = "full"
    residents: Rows


@dataclass(frozen=True, kw_only=True, slots=True)
class ControlRoomBriefing(_Briefing):
    """The briefing for one address as the control room sees it (docs/roles.md): names where
    officers need them; no ids but the address's, no dates of birth, incident lists, flag
    summaries, other addresses, list of residents or names of offenders nothing ties here."""

    view: Literal["restricted"] = "restricted"


Briefing = FullBriefing | ControlRoomBriefing
Answer = Briefing | Candidates


def as_json(answer: Answer, *, shown: bool = True) -> dict[str, Any]:
    """The answer as a JSON object (`shown=False` leaves out the list of records drawn on,
    which the audit log keeps and the API does not return). Dates inside the sections stay
    dates: the front door writes them as ISO 8601 (and sorts the keys)."""
    return {f.name: getattr(answer, f.name) for f in fields(answer)
            if shown or f.name != "shown"}
