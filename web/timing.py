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
    """Time every request of `app` when the settings ask for it: call it once every other hook
    is in place, since its first hook must run before them all (the sign-in guard's too) and
    its header hook after them all. `checks` is the time before the view (the guard's sign-in,
    token and CSRF checks)."""
    if not settings.server_timing:
        return

    def _start() -> None:
        g.timing_stack = ExitStack()
        g.timing_tally = g.timing_stack.enter_context(timing.measuring())
        g.timing_started = time.perf_counter()

    def _checked() -> None:
        if "timing_tally" in g:
            g.timing_tally["checks"] = ((time.perf_counter() - g.timing_started) * 1000, 1)

    def _header(response: Response) -> Response:
        if "timing_tally" in g:
            elapsed = (time.perf_counter() - g.timing_started) * 1000
            response.headers["Server-Timing"] = header_value(g.timing_tally, elapsed)
        return response

    def _stop(_exc: BaseException | None) -> None:
        stack = g.pop("timing_stack", None)
        if stack is not None:
            stack.close()

    before = app.before_request_funcs.setdefault(None, [])
    before.insert(0, _start)
    before.append(_checked)
    app.after_request_funcs.setdefault(None, []).insert(0, _header)  # they run last to first
    app.teardown_request(_stop)
