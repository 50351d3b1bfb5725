"""Each response's timing in a Server-Timing header, when GRAPHSVC_SERVER_TIMING is set.

The header lists the whole request inside the app (`app`) and the parts graphsvc.timing tallied
while it ran: each graph statement (`graph:read/search_people_details` is sent as
`graph.read.search_people_details`), the audit write, the search, the page's rendering. The
benchmarks read it to split a request's time; it is off by default, since it would tell any
client how long each part of the server took.
"""

from __future__ import annotations

import re
import time
from contextlib import ExitStack

from flask import Flask, Response, g

from graphsvc import timing
from graphsvc.settings import Settings

_NOT_TOKEN = re.compile(r"[^A-Za-z0-9_.\-]")


def header_value(tally: timing.Tally, app_ms: float) -> str:
    """`app;dur=12.30;desc=1, graph.read.x;dur=4.50;desc=2, ...`: each part's milliseconds and
    how many times it ran (names made HTTP tokens, in the order they first ran)."""
    parts = [("app", (app_ms, 1)), *tally.items()]
    return ", ".join(f"{_NOT_TOKEN.sub('.', name)};dur={ms:.2f};desc={times}"
                     for name, (ms, times) in parts)


def install(app: Flask, settings: Settings) -> None:
    """Time every request of `app` (first hook in, last out) when the settings ask for it."""
    if not settings.server_timing:
        return

    @app.before_request
    def _start() -> None:
        g.timing_stack = ExitStack()
        g.timing_tally = g.timing_stack.enter_context(timing.measuring())
        g.timing_started = time.perf_counter()

    @app.after_request
    def _header(response: Response) -> Response:
        if "timing_tally" in g:
            elapsed = (time.perf_counter() - g.timing_started) * 1000
            response.headers["Server-Timing"] = header_value(g.timing_tally, elapsed)
        return response

    @app.teardown_request
    def _stop(_exc: BaseException | None) -> None:
        stack = g.pop("timing_stack", None)
        if stack is not None:
            stack.close()
