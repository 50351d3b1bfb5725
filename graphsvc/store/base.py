"""The graph store interface every engine backend implements."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from graphsvc import queries
from graphsvc.timing import part

log = logging.getLogger(__name__)

_writes_lock = threading.Lock()
_writes = 0


def note_write() -> None:
    """Count a write this process has made to a graph (each backend calls it once a write or
    transaction has landed): caches that must show this process's own writes at once compare
    `writes_made()` with the count they were read at."""
    global _writes
    with _writes_lock:
        _writes += 1


def writes_made() -> int:
    """How many writes this process has made to a graph so far (`note_write`)."""
    return _writes

Row = dict[str, Any]


class Transaction(ABC):
    """Named writes that succeed or fail together."""

    @abstractmethod
    def write(self, name: str, **params: Any) -> None: ...


class GraphStore(ABC):
    """Runs named Cypher statements and returns plain Python values."""

    engine: str = ""
    # Whether two write transactions run side by side on the engine (an import then keeps two
    # batches in flight, graphsvc/importer/inflight.py), rather than one after the other.
    writes_side_by_side: bool = False

    @abstractmethod
    def _run(self, text: str, params: dict[str, Any], *, write: bool
             ) -> tuple[list[Row], dict[str, Any]]:
        """Run one statement; return rows and a dict of update counters."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Yield a Transaction; its writes land together when the block ends without error."""

    @abstractmethod
    def apply_schema(self) -> list[str]:
        """Create this engine's constraints and indexes, safely repeatable; return what was done."""

    @abstractmethod
    def describe(self) -> dict[str, str]:
        """Which engine this is and where its data lives."""

    @abstractmethod
    def close(self) -> None: ...

    def bookmarks(self) -> list[str]:
        """What this process's next read waits for: the bookmarks of the writes it has seen
        (none on an engine without causal clustering)."""
        return []

    def wait_for(self, bookmarks: Collection[str]) -> None:
        """Make this process's next reads wait until the server has these writes (bookmarks
        another process handed over); nothing to do on an engine without clustering."""
        del bookmarks

    def statement(self, name: str) -> str:
        """The text of a named statement as this engine needs it."""
        return queries.get(name).text

    def read(self, name: str, **params: Any) -> list[Row]:
        """Run the named read statement; rows as dicts keyed by the RETURN names."""
        with part(f"graph:{name}"):
            rows, _ = self._run(self.statement(name), params, write=False)
        return rows

    def read_one(self, name: str, **params: Any) -> Row | None:
        rows = self.read(name, **params)
        return rows[0] if rows else None

    def write(self, name: str, **params: Any) -> list[Row]:
        """Run the named write statement (atomic on its own); return its rows, if any."""
        rows, _ = self._run(self.statement(name), params, write=True)
        return rows

    @staticmethod
    def encode_rows(rows: list[Row]) -> list[Any]:
        """Rows of the import's fast path, each made ready for this engine (in any process,
        before the batch each will join is known). Values are only str, int, float, bool, None
        or lists of those; keys are identifiers. This engine's driver takes rows as they are."""
        return rows

    def write_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> None:
        """Run a statement that begins `UNWIND $rows AS row` once, over rows made by
        `encode_rows`, with plain parameters beside them. Lands whole or not at all."""
        self.write(name, rows=rows, **params)

    def read_encoded_rows(self, name: str, rows: list[Any], **params: Any) -> list[Row]:
        """As `write_encoded_rows`, for a read statement; its rows."""
        return self.read(name, rows=rows, **params)

    def write_rows(
        self,
        name: str,
        rows: Iterable[Row],
        *,
        batch_size: int = 5000,
        progress: Callable[[int], None] | None = None,
        **params: Any,
    ) -> int:
        """Send rows to a statement that begins `UNWIND $rows AS row`, in batches; return the count.

        Each batch is one statement, so it lands whole or not at all.
        """
        text = self.statement(name)
        total, batch = 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                self._run(text, {**params, "rows": batch}, write=True)
                total += len(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._run(text, {**params, "rows": batch}, write=True)
            total += len(batch)
            if progress:
                progress(len(batch))
        return total

    @contextmanager
    def bulk_load(self, *, large: bool = False) -> Iterator[None]:
        """A long run of large writes (an import) happens inside: the backend may tune itself
        for it, never at the cost of durability. `large`: enough rows that building lookup
        indexes once at the end would beat writing them row by row."""
        yield

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts by label and relationship counts by type."""
        labels = {r["label"]: r["count"] for r in self.read("admin/count_labels")}
        types = {r["type"]: r["count"] for r in self.read("admin/count_relationships")}
        return {"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))}

    def clear(self, batch: int = 20_000) -> None:
        """Delete every node and relationship (tests and re-seeding only), a batch at a time."""
        while self.write("admin/delete_batch", limit=batch)[0]["deleted"]:
            pass

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
