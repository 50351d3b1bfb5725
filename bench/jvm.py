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


def _cpu_seconds(stat: str) -> float:
    """User + system seconds from a /proc stat line (the fields after the name)."""
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def thread_seconds(pid: int | None) -> dict[str, tuple[str, float]]:
    """A reading: CPU seconds (user + system) so far of each thread of the process by thread id,
    with its kind, and the whole process's under the key "process"; {} if the process is gone."""
    if pid is None:
        return {}
    reading: dict[str, tuple[str, float]] = {}
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            reading["process"] = ("process", _cpu_seconds(handle.read()))
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return {}
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:
            continue  # the thread ended meanwhile
        reading[tid] = (_kind(stat[stat.index("(") + 1:stat.rindex(")")]), _cpu_seconds(stat))
    return reading


def spent(before: dict[str, tuple[str, float]],
          after: dict[str, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds per kind of thread between two readings, and their total. Threads that ended
    between the readings took their own figures with them; the process's total still counts
    them, and what it counts beyond the live threads is reported as "ended_threads"."""
    kinds: dict[str, float] = defaultdict(float)
    for tid, (kind, seconds) in after.items():
        if tid != "process":
            kinds[kind] += seconds - before.get(tid, (kind, 0.0))[1]
    total = after["process"][1] - before.get("process", ("process", 0.0))[1]
    kinds["ended_threads"] = max(0.0, total - sum(kinds.values()))
    out = {k: round(v, 1) for k, v in sorted(kinds.items())}
    out["total"] = round(total, 1)
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
