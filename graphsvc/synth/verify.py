"""Checks on a written folder that the background cannot flag or un-flag a planted case.

Independent of how the generator works: it reads the files back and checks isolation (no
background row names a planted person, address, UPRN, phone or vehicle), distances on the
WGS84 ellipsoid around planted out-of-area placements, that nothing is dated after as_of, and
that every period is in order (no end before its start), since the importer rejects such rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from graphsvc import geo
from graphsvc.errors import GraphsvcError
from graphsvc.importer.normalise import grid_to_wgs84
from graphsvc.synth.write import FILES, read_rows

# Background danger (a high-risk offender or child-contact order subject) must be further than
# this from every planted out-of-area placement; planted danger from another scenario, further
# than OTHER_SCENARIO_M.
BACKGROUND_CLEARANCE_M = 3_000.0
OTHER_SCENARIO_M = 1_500.0
PROXIMITY_RULE = "ooa_child_near_high_risk_offender"
RADIUS_M = 1_000.0
_REFERENCE_FIELDS = ["person_id", "address_id", "found_address_id", "target_id", "incident_id",
                     "placement_id", "order_id", "plan_id", "uprn"]
_NOT_DIGIT = re.compile(r"[^0-9]")
# Per file, pairs of fields where the second, when both are given, must not be before the first.
PERIODS: dict[str, list[tuple[str, str]]] = {
    "residences": [("start_date", "end_date")],
    "offenders": [("registered_from", "registered_until")],
    "orders": [("start_date", "end_date")],
    "protection_plans": [("start_date", "end_date")],
    "placements": [("start_date", "end_date")],
    "incidents": [("occurred_at", "returned_at"), ("returned_at", "return_interview_at"),
                  ("occurred_at", "return_interview_at")],
    "associations": [("first_seen", "last_seen")],
}


class SynthCheckFailed(GraphsvcError):
    """The generated folder breaks one of the planted scenarios' guarantees."""


def _planted(row: dict[str, str]) -> bool:
    return "SCN-" in row.get("source_ref", "")


def _phone(value: str) -> str:
    digits = _NOT_DIGIT.sub("", value)
    return "0" + digits[2:] if value.strip().startswith("+44") else digits


def _key(value: str) -> str:
    return value.replace(" ", "").upper()


def planted_keys_of(rows: Iterable[dict[str, Any]]) -> set[str]:
    """The keys planted rows define: ids, UPRNs, phone numbers and vehicle marks."""
    keys: set[str] = set()
    for row in rows:
        if not _planted(row):
            continue
        for fieldname in ("person_id", "address_id", "incident_id", "placement_id", "order_id",
                          "plan_id", "uprn"):
            if row.get(fieldname):
                keys.add(_key(str(row[fieldname])))
        if row.get("target_type") in ("phone", "vehicle"):
            keys.add(_key(_phone(row["target_id"]) if row["target_type"] == "phone"
                          else row["target_id"]))
    return keys


def verify_folder(folder: Path, as_of: date, planted_keys: set[str] | None = None
                  ) -> dict[str, int]:
    """Raise SynthCheckFailed with every problem found; return what was checked.

    `planted_keys` saves a first pass over the files when the caller already knows them.
    """
    problems: list[str] = []
    disorder: list[str] = []
    if planted_keys is None:
        planted_keys = set()
        for name in FILES:
            planted_keys |= planted_keys_of(read_rows(folder, name))
    points: dict[str, dict[str, str]] = {}  # address → its coordinate cells
    danger: set[str] = set()
    homes: dict[str, list[str]] = {}
    ooa: list[tuple[str, str]] = []  # planted out-of-area placements: (placement, address)
    latest = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    checked = 0
    for name in FILES:  # pass 2: background rows against planted keys, and the geometry
        for line, row in enumerate(read_rows(folder, name), start=2):
            checked += 1
            disorder += _check_periods(name, line, row)
            planted = _planted(row)
            if not planted:
                refs = [row.get(f, "") for f in _REFERENCE_FIELDS]
                refs += row.get("protected_person_ids", "").split(";")
                refs += [_phone(p) for p in row.get("phone_numbers", "").split(";") if p]
                if name == "associations" and row["target_type"] == "phone":
                    refs.append(_phone(row["target_id"]))
                hits = [r for r in refs if r and _key(r) in planted_keys]
                if hits:
                    problems.append(f"{name} line {line}: background row refers to planted "
                                    f"{', '.join(hits)}")
            if name == "addresses":  # converted only when needed: most are never asked for
                points[row["address_id"]] = {k: row.get(k) or "" for k in COORDINATES}
            elif name == "residences" and (not row["end_date"] or
                                           date.fromisoformat(row["end_date"]) >= as_of):
                homes.setdefault(row["person_id"], []).append(row["address_id"])
            elif name == "offenders" and row["rosh_level"] in ("high", "very_high"):
                danger.add(row["person_id"])
            elif name == "orders" and row["prohibits_child_contact"] == "true":
                danger.add(row["person_id"])
            elif name == "placements" and planted and \
                    row["placing_authority"] != row["area_authority"]:
                ooa.append((row["placement_id"], row["address_id"]))
            elif name == "incidents":
                for fieldname in ("occurred_at", "returned_at", "return_interview_at"):
                    if row.get(fieldname) and datetime.fromisoformat(row[fieldname]) >= latest:
                        problems.append(f"incidents line {line}: {fieldname} is after as_of")
    problems += _check_distances(points, danger, homes, ooa)
    if disorder or problems:
        parts = []
        if disorder:
            parts.append(f"has dates out of order, which the importer would reject: "
                         f"{_listed(disorder)}")
        if problems:
            parts.append(f"breaks a planted scenario: {_listed(problems)}")
        raise SynthCheckFailed(f"The generated data in {folder} {'; and it '.join(parts)}.")
    return {"rows_checked": checked, "planted_keys": len(planted_keys),
            "ooa_placements_checked": len(ooa)}


