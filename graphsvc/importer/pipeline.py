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

import logging
import resource
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from graphsvc import dates
from graphsvc.changes import ChangeSet
from graphsvc.errors import GraphsvcError, InputError
from graphsvc.importer import normalise
from graphsvc.importer.files import BY_NAME, FILES, FileSpec
from graphsvc.importer.inflight import InFlight
from graphsvc.importer.read import FORMATS, open_source
from graphsvc.importer.reader import (
    PROCESS_ABOVE_BYTES,
    FileEnd,
    Reader,
    ReadJob,
    Refused,
    raw_text,
)
from graphsvc.importer.report import FileStats, Report, output_folder
from graphsvc.importer.write import KnownIds, write_batch
from graphsvc.locks import LockHeld, holder, import_lock, lock_dir
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# Above this many bytes of files, an import is a large load (`GraphStore.bulk_load`).
LARGE_LOAD_BYTES = 16 << 20

Progress = Callable[[str, int, int], None]  # (file name, bytes done, bytes in file)


def find_files(folder: Path, report: Report) -> list[tuple[FileSpec, Path]]:
    """The known files in the folder, in the order they are applied; unknown ones reported."""
    present: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink() and path.stem in {s.name for s in FILES}:
            stats = report.stats(path.stem, path.name)
            stats.refused = (f"{path.name} is a symbolic link, which the import does not "
                             "follow; put the file itself in the folder")
            continue
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
                  progress: Progress | None = None, as_of: date | None = None,
                  changed: ChangeSet | None = None) -> dict[str, Any]:
    """Import a folder of the import format into the graph; return the report (also written).

    `changed`, when given, collects what the import changed, for an incremental rule run."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"The folder {folder} does not exist (or is not a folder).")
    names = ", ".join(f"{s.name}.csv" for s in FILES)
    if not any(p.stem in {s.name for s in FILES} and p.suffix in FORMATS
               for p in folder.iterdir()):
        raise InputError(f"The folder {folder} holds none of the files the import format names "
                         f"({names}, or the same names ending .jsonl).")
    try:
        with import_lock(settings.data_dir):
            return _import_folder(store, folder, settings=settings, progress=progress,
                                  as_of=as_of, changed=changed)
    except LockHeld:
        holder_pid = holder(lock_dir(settings.data_dir) / "import.lock")
        raise InputError(f"Another import is running (process {holder_pid}); wait for it to "
                         "finish, then import again. Nothing was imported.") from None


def _import_folder(store: GraphStore, folder: Path, *, settings: Settings,
                   progress: Progress | None, as_of: date | None,
                   changed: ChangeSet | None) -> dict[str, Any]:
    report = Report(folder, output_folder(settings.data_dir, folder))
    try:
        plan = find_files(folder, report)
        now = dates.graph_now().isoformat()
        as_of = as_of or dates.today()
        report.extra.update(engine=store.engine, as_of=as_of.isoformat(), imported_at=now,
                            grid_transform=normalise.grid_transform_name())
        size = sum(path.stat().st_size for _spec, path in plan)
        with store.bulk_load(large=size > LARGE_LOAD_BYTES):
            _import_files(store, plan, report, as_of=as_of.isoformat(), settings=settings,
                          progress=progress, changed=changed)
            orphans = store.write("ingest/orphan_phones")
            store.write("ingest/import_finished", now=dates.graph_now().isoformat())
        report.extra["phones_removed"] = orphans[0]["removed"] if orphans else 0
        report.extra["peak_memory_mb"] = _peak_memory()
        report.extra["cpu_seconds"] = _cpu_seconds()
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


def _peak_memory() -> dict[str, float]:
    """Peak resident memory of this process and of the reader process, if one ran (the only
    child an import waits for), in MB: their sum bounds what the import needed at once."""
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"writer": round(mine / 1024, 1), "reader": round(children / 1024, 1)}


def _cpu_seconds() -> dict[str, float]:
    """CPU seconds (user and system) of this process and of the reader process, if one ran:
    where the import's own CPU went, beside the engine's."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"writer": round(mine.ru_utime + mine.ru_stime, 1),
            "reader": round(children.ru_utime + children.ru_stime, 1)}


