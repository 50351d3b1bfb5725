"""waitress's task-queue warning reaches the server's log once a minute, not on every request."""

from __future__ import annotations

import logging

from cli import web


def test_the_queue_depth_warning_is_let_through_once_a_minute(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(web.time, "monotonic", lambda: clock[0])
    once = web._OncePerMinute()
    record = logging.LogRecord("waitress.queue", logging.WARNING, __file__, 1,
                               "Task queue depth is %d", (3,), None)
    assert once.filter(record)
    clock[0] += 59.0
    assert not once.filter(record)
    clock[0] += 1.5
    assert once.filter(record)
