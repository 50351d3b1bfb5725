"""File writers for the import format: CSV through the csv module, JSON Lines for some files.

Rows stream straight to disk so the county never sits in memory. Two files are JSON Lines so
both of the importer's readers get exercised by every demo and benchmark.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

_PROVENANCE = ["source", "source_ref"]

# Column order of each file, as in shared/spec/import-format.md, in the order files are applied.
COLUMNS: dict[str, list[str]] = {
    "people": ["person_id", "given_name", "family_name", "aliases", "date_of_birth", "gender",
               "pnc_id", "phone_numbers", "warning_markers"],
    "addresses": ["address_id", "uprn", "line1", "line2", "town", "postcode", "latitude",
                  "longitude", "easting", "northing", "address_type", "warning_markers"],
    "residences": ["person_id", "address_id", "residence_type", "start_date", "end_date"],
    "offenders": ["person_id", "visor_ref", "registered_from", "registered_until",
                  "mappa_category", "mappa_level", "rosh_level", "offender_manager",
                  "risk_management_summary"],
    "orders": ["order_id", "person_id", "order_type", "start_date", "end_date",
               "protected_person_ids", "prohibits_child_contact", "conditions"],
    "protection_plans": ["plan_id", "person_id", "category", "start_date", "end_date",
                         "local_authority", "lead_professional", "lead_contact"],
    "placements": ["placement_id", "person_id", "address_id", "placing_authority",
                   "area_authority", "placement_type", "legal_basis", "start_date", "end_date",
                   "police_notified_date"],
    "incidents": ["incident_id", "incident_type", "occurred_at", "address_id", "risk_grade",
                  "dash_score", "found_address_id", "returned_at", "return_interview_at",
                  "crime_ref", "status", "summary"],
    "incident_people": ["incident_id", "person_id", "role"],
    "associations": ["person_id", "target_type", "target_id", "relation", "first_seen",
                     "last_seen", "grading"],
}
FILES = list(COLUMNS)
JSONL_FILES = {"incidents", "associations"}


def file_name(name: str) -> str:
    return f"{name}.jsonl" if name in JSONL_FILES else f"{name}.csv"


def cell_text(value: Any) -> str:
    """A cell as the import format spells it: lists `;`-joined, booleans `true`/`false`, dates
    and times in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    return str(value)


class FolderWriter:
    """One open file per record type; `write(name, row)` appends a row and counts it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts = dict.fromkeys(FILES, 0)
        self._files = {}
        self._csv = {}
        for name in FILES:
            handle = open(folder / file_name(name), "w", encoding="utf-8", newline="")
            self._files[name] = handle
            if name not in JSONL_FILES:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(COLUMNS[name] + _PROVENANCE)
                self._csv[name] = writer

    def write(self, name: str, row: dict[str, Any]) -> None:
        columns = COLUMNS[name] + _PROVENANCE
        if name in JSONL_FILES:
            record = {c: cell_text(row[c]) for c in columns if row.get(c) not in (None, "")}
            self._files[name].write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self._csv[name].writerow([cell_text(row.get(c)) for c in columns])
        self.counts[name] += 1

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()

    def __enter__(self) -> FolderWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_rows(folder: Path, name: str) -> Iterator[dict[str, Any]]:
    """Yield the rows of one written file as dicts of text (empty cells as "")."""
    path = folder / file_name(name)
    with open(path, encoding="utf-8", newline="") as handle:
        if name in JSONL_FILES:
            for line in handle:
                record = json.loads(line)
                yield {c: record.get(c, "") for c in COLUMNS[name] + _PROVENANCE}
        else:
            yield from csv.DictReader(handle)
