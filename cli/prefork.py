"""Several copies of a server on one listening socket: the parent forks them, restarts one
that dies, and stops them all on SIGTERM or SIGINT (the kernel shares out the connections).

The kernel hands a new connection to whichever copy calls accept() first, so a burst of
keep-alive connections can fall 12 to 4 on two copies, and the busier one then serves three
quarters of the requests on its share of the CPU. `Shares` lets the copies see each other's
open connections: a copy holding more than the least busy one leaves new connections to it.
"""

from __future__ import annotations

import logging
import mmap
import os
import signal
import struct
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# A worker that dies sooner than this after its start is not restarted (it would only die again).
_MIN_LIFETIME_S = 5.0
# The count of a copy that is not running: never the least busy.
_NOT_RUNNING = 2**62


class Shares:
    """The open connections of each copy, in memory the forked copies share (one slot each)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._memory = mmap.mmap(-1, 8 * workers)  # anonymous and shared: seen after fork
        for slot in range(workers):
            self.set(slot, _NOT_RUNNING)

    def set(self, slot: int, connections: int) -> None:
        struct.pack_into("q", self._memory, 8 * slot, connections)

    def may_accept(self, slot: int, connections: int) -> bool:
        """Whether the copy in `slot`, holding `connections`, should take the next one: unless
        another copy holds fewer (at least one copy, the least busy, always takes it)."""
        counts = struct.unpack_from(f"{self.workers}q", self._memory)
        return all(connections <= n for i, n in enumerate(counts) if i != slot)


def prefork(workers: int, serve: Callable[[Shares, int], None]) -> None:
    """Run `serve(shares, slot)` in `workers` child processes until the parent is told to
    stop; each child keeps its slot of `shares` up to date."""
    shares = Shares(workers)
    children: dict[int, tuple[float, int]] = {}
    stopping = False

    def start(slot: int) -> None:
        shares.set(slot, 0)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                serve(shares, slot)
            finally:
                os._exit(0)
        children[pid] = (time.monotonic(), slot)

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        start(slot)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        started, slot = children.pop(pid, (0.0, -1))
        if slot < 0:
            continue
        shares.set(slot, _NOT_RUNNING)
        if stopping:
            continue
        log.warning("web process %d ended (status %d)", pid, status)
        if time.monotonic() - started < _MIN_LIFETIME_S:
            log.error("web process %d died at once: not restarted", pid)
            continue
        start(slot)
