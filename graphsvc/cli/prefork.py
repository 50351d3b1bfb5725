"""Several copies of a server on one listening socket: the parent forks them, restarts one
that dies, and stops them all on SIGTERM or SIGINT (the kernel shares out the connections)."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# A worker that dies sooner than this after its start is not restarted (it would only die again).
_MIN_LIFETIME_S = 5.0


def prefork(workers: int, serve: Callable[[], None]) -> None:
    """Run `serve` in `workers` child processes until the parent is told to stop."""
    children: dict[int, float] = {}
    stopping = False

    def start() -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                serve()
            finally:
                os._exit(0)
        children[pid] = time.monotonic()

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
    for _ in range(workers):
        start()
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        log.warning("web process %d ended (status %d)", pid, status)
        if time.monotonic() - started < _MIN_LIFETIME_S:
            log.error("web process %d died at once: not restarted", pid)
            continue
        start()
