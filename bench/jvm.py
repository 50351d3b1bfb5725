"""CPU seconds of a local Neo4j's JVM by kind of thread, read from /proc (Linux only).

A first import on a just-started server spends its CPU in the Bolt worker that runs the
statements, in the JIT compilers warming the code up and in the collector; a throughput figure
alone cannot say which of them a change moved.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from urllib.parse import urlsplit

import psutil

from bench.cpu import listener

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Thread names (as /proc shows them, 15 characters) grouped by what they do.
_KINDS = [("bolt_worker", re.compile(r"^(neo4j\.BoltWor|BoltWorker|bolt-)")),
          ("index_population", re.compile(r"^neo4j\.IndexPop")),
          ("c2", re.compile(r"^C2 Compiler")), ("c1", re.compile(r"^C1 Compiler")),
          ("gc", re.compile(r"^(GC Thread|G1 |VM Thread|GC )"))]


def _kind(name: str) -> str:
    for kind, pattern in _KINDS:
        if pattern.search(name):
            return kind
    return "other"


def server_pid(uri: str | None) -> int | None:
    """The pid of the local process listening on the Bolt URI's port, if visible."""
    if not uri:
        return None
    port = urlsplit(uri).port or 7687
    proc = listener(port)
    return proc.pid if proc else None


def thread_seconds(pid: int | None) -> dict[str, float]:
    """CPU seconds (user + system) so far of each kind of thread of the process; {} if gone."""
    if pid is None:
        return {}
    totals: dict[str, float] = defaultdict(float)
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return {}
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        totals[_kind(name)] += (int(fields[11]) + int(fields[12])) / _TICK
    return dict(totals)


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds per kind between two readings, and their total. A thread that ended between
    them takes its seconds with it, so a kind can read low (never high)."""
    out = {k: round(after.get(k, 0.0) - before.get(k, 0.0), 1) for k in sorted(after)}
    out["total"] = round(sum(out.values()), 1)
    return out


def engine_memory_bytes(store, uri: str | None) -> int:
    """The graph engine's resident memory: the embedded engine's own figure, or the RSS of the
    local server listening on the Bolt URI's port (a Neo4j JVM: heap, page cache and all);
    0 when neither is visible (a remote server)."""
    own = store.memory_bytes()
    if own:
        return own
    if not uri or urlsplit(uri).hostname not in ("127.0.0.1", "localhost"):
        return 0
    server = listener(urlsplit(uri).port or 7687)
    try:
        return int(server.memory_info().rss) if server else 0
    except psutil.Error:
        return 0
