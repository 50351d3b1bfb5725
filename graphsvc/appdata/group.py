"""Group commit: the writes that concurrent threads of one process ask for at the same moment,
done together in one transaction.

The audit chain is extended one transaction at a time under one lock (across processes and
hosts), and each transaction waits for its commit to reach the disk. Written one by one, 16
concurrent requests queue for that lock and that flush, whatever the number of processes; as
a group, the entries waiting in a process share one lock, one transaction and one flush.
Nothing returns before its write is committed: a caller's entry is durable when it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from graphsvc import appdata

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class _Ask(Generic[Item, Result]):
    item: Item
    result: Result | None = None
    error: BaseException | None = None
    done: bool = False


class GroupCommit(Generic[Item, Result]):
    """`submit(item)` from any thread; `write(items)` (one transaction, a result per item, in
    order) runs in the thread that finds no group being written, with every item waiting."""

    def __init__(self, write: Callable[[list[Item]], list[Result]]) -> None:
        self._write = write
        self._ready = threading.Condition()
        self._waiting: list[_Ask[Item, Result]] = []
        self._writing = False

    def submit(self, item: Item) -> Result:
        ask: _Ask[Item, Result] = _Ask(item)
        with self._ready:
            self._waiting.append(ask)
            while self._writing and not ask.done:
                self._ready.wait()
            if not ask.done:  # nobody is writing: this thread writes everything waiting
                self._writing = True
                group, self._waiting = self._waiting, []
        if not ask.done:
            self._write_group(group)
        elif ask.error is None:
            appdata.count_commit()  # committed in another thread, for this caller
        if ask.error is not None:
            raise ask.error
        assert ask.result is not None
        return ask.result

    def _write_group(self, group: list[_Ask[Item, Result]]) -> None:
        try:
            results = self._write([a.item for a in group])
            for ask, result in zip(group, results, strict=True):
                ask.result = result
        except BaseException as exc:  # every caller of the group gets the failure
            for ask in group:
                ask.error = exc
        finally:
            with self._ready:
                for ask in group:
                    ask.done = True
                self._writing = False
                self._ready.notify_all()
