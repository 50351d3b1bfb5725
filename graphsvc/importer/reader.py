"""The import's reader: reads and checks the files in order and hands the writer batches of rows
already encoded for the engine.

It runs in a thread for small imports and in a process of its own for large ones, so that
parsing and checking rows (most of an import's Python work) runs on another core while the
writer waits on the engine. Either way it speaks the same messages, in file order:

- `Batch`: rows that passed every check made without the graph, the rows rejected on the way,
  and how far through the file it is;
- `FileEnd`: the file is done (rows read, address tallies, unknown columns);
- `FileRefused`: the file cannot be imported at all, and why;
- `Failed`: the reader itself broke (a bug): the traceback, for the log.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from graphsvc.errors import GraphsvcError
from graphsvc.importer import normalise
from graphsvc.importer.files import ASSOCIATION_REFS, BY_NAME, FileSpec, RowError
from graphsvc.importer.read import FileRefused, Record, Source, open_source
from graphsvc.importer.validate import key_of, link_hash, row_hash, validate_cells

# Imports whose files add up to more than this are read in a process of their own; below it a
# thread is quicker than starting a Python process.
PROCESS_ABOVE_BYTES = 16 << 20
QUEUED_BATCHES = 4


class Item(NamedTuple):
    """A valid row on its way to the engine, with what the writer needs to check and place it."""

    line: int
    statement: str  # cypher/ingest name (associations pick one per target type)
    encoded: Any  # the row as the engine takes it (`GraphStore.encode_row`)
    key: tuple  # the record's key values, in the file's key order
    refs: tuple  # (field, label, id) for every id the row refers to
    row_hash: str
    raw: str | tuple  # the line as read (JSON Lines) or its cells (CSV), for the rejects file


class Reject(NamedTuple):
    line: int
    field: str
    reason: str
    raw: str


@dataclass
class Batch:
    items: list[Item]
    rejects: list[Reject]
    bytes_read: int


@dataclass
class FileEnd:
    read: int
    tally: dict[str, int]
    unknown_columns: list[str]


@dataclass
class Refused:
    reason: str


@dataclass
class Failed:
    trace: str


@dataclass(frozen=True)
class ReadJob:
    """Everything the reader needs; plain data, so it can cross into another process."""

    files: list[tuple[str, Path]]  # (file name in the format, path), in the order applied
    as_of: str
    batch_size: int
    encode: Callable[[dict[str, Any]], Any]


def raw_text(raw: str | tuple) -> str:
    """The rejected row as text: a JSON line as it was, CSV cells written back as CSV."""
    if isinstance(raw, str):
        return raw
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(raw)
    return out.getvalue()


def references(spec: FileSpec, row: dict[str, Any]) -> tuple:
    """(field, label, id) for every id the row refers to."""
    refs = []
    for name, label in spec.refs:
        value = row.get(name)
        for key in value if isinstance(value, list) else [value] if value else []:
            refs.append((name, label, key))
    if spec.name == "associations" and row["target_type"] in ASSOCIATION_REFS:
        refs.append(("target_id", ASSOCIATION_REFS[row["target_type"]], row["target_id"]))
    return tuple(refs)


def _statement(spec: FileSpec, row: dict[str, Any]) -> str:
    if spec.name == "associations":
        return spec.statement + row["target_type"]
    return spec.statement


def _open(spec: FileSpec, path: Path) -> tuple[Source, Iterator[Record]]:
    source, records = open_source(path, list(spec.columns_by_name))
    if path.suffix == ".csv":
        missing = [c for c in spec.required if c not in source.columns]
        if missing:
            raise FileRefused(f"{path.name}: the header has no {', '.join(missing)} column "
                              f"({'it is' if len(missing) == 1 else 'they are'} required); "
                              "the file was not imported.")
    return source, records


def _raw(record: Record, source: Source) -> str | tuple:
    if record.raw or source.path.suffix != ".csv":
        return record.raw
    return tuple(record.cells.get(c, "") for c in source.columns)


def _tally_address(cells: dict[str, Any], row: dict[str, Any], tally: dict[str, int]) -> None:
    if row["latitude"] is None:
        tally["no_coordinates"] += 1
    elif not str(cells.get("latitude", "")).strip():
        tally["from_grid"] += 1
    if row["postcode"] and not normalise.is_uk_postcode(row["postcode"]):
        tally["odd_postcode"] += 1


def read_file(spec: FileSpec, path: Path, job: ReadJob) -> Iterator[Batch | FileEnd]:
    """One file as batches of checked rows, then its end; FileRefused if it cannot be read."""
    source, records = _open(spec, path)
    tally = {"no_coordinates": 0, "odd_postcode": 0, "from_grid": 0}
    first_line: dict[tuple, int] = {}
    items: list[Item] = []
    rejects: list[Reject] = []
    read = 0
    encode = job.encode
    for record in records:
        read += 1
        if record.error:
            rejects.append(Reject(record.line, record.field, record.error,
                                  raw_text(_raw(record, source))))
            continue
        try:
            row = validate_cells(spec, record.cells)
            if spec.name == "people" and row["date_of_birth"] and row["date_of_birth"] > job.as_of:
                raise RowError("date_of_birth", f"{row['date_of_birth']} is in the future")
        except RowError as exc:
            rejects.append(Reject(record.line, exc.field, exc.reason,
                                  raw_text(_raw(record, source))))
            continue
        key = key_of(spec, row)
        if key in first_line:
            rejects.append(Reject(
                record.line, spec.key[0] if len(spec.key) == 1 else "",
                f"duplicate of line {first_line[key]} (same {_describe_key(spec, key)}); the "
                "first occurrence was kept", raw_text(_raw(record, source))))
            continue
        first_line[key] = record.line
        if spec.name == "addresses":
            _tally_address(record.cells, row, tally)
        row["row_hash"] = fingerprint = row_hash(row)
        if spec.links:
            row["link_hash"] = link_hash(row)
        # Absent keys read as null in Cypher; not sending them halves the parameter text.
        encoded = encode({k: v for k, v in row.items() if v is not None})
        items.append(Item(record.line, _statement(spec, row), encoded, key,
                          references(spec, row), fingerprint, _raw(record, source)))
        if len(items) >= job.batch_size:
            yield Batch(items, rejects, source.bytes_read)
            items, rejects = [], []
    yield Batch(items, rejects, source.size)
    yield FileEnd(read, tally, source.unknown_columns)


def _describe_key(spec: FileSpec, key: tuple) -> str:
    return ", ".join(f"{n} {v if v is not None else '(empty)'}"
                     for n, v in zip(spec.key, key, strict=True))


class _Stopped(BaseException):
    """The writer has stopped listening (it failed or was interrupted): stop reading."""


def produce(job: ReadJob, put: Callable[[Any], None]) -> None:
    """Read every file of the job in order, handing each message to `put`."""
    try:
        for name, path in job.files:
            try:
                for message in read_file(BY_NAME[name], path, job):
                    put(message)
            except FileRefused as exc:
                put(Refused(str(exc)))
    except _Stopped:
        return
    except Exception:  # noqa: BLE001 - a bug: the writer reports it, with its trace
        put(Failed(traceback.format_exc()))


def _produce_into(job: ReadJob, channel: Any) -> None:
    """The reader process's body."""
    produce(job, channel.put)