def _import_files(store: GraphStore, plan: list[tuple[FileSpec, Path]], report: Report, *,
                  as_of: str, settings: Settings, progress: Progress | None,
                  changed: ChangeSet | None = None) -> None:
    """Write what the reader hands over, file by file, in the order of the plan."""
    job = ReadJob([(spec.name, path) for spec, path in plan], as_of, settings.batch_size,
                  store.encode_rows)
    size = sum(path.stat().st_size for _spec, path in plan)
    reader = Reader(job, in_process=size > PROCESS_ABOVE_BYTES)
    try:
        offenders = dict(plan).get(BY_NAME["offenders"])
        known = KnownIds(store, _listed_people(offenders) if offenders else None)
        for spec, path in plan:
            stats = report.stats(spec.name, path.name)
            started = time.perf_counter()
            in_flight = (settings.import_in_flight
                         if spec.in_flight and store.writes_side_by_side else 1)
            _import_file(store, spec, path, stats, report, known, reader, progress=progress,
                         changed=changed, in_flight=in_flight)
            if path == offenders and known.to_label:
                store.write("ingest/offenders_unlabel", ids=sorted(known.to_label))
            stats.seconds = round(time.perf_counter() - started, 2)
    finally:
        reader.close()


def _listed_people(path: Path) -> set[str]:
    """The person ids offenders.csv lists, read ahead so that new people among them are created
    with their Offender label at once (ingest/offenders_unlabel takes it from any whose row is
    then rejected). A file that cannot be read lists none here; its own reading says why."""
    try:
        _source, records = open_source(path, ["person_id"])
        return {str(r.cells["person_id"]).strip() for r in records
                if not r.error and r.cells.get("person_id")}
    except InputError:
        return set()


def _import_file(store: GraphStore, spec: FileSpec, path: Path, stats: FileStats,
                 report: Report, known: KnownIds, reader: Reader, *,
                 progress: Progress | None, changed: ChangeSet | None = None,
                 in_flight: int = 1) -> None:
    def reject(line: int, field_name: str, reason: str, raw: str | tuple[Any, ...]) -> None:
        report.reject(stats, line, field_name, reason, raw_text(raw))

    held = store.read_one("ingest/labels_held") or {}
    # Only a file that defines its label knows whether the graph held none of it (the others,
    # placements, orders and plans, compare every row with what the graph holds).
    all_new = bool(spec.stored and spec.defines) and not held.get(spec.defines)
    if spec.link_type:
        all_new = not (store.read_one("ingest/links_held") or {}).get(spec.link_type, True)
    size = path.stat().st_size
    def landed(rows: int) -> None:
        stats.imported += rows

    with InFlight(in_flight, reject, changed, landed) as writes:
        while True:
            message = reader.next()
            if isinstance(message, Refused):
                writes.finish()
                stats.refused = message.reason
                log.warning("refused %s: %s", path.name, message.reason)
                return
            if isinstance(message, FileEnd):
                writes.finish()
                break
            stats.read += len(message) + len(message.rejects)  # so far (a crash keeps it true)
            # Each batch is stamped when it is written, not when the import began: a reader
            # that looks during a long import (the address check's caches, incremental
            # linkage) sees the newest stamp move on as later batches land.
            write = partial(write_batch, store, spec, message, known,
                            dates.graph_now().isoformat(), all_new=all_new)
            writes.send(message.rejects, write if len(message) else None)
            if progress:
                progress(path.name, message.bytes_read, size)
    stats.read = message.read
    if message.unknown_columns:
        stats.unknown_columns = message.unknown_columns
        report.warn(f"{path.name}: unknown column(s) {', '.join(message.unknown_columns)} "
                    "were ignored.")
    _address_warnings(report, message.tally)


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
