"""Small import-format tables for the search and entity tests, loaded through the real import."""

from __future__ import annotations

import csv
from pathlib import Path

from graphsvc.importer import import_folder


def write_csv(folder: Path, name: str, header: list[str], rows: list[tuple]) -> None:
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def load_tables(store, settings, folder: Path, people, addresses, associations, **more) -> dict:
    """Write the given rows as an import folder and import it; fail loudly on any reject."""
    folder.mkdir(parents=True, exist_ok=True)
    if people:
        write_csv(folder, "people", ["person_id", "given_name", "family_name", "aliases",
                                     "date_of_birth", "phone_numbers"], people)
    if addresses:
        write_csv(folder, "addresses", ["address_id", "uprn", "line1", "line2", "town",
                                        "postcode"], addresses)
    if associations:
        write_csv(folder, "associations", ["person_id", "target_type", "target_id", "relation"],
                  associations)
    for name, (header, rows) in more.items():
        write_csv(folder, name, header, rows)
    report = import_folder(store, folder, settings=settings)
    rejected = {name: f for name, f in report.get("files", {}).items() if f.get("rejected")}
    assert not rejected, report
    return report
