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
from dataclasses import dataclass, field
from typing import Any

from graphsvc.changes import ChangeSet
from graphsvc.importer.write import Reject

# What writes one batch (`write_batch` with all but these given), called as
# write(reject, changed=changed): where to put its rejects and its changed keys.
Write = Callable[..., int]


@dataclass
class _Sent:
    """A batch in flight: its write, the rows the reader rejected, and what the write reports."""

    future: Future[int]
    read_rejects: Sequence[tuple[Any, ...]]
    write_rejects: list[tuple[Any, ...]] = field(default_factory=list)
    changed: ChangeSet | None = None


class InFlight:
    """Sends batches with up to `depth` written at once. As each batch ends, in the order they
    were sent, its rejects go to `reject`, its changed keys to `changed`, and the rows it
    imported to `landed`."""

    def __init__(self, depth: int, reject: Reject, changed: ChangeSet | None,
                 landed: Callable[[int], None]):
        self.depth = max(1, depth)
        self.reject = reject
        self.changed = changed
        self.landed = landed
        self.pending: deque[_Sent] = deque()
        self.pool = ThreadPoolExecutor(self.depth, "import-write") if self.depth > 1 else None

    def __enter__(self) -> InFlight:
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        if self.pool is None:
            return
        # On an error, every batch already sent ends (lands or fails) before the import goes on
        # to report it: nothing is written after the import has said it stopped, and what the
        # batches that landed imported and rejected is in the report.
        if error is None:
            self.finish()  # the caller's `finish` has emptied it: this only makes sure
        self.pool.shutdown(wait=True, cancel_futures=True)
        if error is not None:
            while self.pending:
                sent = self.pending.popleft()
                landed = not sent.future.cancelled() and sent.future.exception() is None
                self._hand_over(sent, sent.future.result() if landed else None)

    def send(self, read_rejects: Sequence[tuple[Any, ...]], write: Write | None) -> None:
        """Pass on one batch: the rows the reader rejected, then `write` for the rest (None
        when the reader rejected every row). Its rejects are reported in that order, after
        those of every batch sent before it, as one batch at a time would report them."""
        if self.pool is None:
            for row in read_rejects:
                self.reject(*row)
            if write is not None:
                self.landed(write(self.reject, changed=self.changed))
            return
        while len(self.pending) >= self.depth:
            self._settle()
        sent = _Sent(Future(), read_rejects,
                     changed=ChangeSet() if self.changed is not None else None)
        if write is None:
            sent.future.set_result(0)
        else:
            sent.future = self.pool.submit(write, lambda *row: sent.write_rejects.append(row),
                                           changed=sent.changed)
        self.pending.append(sent)

    def finish(self) -> None:
        while self.pending:
            self._settle()

    def _settle(self) -> None:
        imported = self.pending[0].future.result()  # a failed batch raises, as it would unsent
        self._hand_over(self.pending.popleft(), imported)

    def _hand_over(self, sent: _Sent, imported: int | None) -> None:
        """Pass on a batch's reader rejects and, if it landed (`imported` not None), what its
        write reported."""
        for row in sent.read_rejects:
            self.reject(*row)
        if imported is None:
            return
        for row in sent.write_rejects:
            self.reject(*row)
        if sent.changed is not None and self.changed is not None:
            self.changed.update(sent.changed)
        self.landed(imported)
