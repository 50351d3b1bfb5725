"""`import_folder`: read every file of the import format in order, check each row, upsert the good.

Rules that are not obvious from the format:
- Duplicate keys within a file: the first occurrence wins; each later row with the same key is
  rejected naming the line of the first, because silently picking one would hide a data-quality
  problem the sending system should fix.
- A row is the whole truth about its record: an empty cell removes that value from the graph.
- A file that cannot be read as a whole (not UTF-8, empty, header without a required column,
  both .csv and .jsonl of one name) is refused and named; the other files still import.
- Dates and times with an offset are converted to Europe/London wall-clock time.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graphsvc.errors import GraphsvcError, InputError
from graphsvc.importer import normalise
from graphsvc.importer.files import FILES, FileSpec, RowError
from graphsvc.importer.read import FORMATS, FileRefused, Record, Source, open_source
from graphsvc.importer.report import FileStats, Report, output_folder
from graphsvc.importer.validate import key_of, link_hash, row_hash, validate_cells
from graphsvc.importer.write import KnownIds, Pending, write_batch
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.store.values import LOCAL_TZ

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (file name, bytes done, bytes in file)


def find_files(folder: Path, report: Report) -> list[tuple[FileSpec, Path]]:
    """The known files in the folder, in the order they are applied; unknown ones reported."""
    present: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in FORMATS and path.stem in {s.name for s in FILES}:
            present.setdefault(path.stem, []).append(path)
        elif not path.name.startswith("."):
            report.unknown_files.append(path.name)
            report.warn(f"{path.name} is not a file of the import format and was skipped.")
    plan = []
    for spec in FILES:
        paths = present.get(spec.name, [])
        if len(paths) > 1:
            stats = report.stats(spec.name, " and ".join(p.name for p in paths))
            stats.refused = (f"both {stats.file} are present; keep one of them "
                             "(neither was imported)")
            continue
        if paths:
            plan.append((spec, paths[0]))
    return plan


def import_folder(store: GraphStore, folder: Path, *, settings: Settings,
                  progress: Progress | None = None, as_of: date | None = None) -> dict[str, Any]:
    """Import a folder of the import format into the graph; return the report (also written)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"The folder {folder} does not exist (or is not a folder).")
    names = ", ".join(f"{s.name}.csv" for s in FILES)
    if not any(p.stem in {s.name for s in FILES} and p.suffix in FORMATS
               for p in folder.iterdir()):
        raise InputError(f"The folder {folder} holds none of the files the import format names "
                         f"({names}, or the same names ending .jsonl).")
    report = Report(folder, output_folder(settings.data_dir, folder))
    try:
        plan = find_files(folder, report)
        now = datetime.now(LOCAL_TZ).replace(tzinfo=None).isoformat(timespec="seconds")
        as_of = as_of or date.today()
        report.extra.update(engine=store.engine, as_of=as_of.isoformat(), imported_at=now,
                            grid_transform=normalise.grid_transform_name())
        known = KnownIds(store)
        for spec, path in plan:
            stats = report.stats(spec.name, path.name)
            started = time.perf_counter()
            try:
                _import_file(store, spec, path, stats, report, known,
                             now=now, as_of=as_of.isoformat(),
                             batch_size=settings.batch_size, progress=progress)
            except FileRefused as exc:
                stats.refused = str(exc)
                log.warning("refused %s: %s", path.name, exc)
            stats.seconds = round(time.perf_counter() - started, 2)
    except GraphsvcError as exc:
        # Rows before the failure may have landed: say so in a report rather than lose it.
        report.extra["error"] = str(exc)
        data = report.close()
        raise type(exc)(f"{exc} The import stopped part-way; what landed is in "
                        f"{data['report_path']}.") from exc
    except BaseException:
        report.abandon()
        raise
    return report.close()


def _open(spec: FileSpec, path: Path, stats: FileStats) -> tuple[Source, Iterator[Record]]:
    known_columns = list(spec.columns_by_name)
    source, records = open_source(path, known_columns)
    if path.suffix == ".csv":
        missing = [c for c in spec.required if c not in source.columns]
        if missing:
            raise FileRefused(f"{path.name}: the header has no {', '.join(missing)} column "
                              f"({'it is' if len(missing) == 1 else 'they are'} required); "
                              "the file was not imported.")
    return source, records


class BatchWriter:
    """Writes one batch in a background thread while the next is read and checked.

    At most one batch is in flight, so memory stays bounded and batches land in file order;
    an error in a write is raised again in the reading thread at the next submit or finish.
    """

    def __init__(self, write: Callable[[list[Pending]], None]):
        self.write = write
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self.pending: Future | None = None

    def submit(self, batch: list[Pending]) -> None:
        self._wait()
        self.pending = self.pool.submit(self.write, batch)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def finish(self) -> None:
        try:
            self._wait()
        finally:
            self.pool.shutdown(wait=True)