def _listed(problems: list[str], limit: int = 10) -> str:
    more = f" (and {len(problems) - limit} more)" if len(problems) > limit else ""
    return "; ".join(problems[:limit]) + more


def _check_periods(name: str, line: int, row: dict[str, str]) -> list[str]:
    """Every period in the row runs forwards: an end (or a return, or an interview) is never
    before its start, and an interview needs a return."""
    problems = []
    for first, then in PERIODS.get(name, ()):
        if not (row.get(first) and row.get(then)):
            continue
        try:
            backwards = datetime.fromisoformat(row[then]) < datetime.fromisoformat(row[first])
        except ValueError as exc:
            problems.append(f"{name} line {line}: {exc}")
            continue
        if backwards:
            problems.append(f"{name} line {line}: {then} {row[then]} is before {first} "
                            f"{row[first]}")
    if name == "incidents" and row.get("return_interview_at") and not row.get("returned_at"):
        problems.append(f"incidents line {line}: return_interview_at without returned_at")
    return problems


COORDINATES = ("latitude", "longitude", "easting", "northing")


def _point(row: dict[str, str]) -> tuple[float, float] | None:
    if row.get("latitude") and row.get("longitude"):
        return float(row["latitude"]), float(row["longitude"])
    if row.get("easting") and row.get("northing"):
        return grid_to_wgs84(float(row["easting"]), float(row["northing"]))
    return None


def _scenario(key: str) -> str:
    """`P-SCN-OOA-03-CHILD` → `SCN-OOA-03`; background keys have none."""
    match = re.search(r"SCN-[A-Z]+-\d+", key)
    return match.group(0) if match else ""


def _check_distances(points: dict[str, dict[str, str]], danger: set[str],
                     homes: dict[str, list[str]], ooa: list[tuple[str, str]]) -> list[str]:
    problems = []
    where = {address: _point(cells) for address, cells in points.items()}
    danger_points = [(person, there) for person in sorted(danger)
                     for a in homes.get(person, []) if (there := where.get(a))]
    for placement, address in ooa:
        here = where.get(address)
        if here is None:
            problems.append(f"planted placement {placement} has no coordinates")
            continue
        for person, there in danger_points:
            distance = geo.geodesic_m(*here, *there)
            scenario = _scenario(person)
            if not scenario and distance <= BACKGROUND_CLEARANCE_M:
                problems.append(f"background {person} lives {distance:.0f} m from planted "
                                f"placement {placement}")
            elif scenario and scenario != _scenario(placement) and distance <= OTHER_SCENARIO_M:
                problems.append(f"{person} lives {distance:.0f} m from {placement} of "
                                f"another scenario")
    return problems


def check_expectations(expected: dict[str, Any], points_folder: Path) -> list[str]:
    """Proximity expectations agree with the written coordinates on the ellipsoid."""
    points = {row["address_id"]: _point(row) for row in read_rows(points_folder, "addresses")}
    problems = []
    for kind, entries in (("expected", expected["expected"]),
                          ("near_misses", expected["near_misses"])):
        for entry in entries:
            if entry["rule"] != PROXIMITY_RULE:
                continue
            child, adult = entry["entities"]["person_id"]
            place = points.get(f"A-{_scenario(child)}-PLACE")
            home = points.get(f"A-{_scenario(adult)}-ADULT-HOME")
            if place is None or home is None:
                problems.append(f"{entry['scenario']}: its placement or home has no coordinates")
                continue
            distance = geo.geodesic_m(*place, *home)
            if kind == "expected" and distance > RADIUS_M:
                problems.append(f"{entry['scenario']}: {distance:.2f} m is beyond {RADIUS_M} m")
            if "1,001 m" in entry["scenario"] and distance <= RADIUS_M:
                problems.append(f"{entry['scenario']}: {distance:.2f} m is within {RADIUS_M} m")
    return problems
