"""Small graphs for the tasking and cluster tests: entities through the real importer, and flags
raised the way a rule run raises them (through graphsvc.flags, the rule runner's own path)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graphsvc import clusters, flags
from tests.factories import load_graph


def person(person_id: str, given: str, family: str, dob: str = "1980-01-01") -> dict:
    return {"person_id": person_id, "given_name": given, "family_name": family,
            "date_of_birth": dob}


def address(address_id: str, line1: str, postcode: str) -> dict:
    return {"address_id": address_id, "line1": line1, "town": "Norwich", "postcode": postcode,
            "latitude": 52.63, "longitude": 1.29}


def load(store, settings, tmp_path, **tables: list[dict]) -> None:
    """Import these tables (import-format rows) through the real importer."""
    load_graph(store, settings, tmp_path, tables)


def load_beech_close(store, settings, tmp_path) -> None:
    """Cara C1 (child) went missing from Otto O1's home, 3 Beech Close H1, on 1 February 2025;
    Dan C2 (child) and 9 Oak Way H2 have nothing around them. The flags are the test's own."""
    load(store, settings, tmp_path,
         people=[person("C1", "Cara", "Child", "2011-04-02"), person("O1", "Otto", "Offender"),
                 person("C2", "Dan", "Young", "2010-09-09")],
         addresses=[address("H1", "3 Beech Close", "NR3 3CC"),
                    address("H2", "9 Oak Way", "NR4 4DD")],
         residences=[{"person_id": "O1", "address_id": "H1", "start_date": "2024-01-01"}],
         incidents=[{"incident_id": "I1", "incident_type": "missing",
                     "occurred_at": "2025-02-01T21:30:00", "address_id": "H1",
                     "risk_grade": "medium"}],
         incident_people=[{"incident_id": "I1", "person_id": "C1", "role": "missing_person"}])


def concern(*entities: tuple[str, str, str], severity: str = "high", summary: str = "",
            evidence: dict[str, Any] | None = None) -> dict[str, Any]:
    """One rule row: entities as (label_key, key, role); all of them are the flag's identity."""
    return {"identity": [f"{k}={v}" for k, v, _ in entities],
            "entities": [{"label_key": k, "key": v, "role": r} for k, v, r in entities],
            "severity": severity, "summary": summary or f"Concern about {entities[0][1]}.",
            "evidence": evidence or {"count": len(entities)}, "material": []}


def run_rule(store, rule_id: str, *concerns: dict[str, Any],
             at: datetime | None = None) -> list[str]:
    """Raise (or refresh) these concerns as a rule run would; the rule's other flags resolve."""
    found = flags.found_from_rows(rule_id, list(concerns))
    changes = flags.plan_changes(flags.existing_flags(store, rule_id), found)
    at = at or datetime.now().replace(microsecond=0)
    flags.apply_changes(store, changes, found, as_of=at.date(), at=at, run_id=f"test-{rule_id}")
    return [f.flag_id for f in found]


def raise_mill_lane_flags(store) -> dict[str, str]:
    """Three flags on a graph holding P1 (a child), P2, P3 (who uses AB12 CDE) and address A1:
    a child near an offender at 1 Mill Lane (critical, and the offender's household) and a car
    used by a third man (medium). Returns their flag ids by name: near, house, car."""
    [near] = run_rule(store, "near", concern(("person_id", "P1", "child"),
                                             ("address_id", "A1", "address"),
                                             severity="critical"))
    [house] = run_rule(store, "house", concern(("person_id", "P2", "offender"),
                                               ("address_id", "A1", "address")))
    [car] = run_rule(store, "car", concern(("person_id", "P3", "adult"),
                                           ("vrm", "AB12CDE", "vehicle"), severity="medium"))
    return {"near": near, "house": house, "car": car}


def board_of_one_flag(store, settings, tmp_path, *, cluster: bool = True) -> str:
    """Cara C1 (child) placed 412 m from Otto O1 (offender), who lives at 3 Beech Close H1: one
    critical flag, returned; the board clustered unless `cluster` is False."""
    load(store, settings, tmp_path,
         people=[person("C1", "Cara", "Child", "2011-04-02"), person("O1", "Otto", "Offender")],
         addresses=[address("H1", "3 Beech Close", "NR3 3CC")],
         residences=[{"person_id": "O1", "address_id": "H1", "start_date": "2024-01-01"}])
    [near] = run_rule(store, "ooa_child_near_high_risk_offender",
                      concern(("person_id", "C1", "child"), ("person_id", "O1", "offender"),
                              severity="critical", summary="Cara placed 412 m from Otto.",
                              evidence={"distance_m": 412.5}))
    if cluster:
        clusters.recompute(store, settings)
    return near
