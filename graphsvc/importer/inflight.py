"""Writing a file's batches with more than one in flight, settled in the order they were sent.

On Neo4j each batch is a transaction that one server thread runs. While it runs, the writer
would wait and one of the two cores sit partly idle: a second batch sent at once keeps both
busy (docs/neo4j.md, "Session 21"). A batch's own work is unchanged: `write_batch` runs as it
would alone. What it tells the import (rejected rows, changed keys, how many it imported) is
collected per batch and handed over in the order the batches were read, so the report and
the change set read as if the batches had been written one after the other.

Only files whose batches never depend on each other go in flight (`FileSpec.in_flight`): no
row refers to a record of its own file, and no statement creates a node another batch of the
file may create too (the phones of people.csv, the vehicles of associations: those two made
the server detect deadlocks and retry). An engine that writes one statement at a time
(FalkorDB) is given one batch at a time, as before, without a thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from graphsvc.changes import ChangeSet
from graphsvc.importer.write import Reject

# What writes one batch (`write_batch` with all but these given), called as
# write(reject, changed=changed): where to put its rejects and its changed keys.
Write = Callable[..., int]


class InFlight:
    """Sends batches with up to `depth` written at once; `send` and `finish` return how many rows
    the batches that finished since imported, after passing on their rejects and changes."""

    def __init__(self, depth: int, reject: Reject, changed: ChangeSet | None):
        self.depth = max(1, depth)
        self.reject = reject
        self.changed = changed
        self.pending: deque[tuple[Future[int], list[tuple[Any, ...]], ChangeSet | None]] = \
            deque()
        self.pool = ThreadPoolExecutor(self.depth, "import-write") if self.depth > 1 else None

    def __enter__(self) -> InFlight:
        return self

    def __exit__(self, *exc: object) -> None:
        # On an error, every batch already sent ends (lands or fails) before the import goes on
        # to report it: nothing is written after the import has said it stopped.
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def send(self, read_rejects: Sequence[tuple[Any, ...]], write: Write | None) -> int:
        """Pass on one batch: the rows the reader rejected, then `write` for the rest (None
        when the reader rejected every row). Its rejects are reported in that order, after
        those of every batch sent before it, as one batch at a time would report them."""
        if self.pool is None:
            for row in read_rejects:
                self.reject(*row)
            return write(self.reject, changed=self.changed) if write else 0
        imported = 0
        while len(self.pending) >= self.depth:
            imported += self._settle()
        rejects: list[tuple[Any, ...]] = list(read_rejects)
        changed = ChangeSet() if self.changed is not None else None
        if write is None:
            future: Future[int] = Future()
            future.set_result(0)
        else:
            future = self.pool.submit(write, lambda *row: rejects.append(row), changed=changed)
        self.pending.append((future, rejects, changed))
        return imported

    def finish(self) -> int:
        imported = 0
        while self.pending:
            imported += self._settle()
        return imported

    def _settle(self) -> int:
        future, rejects, changed = self.pending[0]
        imported = future.result()  # a failed batch raises here, as it would have unsent
        self.pending.popleft()
        for row in rejects:
            self.reject(*row)
        if changed is not None and self.changed is not None:
            self.changed.update(changed)
        return imported
