"""The import's reader: reads and checks the files in order and hands the writer batches of rows
already encoded for the engine.

It runs in a thread for small imports and in a process of its own for large ones, so that
parsing and checking rows (most of an import's Python work) runs on another core while the
writer waits on the engine. Either way it speaks the same messages, in file order:

- `Batch`: rows that passed every check made without the graph, the rows rejected on the way,
  and how far through the file it is;
- `FileEnd`: the file is done (rows read, address tallies, unknown columns);
- `Refused`: the file cannot be imported at all, and why;
- `Failed`: the reader itself broke (a bug): the traceback, for the log.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from graphsvc.collector import collect_seldom
from graphsvc.errors import GraphsvcError
from graphsvc.importer import normalise
from graphsvc.importer.files import ASSOCIATION_REFS, BY_NAME, FileSpec, RowError
from graphsvc.importer.read import FileRefused, Record, Source, open_source
from graphsvc.importer.validate import key_of, link_hash, row_hash, validate_cells

# Imports whose files add up to more than this are read in a process of their own; below it a
# thread is quicker than starting a Python process.
PROCESS_ABOVE_BYTES = 16 << 20
QUEUED_BATCHES = 4
_CHILD = "from graphsvc.importer.reader import main; main()"


class Reject(NamedTuple):
    line: int
    field: str
    reason: str
    raw: str


@dataclass
class Batch:
    """Rows that passed every check made without the graph, column by column (row i of the
    batch is item i of each list), the rows rejected on the way, and how far the file is read."""

    lines: list[int] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)  # cypher/ingest name, per row
    keys: list[tuple[Any, ...]] = field(default_factory=list)  # the record's key values
    # ((field, label, id), ...) it refers to
    refs: list[tuple[Any, ...]] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)  # fingerprint (`row_hash`)
    raws: list[str | tuple[Any, ...]] = field(default_factory=list)  # JSON line, or CSV cells
    encoded: list[Any] = field(default_factory=list)  # as the engine takes it (`encode_rows`)
    rejects: list[Reject] = field(default_factory=list)
    bytes_read: int = 0

    def __len__(self) -> int:
        return len(self.lines)


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
    encode: Callable[[list[dict[str, Any]]], list[Any]]  # `GraphStore.encode_rows`


def raw_text(raw: str | tuple[Any, ...]) -> str:
    """The rejected row as text: a JSON line as it was, CSV cells written back as CSV."""
    if isinstance(raw, str):
        return raw
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(raw)
    return out.getvalue()


def references(spec: FileSpec, row: dict[str, Any]) -> tuple[Any, ...]:
    """(field, label, id) for every id the row refers to."""
    refs: list[tuple[str, str, Any]] = []
    for name, label in spec.refs:
        value = row.get(name)
        if value.__class__ is list:
            refs.extend((name, label, key) for key in value)
        elif value:
            refs.append((name, label, value))
    if spec.name == "associations" and row["target_type"] in ASSOCIATION_REFS:
        refs.append(("target_id", ASSOCIATION_REFS[row["target_type"]], row["target_id"]))
    return tuple(refs)


def _statement(spec: FileSpec, row: dict[str, Any]) -> str:
    if spec.name == "associations":
        return spec.statement + str(row["target_type"])
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


def _raw(record: Record) -> str | tuple[Any, ...]:
    # A CSV record's text is its cells (in the header's order); a JSON line's is the line.
    return record.raw or tuple(record.cells.values())


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
    first_line: dict[tuple[Any, ...], int] = {}
    batch, rows = Batch(), []
    read = 0
    for record in records:
        read += 1
        if record.error:
            batch.rejects.append(Reject(record.line, record.field, record.error,
                                        raw_text(_raw(record))))
            continue
        try:
            row = validate_cells(spec, record.cells)
            if spec.name == "people" and row["date_of_birth"] and row["date_of_birth"] > job.as_of:
                raise RowError("date_of_birth", f"{row['date_of_birth']} is in the future")
        except RowError as exc:
            batch.rejects.append(Reject(record.line, exc.field, exc.reason,
                                        raw_text(_raw(record))))
            continue
        key = key_of(spec, row)
        if key in first_line:
            batch.rejects.append(Reject(
                record.line, spec.key[0] if len(spec.key) == 1 else "",
                f"duplicate of line {first_line[key]} (same {_describe_key(spec, key)}); the "
                "first occurrence was kept", raw_text(_raw(record))))
            continue
        first_line[key] = record.line
        if spec.name == "addresses":
            _tally_address(record.cells, row, tally)
        row["row_hash"] = fingerprint = row_hash(row)
        if spec.links:
            row["link_hash"] = link_hash(row)
        batch.lines.append(record.line)
        batch.statements.append(_statement(spec, row))
        batch.keys.append(key)
        batch.refs.append(references(spec, row))
        batch.hashes.append(fingerprint)
        batch.raws.append(_raw(record))
        # Absent keys read as null in Cypher; not sending them halves the parameter text.
        rows.append({k: v for k, v in row.items() if v is not None})
        if len(rows) >= job.batch_size:
            yield _finish(batch, rows, source.bytes_read, job)
            batch, rows = Batch(), []
    yield _finish(batch, rows, source.size, job)
    yield FileEnd(read, tally, source.unknown_columns)


def _finish(batch: Batch, rows: list[dict[str, Any]], bytes_read: int, job: ReadJob) -> Batch:
    batch.encoded = job.encode(rows)
    batch.bytes_read = bytes_read
    return batch


def _describe_key(spec: FileSpec, key: tuple[Any, ...]) -> str:
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


class Reader:
    """Runs `produce` in a thread or a child process; `next()` returns what it sends, in order.

    The child runs `main()` below: it reads the job from its standard input
    and writes its messages, pickled, to its standard output (a pipe of bounded size, so it
    never runs far ahead of the writer).
    """

    def __init__(self, job: ReadJob, *, in_process: bool):
        self.in_process = in_process
        if in_process:
            # The child imports this very copy of graphsvc: `-P` keeps the working directory
            # (perhaps another checkout) off its path, and PYTHONPATH starts with our root.
            root = str(Path(__file__).resolve().parents[2])
            path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
            self.child = subprocess.Popen([sys.executable, "-P", "-c", _CHILD],
                                          env={**os.environ, "PYTHONPATH": path},
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self.child.stdin is not None and self.child.stdout is not None  # PIPEs
            self.child_out: IO[bytes] = self.child.stdout
            pickle.dump(job, self.child.stdin)
            self.child.stdin.close()
        else:
            self.queue: queue.Queue[Any] = queue.Queue(QUEUED_BATCHES)
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
        if self.in_process:
            try:
                message = pickle.load(self.child_out)
            except (EOFError, pickle.UnpicklingError):
                raise GraphsvcError("The import's reader stopped unexpectedly (it may have run "
                                    "out of memory); nothing after the last batch was "
                                    "imported.") from None
        else:
            message = self.queue.get()
        if isinstance(message, Failed):
            raise RuntimeError(f"The import's reader failed:\n{message.trace}")
        return message  # type: ignore[no-any-return]  # unpickled: one of the three

    def close(self) -> None:
        if self.in_process:
            if self.child.poll() is None:
                self.child.kill()
            self.child_out.close()
            self.child.wait()
        else:
            self.stop.set()
            self.worker.join(timeout=10)


def main() -> None:
    """The child process: read the job, send every message, flush.

    Ctrl-C is left to the writer, which stops the child; if the writer stops listening the
    child ends quietly (no traceback on the user's terminal).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect_seldom()  # rows, never cycles: the collector's default costs ~10% of the reading
    job = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer

    def send(message: Any) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        produce(job, send)
    except BrokenPipeError:
        os._exit(0)

