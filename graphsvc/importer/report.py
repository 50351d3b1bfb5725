"""What an import did: counts per file, warnings, and every rejected row with its reason.

The report is JSON; rejected rows go to a CSV beside it as they happen, so a file with a million
bad rows costs no memory.
"""

from __future__ import annotations

import csv
import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graphsvc.spreadsheet import csv_row

# Rejects kept in the report itself (all of them are in rejects.csv).
REPORT_REJECTS = 200


@dataclass
class FileStats:
    file: str
    read: int = 0
    imported: int = 0
    rejected: int = 0
    refused: str = ""
    unknown_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0


def output_folder(data_dir: Path, folder: Path) -> Path:
    """`<data_dir>/imports/<UTC timestamp>-<folder name>/`, made unique if two imports collide."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = data_dir / "imports" / f"{stamp}-{folder.name or 'import'}"
    out, n = base, 1
    while out.exists():
        n += 1
        out = base.with_name(f"{base.name}-{n}")
    out.mkdir(parents=True)
    return out


class Report:
    """Collects counts, warnings and rejects; writes report.json and rejects.csv."""

    def __init__(self, folder: Path, out_dir: Path):
        self.folder = folder
        self.out_dir = out_dir
        self.files: dict[str, FileStats] = {}
        self.unknown_files: list[str] = []
        self.warnings: list[str] = []
        self.rejects: list[dict[str, Any]] = []
        self.started = datetime.now(UTC)
        self.extra: dict[str, Any] = {}
        self.rejects_path = out_dir / "rejects.csv"
        self.path = out_dir / "report.json"
        self._handle = open(self.rejects_path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._writer.writerow(["file", "line", "field", "reason", "raw"])
        self._lock = threading.Lock()  # the batch writer's thread rejects rows too

    def stats(self, name: str, file: str) -> FileStats:
        self.files[name] = FileStats(file=file)
        return self.files[name]

    def reject(self, stats: FileStats, line: int, field_name: str, reason: str, raw: str) -> None:
        with self._lock:
            stats.rejected += 1
            self._writer.writerow(csv_row([stats.file, line, field_name, reason, raw]))
            if len(self.rejects) < REPORT_REJECTS:
                self.rejects.append({"file": stats.file, "line": line, "field": field_name,
                                     "reason": reason})

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.files.values())

    @property
    def refused(self) -> list[str]:
        return [s.file for s in self.files.values() if s.refused]

    def as_dict(self) -> dict[str, Any]:
        finished = datetime.now(UTC)
        totals = {k: sum(getattr(s, k) for s in self.files.values())
                  for k in ("read", "imported", "rejected")}
        return {
            "folder": str(self.folder),
            "started_at": self.started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "seconds": round((finished - self.started).total_seconds(), 2),
            "clean": totals["rejected"] == 0 and not self.refused and "error" not in self.extra,
            "totals": {**totals, "files_refused": len(self.refused)},
            "files": {name: asdict(s) for name, s in self.files.items()},
            "unknown_files": self.unknown_files,
            "warnings": self.warnings,
            "rejects": self.rejects,
            "rejects_truncated": totals["rejected"] > len(self.rejects),
            **self.extra,
            "report_path": str(self.path),
            "rejects_path": str(self.rejects_path),
        }

    def close(self) -> dict[str, Any]:
        """Finish the rejects file, write report.json, and return the report."""
        self._handle.close()
        data = self.as_dict()
        self.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        return data

    def abandon(self) -> None:
        self._handle.close()