class Reader:
    """Runs `produce` in a thread or a process; `messages()` yields what it sends, in order."""

    def __init__(self, job: ReadJob, *, in_process: bool):
        self.in_process = in_process
        if in_process:
            context = multiprocessing.get_context("spawn")
            self.queue: Any = context.Queue(QUEUED_BATCHES)
            self.worker: Any = context.Process(target=_produce_into, args=(job, self.queue),
                                               name="graphsvc-import-reader", daemon=True)
        else:
            self.queue = queue.Queue(QUEUED_BATCHES)
            self.stop = threading.Event()
            self.worker = threading.Thread(target=produce, args=(job, self._put),
                                           name="graphsvc-import-reader", daemon=True)
        self.worker.start()

    def _put(self, message: Any) -> None:
        while not self.stop.is_set():
            try:
                self.queue.put(message, timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Stopped

    def next(self) -> Batch | FileEnd | Refused:
        """The next message; raises if the reader broke or died."""
        while True:
            try:
                message = self.queue.get(timeout=1.0)
            except queue.Empty:
                if not self.worker.is_alive():
                    raise GraphsvcError("The import's reader stopped unexpectedly (it may have "
                                        "run out of memory); nothing after the last batch "
                                        "was imported.") from None
                continue
            if isinstance(message, Failed):
                raise RuntimeError(f"The import's reader failed:\n{message.trace}")
            return message

    def close(self) -> None:
        if self.in_process:
            if self.worker.is_alive():
                self.worker.terminate()
            self.worker.join(timeout=10)
            self.queue.close()
            self.queue.cancel_join_thread()
        else:
            self.stop.set()
            self.worker.join(timeout=10)
