"""Small graphs for the tasking and cluster tests: entities through the real importer, and flags
raised the way a rule run raises them (through graphsvc.flags, the rule runner's own path)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graphsvc import flags
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
