"""Where a request's time goes: named parts, summed per request, for the benchmarks.

`measuring()` starts a tally for the code it wraps (one request, in its own thread or context);
`part(name)` adds the time of the block it wraps to that tally, and does nothing (one context
variable read) when no tally is running. The graph stores put each statement's round trip
under `graph:<statement name>`; web/timing.py sends a request's tally in a Server-Timing
header when GRAPHSVC_SERVER_TIMING is set, which `bench search` and `bench address` read.
Parts may nest (a search's `search` part holds its graph reads): each is timed whole.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Tally = dict[str, tuple[float, int]]  # part name → (milliseconds in all, times entered)

_tally: ContextVar[Tally | None] = ContextVar("graphsvc_timing", default=None)


@contextmanager
def measuring() -> Iterator[Tally]:
    """A tally of the parts timed inside the block."""
    tally: Tally = {}
    token = _tally.set(tally)
    try:
        yield tally
    finally:
        _tally.reset(token)


@contextmanager
def part(name: str) -> Iterator[None]:
    """Add the block's time to the running tally under `name` (nothing without a tally)."""
    tally = _tally.get()
    if tally is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        ms, times = tally.get(name, (0.0, 0))
        tally[name] = (ms + (time.perf_counter() - started) * 1000, times + 1)
