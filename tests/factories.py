"""Build small graphs for tests through the real importer, from rows in the import format.

    load_graph(store, settings, tmp_path, {"people": [{"person_id": "P1", ...}], ...})

Rows use the import format's column names; None or "" is an empty cell, lists become
`;`-separated cells, booleans `true`/`false`, dates ISO text.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from graphsvc.importer import import_folder
from graphsvc.importer.files import BY_NAME
from graphsvc.synth.write import cell_text


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def write_folder(folder: Path, tables: dict[str, list[dict]], fmt: str = "csv") -> Path:
    """Write one file per table (`people.csv`, ...) into folder; return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        if name not in BY_NAME:
            raise ValueError(f"{name!r} is not a file of the import format")
        columns = list(dict.fromkeys(k for row in rows for k in row))
        if fmt == "csv":
            with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([cell_text(row.get(c)) for c in columns])
        elif fmt == "jsonl":
            with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps({k: _json_value(v) for k, v in row.items()}) + "\n")
        else:
            raise ValueError(f"fmt must be 'csv' or 'jsonl', not {fmt!r}")
    return folder


_folders = iter(range(1, 10**9))


def load_graph(store, settings, tmp_path: Path, tables: dict[str, list[dict]], *,
               allow_rejects: bool = False, fmt: str = "csv", as_of: date | None = None) -> dict:
    """Write the tables as a folder and import it with the real importer; return the report.

    Fails the test when any row is rejected, unless allow_rejects.
    """
    folder = write_folder(Path(tmp_path) / f"import-{next(_folders)}", tables, fmt)
    report = import_folder(store, folder, settings=settings, as_of=as_of)
    if not allow_rejects and not report["clean"]:
        problems = [f"{r['file']} line {r['line']}, field {r['field']}: {r['reason']}"
                    for r in report["rejects"]]
        problems += [f"{s['file']}: {s['refused']}" for s in report["files"].values()
                     if s["refused"]]
        pytest.fail("the test data was not imported cleanly:\n" + "\n".join(problems))
    return report