def _raw(record: Record | None, source: Source) -> str:
    if record is None:
        return ""
    if record.raw or source.path.suffix != ".csv":
        return record.raw
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(record.cells.get(c, "") for c in source.columns)
    return out.getvalue()


def _import_file(store: GraphStore, spec: FileSpec, path: Path, stats: FileStats,
                 report: Report, known: KnownIds, *, now: str, as_of: str, batch_size: int,
                 progress: Progress | None) -> None:
    source, records = _open(spec, path, stats)
    if source.unknown_columns:
        stats.unknown_columns = source.unknown_columns
    tally: dict[str, int] = {"no_coordinates": 0, "odd_postcode": 0, "from_grid": 0}
    lock = threading.Lock()

    def reject(item: Pending, field_name: str, reason: str) -> None:
        report.reject(stats, item.line, field_name, reason, _raw(item.record, source))

    def write(rows: list[Pending]) -> None:
        imported = write_batch(store, spec, rows, known, now, reject)
        with lock:
            stats.imported += imported

    writer = BatchWriter(write)
    try:
        batch: list[Pending] = []
        for item in _valid_rows(spec, records, source, stats, report, as_of, tally):
            batch.append(item)
            if len(batch) >= batch_size:
                writer.submit(batch)
                batch = []
                if progress:
                    progress(path.name, source.bytes_read, source.size)
        if batch:
            writer.submit(batch)
    finally:
        writer.finish()
    if progress:
        progress(path.name, source.size, source.size)
    if stats.unknown_columns:
        report.warn(f"{path.name}: unknown column(s) {', '.join(stats.unknown_columns)} "
                    "were ignored.")
    _address_warnings(report, tally)


def _valid_rows(spec: FileSpec, records: Iterator[Record], source: Source, stats: FileStats,
                report: Report, as_of: str, tally: dict[str, int]) -> Iterator[Pending]:
    """The file's rows that pass every check made without the graph; the others rejected."""
    first_line: dict[tuple, int] = {}
    for record in records:
        stats.read += 1
        if record.error:
            report.reject(stats, record.line, record.field, record.error, _raw(record, source))
            continue
        try:
            row = validate_cells(spec, record.cells)
            if spec.name == "people" and row["date_of_birth"] and row["date_of_birth"] > as_of:
                raise RowError("date_of_birth", f"{row['date_of_birth']} is in the future")
        except RowError as exc:
            report.reject(stats, record.line, exc.field, exc.reason, _raw(record, source))
            continue
        key = key_of(spec, row)
        if key in first_line:
            report.reject(stats, record.line, spec.key[0] if len(spec.key) == 1 else "",
                          f"duplicate of line {first_line[key]} (same {_describe_key(spec, key)})"
                          "; the first occurrence was kept", _raw(record, source))
            continue
        first_line[key] = record.line
        if spec.name == "addresses":
            _tally_address(record.cells, row, tally)
        row["row_hash"] = row_hash(row)
        if spec.links:
            row["link_hash"] = link_hash(row)
        # Absent keys read as null in Cypher; not sending them halves the parameter text.
        yield Pending(record.line, {k: v for k, v in row.items() if v is not None}, record)


def _describe_key(spec: FileSpec, key: tuple) -> str:
    return ", ".join(f"{n} {v if v is not None else '(empty)'}"
                     for n, v in zip(spec.key, key, strict=True))


def _tally_address(cells: dict[str, Any], row: dict[str, Any], tally: dict[str, int]) -> None:
    if row["latitude"] is None:
        tally["no_coordinates"] += 1
    elif not str(cells.get("latitude", "")).strip():
        tally["from_grid"] += 1
    if row["postcode"] and not normalise.is_uk_postcode(row["postcode"]):
        tally["odd_postcode"] += 1


def _address_warnings(report: Report, tally: dict[str, int]) -> None:
    if tally["no_coordinates"]:
        report.warn(f"{tally['no_coordinates']} addresses have no coordinates and take no part "
                    "in distance rules.")
    if tally["odd_postcode"]:
        report.warn(f"{tally['odd_postcode']} addresses have a postcode that is not in UK "
                    "postcode form; they were kept as given (upper-case).")
    if tally["from_grid"]:
        report.warn(f"{tally['from_grid']} addresses had eastings and northings converted to "
                    f"latitude and longitude ({normalise.grid_transform_name()}).")
