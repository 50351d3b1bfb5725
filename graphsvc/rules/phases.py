"""Where a rule run's time goes: seconds per phase (scope, statement, standing flags,
comparison, writes), summed over the run, so that a benchmark prints them instead of guessing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Phases:
    """Seconds spent in each named phase; `with phases("scope"): ...` adds to one."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def rounded(self) -> dict[str, float]:
        return {name: round(s, 3) for name, s in self.seconds.items()}
