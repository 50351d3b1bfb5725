"""Reading one import file, CSV or JSON Lines, as a stream of records with their line numbers.

Files are read as bytes and decoded line by line, so the line a record starts on is exact even
when a quoted CSV cell holds newlines, and the reader knows how far through the file it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

from graphsvc.errors import InputError

FORMATS = (".csv", ".jsonl")
_CHUNK = 1 << 20


class FileRefused(InputError):
    """A whole file cannot be imported (wrong encoding, empty, header lacks a required column)."""


@dataclass(slots=True)
class Record:
    """One row of a file: the line it starts on, its cells, or why it cannot be read at all."""

    line: int
    cells: dict[str, Any]
    error: str = ""
    raw: str = ""
    field: str = ""


@dataclass
class Source:
    """An open import file: header (CSV), unknown columns, and a record iterator."""

    path: Path
    columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    size: int = 0
    counter: Any = None

    @property
    def bytes_read(self) -> int:
        return self.counter.bytes_read if self.counter is not None else 0


def check_utf8(path: Path) -> None:
    """Refuse a file that is not UTF-8, naming the line and byte; never guess another encoding."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad = chunk[exc.start]
                line += chunk.count(b"\n", 0, exc.start)
                raise FileRefused(
                    f"{path.name} is not UTF-8 text (byte 0x{bad:02x} on line {line} cannot be "
                    "read as UTF-8). Save it as UTF-8 and import it again.") from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRefused(f"{path.name} is not UTF-8 text (it ends part-way through a "
                              "character). Save it as UTF-8 and import it again.") from None


class _CountedFile(io.FileIO):
    """A file that counts the bytes read from it, for a progress bar."""

    bytes_read = 0

    def readinto(self, buffer: WriteableBuffer) -> int | None:
        count = super().readinto(buffer)
        self.bytes_read += count or 0
        return count


def _lines(path: Path, source: Source) -> Iterator[str]:
    """Decoded lines, line endings kept (csv needs them); a byte-order mark removed."""
    raw = _CountedFile(path, "r")
    source.counter = raw
    with io.TextIOWrapper(io.BufferedReader(raw, _CHUNK), encoding="utf-8-sig",
                          newline="") as text:
        yield from text


def open_source(path: Path, known: list[str]) -> tuple[Source, Iterator[Record]]:
    """Open a CSV or JSONL file; the iterator yields its records in order."""
    check_utf8(path)
    source = Source(path=path, size=path.stat().st_size)
    if source.size == 0:
        raise FileRefused(f"{path.name} is empty.")
    if path.suffix == ".csv":
        return source, _csv_records(path, source, known)
    return source, _jsonl_records(path, source, known)


def _csv_records(path: Path, source: Source, known: list[str]) -> Iterator[Record]:
    lines = _lines(path, source)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise FileRefused(f"{path.name}: the header row cannot be read ({exc}).") from None
    if header is None:
        raise FileRefused(f"{path.name} holds no header row (the file is blank).")
    names = [h.strip().lower() for h in header]
    seen: set[str] = set()
    for name in names:
        if not name:
            raise FileRefused(f"{path.name}: the header has an empty column name.")
        if name in seen:
            raise FileRefused(f"{path.name}: column {name} appears twice in the header.")
        seen.add(name)
    source.columns = names
    source.unknown_columns = [n for n in names if n not in known]
    return _csv_rows(path, reader, names)


# `reader`: a csv.reader (whose type typeshed keeps private)
def _csv_rows(path: Path, reader: Any, names: list[str]) -> Iterator[Record]:
    width = len(names)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "unexpected end of data" in reason:
                reason = "a quoted cell opened here is never closed (the file ends inside quotes)"
            yield Record(start, {}, f"the row is not valid CSV: {reason}")
            continue
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        if len(cells) != width:
            yield Record(start, {}, f"the row has {len(cells)} cells but the header has {width}",
                         raw=",".join(cells))
            continue
        yield Record(start, dict(zip(names, cells, strict=True)))


def _json_cell(value: Any) -> Any:
    """A JSON value as the text a CSV cell would hold (lists stay lists)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value) if not isinstance(value, str) else value
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            raise ValueError("holds a nested list or object")
        return [_json_cell(v) for v in value if v is not None]
    raise ValueError("holds an object where a value was expected")


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different (JSON allows repeats; silently keeping the last
    would hide a mistake in the export)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


# One decoder for every line (json.loads with a hook builds a new one per call).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates)


def _jsonl_records(path: Path, source: Source, known: list[str]) -> Iterator[Record]:
    reported: set[str] = set()
    for number, text in enumerate(_lines(path, source), start=1):
        text = text.rstrip("\r\n")
        if not text.strip():
            continue
        try:
            obj = _DECODER.decode(text)
        except json.JSONDecodeError as exc:
            where = "at the end of the line" if exc.pos >= len(text) else \
                f"at character {exc.pos + 1}"
            yield Record(number, {}, f"the line is not valid JSON ({exc.msg} {where})",
                         raw=text)
            continue
        except _DuplicateKey as exc:
            yield Record(number, {}, f"the line gives the field {str(exc)!r} more than once",
                         raw=text, field=str(exc))
            continue
        except (ValueError, RecursionError):  # e.g. a number of thousands of digits
            yield Record(number, {}, "the line holds a value too large or too deeply nested "
                         "to read", raw=text)
            continue
        if not isinstance(obj, dict):
            yield Record(number, {}, "the line is not a JSON object", raw=text)
            continue
        cells: dict[str, Any] = {}
        error = bad_field = ""
        for key, value in obj.items():
            name = str(key).strip().lower()
            if name not in known:
                if name not in reported:
                    reported.add(name)
                    source.unknown_columns.append(name)
                continue
            try:
                cells[name] = _json_cell(value)
            except ValueError as exc:
                error, bad_field = f"the value {exc}", name
                break
        yield Record(number, cells, error, raw=text, field=bad_field)
