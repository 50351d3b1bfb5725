"""Locks, so two processes never run the same rule, two schedulers or two imports at once.

Rule locks and the scheduler's leadership are leases in the application database (they hold
across hosts: `graphsvc.appdata.leases`). The import lock is a file lock in the data dir:
fcntl locks are released by the kernel when their process dies, so a crash leaves nothing
stale.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graphsvc.settings import Settings


class LockHeld(Exception):
    """Another process holds the lock (not a GraphsvcError: callers decide what it means)."""


def lock_dir(data_dir: Path) -> Path:
    path = Path(data_dir) / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def file_lock(path: Path, *, wait_s: float = 0.0, poll_s: float = 0.2) -> Iterator[Path]:
    """Hold an exclusive lock on `path`, waiting up to wait_s; LockHeld if it stays taken."""
    handle = open(path, "a+")  # noqa: SIM115 - closed in finally
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockHeld(str(path)) from None
                time.sleep(poll_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield path
    finally:
        handle.close()


def holder(path: Path) -> str:
    """The pid written by the process that last took the lock (for messages)."""
    try:
        return Path(path).read_text().strip() or "unknown"
    except OSError:
        return "unknown"


# How long a rule's run lock lasts unless its holder renews it (every third of that).
RULE_LOCK_TTL_S = 30.0


def rule_lock(settings: Settings, rule_id: str, *, wait_s: float = 0.0
              ) -> AbstractContextManager[str]:
    """The per-rule run lock that the scheduler's tasks, the web page and `graphsvc jobs run`
    all take: a lease in the application database, so it holds across hosts too."""
    from graphsvc.appdata import leases  # leases raises this module's LockHeld

    return leases.held(settings, f"rule:{rule_id}", ttl_s=RULE_LOCK_TTL_S, wait_s=wait_s,
                       poll_s=0.5)


def scheduler_lock_path(data_dir: Path) -> Path:
    return lock_dir(data_dir) / "scheduler.lock"


def import_lock(data_dir: Path) -> AbstractContextManager[Path]:
    """Held for the whole of an import: a second one at the same time is refused, since each
    decides from what the graph holds which records are new."""
    return file_lock(lock_dir(data_dir) / "import.lock")
