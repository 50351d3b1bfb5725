"""Leases in the application database: one holder at a time across processes and hosts.

A lease is taken for `ttl_s` seconds and renewed by a thread of its holder while it is held;
a holder that dies stops renewing, and the lease is free again when it runs out. The
scheduler's leadership and each rule's run lock are leases (docs/deployment.md).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from graphsvc import appdata
from graphsvc.errors import GraphsvcError
from graphsvc.locks import LockHeld
from graphsvc.settings import Settings

log = logging.getLogger(__name__)


def new_holder() -> str:
    """A name for one holding: host, process and a random part (a pid can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def take(settings: Settings, name: str, holder: str, ttl_s: float) -> bool:
    """Take (or renew) the lease; False when another live holder has it."""
    now = time.time()
    with appdata.transaction(settings, "app") as conn:
        row = appdata.run(conn, "leases/take", name=name, holder=holder, now=now,
                          expires=now + ttl_s).first()
    return row is not None


def release(settings: Settings, name: str, holder: str) -> None:
    with appdata.transaction(settings, "app") as conn:
        appdata.run(conn, "leases/release", name=name, holder=holder)


def holder_of(settings: Settings, name: str) -> str:
    """Who holds the lease now ('' when nobody does)."""
    with appdata.transaction(settings, "app", write=False) as conn:
        row = appdata.run(conn, "leases/holder", name=name, now=time.time()).first()
    return row[0] if row else ""


@contextmanager
def held(settings: Settings, name: str, *, ttl_s: float = 60.0, wait_s: float = 0.0,
         poll_s: float = 1.0, on_lost: Callable[[], None] | None = None) -> Iterator[str]:
    """Hold the lease for the block (waiting up to wait_s for it; LockHeld if it stays taken),
    renewing it every ttl_s/3. If it is lost all the same (the database was unreachable for
    longer than ttl_s), `on_lost` is called once."""
    holder = new_holder()
    deadline = time.monotonic() + wait_s
    while not take(settings, name, holder, ttl_s):
        if time.monotonic() >= deadline:
            raise LockHeld(holder_of(settings, name) or name)
        time.sleep(poll_s)
    stop = threading.Event()
    renewer = threading.Thread(target=_renew, args=(settings, name, holder, ttl_s, stop, on_lost),
                               name=f"lease {name}", daemon=True)
    renewer.start()
    try:
        yield holder
    finally:
        stop.set()
        renewer.join()
        try:
            release(settings, name, holder)
        except GraphsvcError as exc:  # it runs out on its own
            log.warning("lease %s not released: %s", name, exc)


def _renew(settings: Settings, name: str, holder: str, ttl_s: float, stop: threading.Event,
           on_lost: Callable[[], None] | None) -> None:
    last_ok = time.monotonic()
    while not stop.wait(ttl_s / 3):
        try:
            if take(settings, name, holder, ttl_s):
                last_ok = time.monotonic()
                continue
            lost = True
        except GraphsvcError as exc:
            log.warning("lease %s not renewed: %s", name, exc)
            lost = time.monotonic() - last_ok > ttl_s
        if lost:
            log.error("lease %s lost: another process holds it now", name)
            if on_lost is not None:
                on_lost()
            return
