"""CPU time per party of a measured run, on this machine: the web server's processes, the
PostgreSQL server, the graph engine, the load generator, and whatever else ran meanwhile.

On a machine of few cores every party of a benchmark shares them, so a throughput is only
understood beside where its CPU went: each party's CPU seconds are read from the kernel
(psutil) before and after the run, for a process and all its children (a child that ended
is in its parent's reaped-children times).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlsplit

import psutil


def tree_seconds(root: psutil.Process) -> float:
    """CPU seconds used so far by a process and its descendants, living or reaped."""
    total = 0.0
    for proc in [root, *_children(root)]:
        try:
            t = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def _children(root: psutil.Process) -> list[psutil.Process]:
    try:
        return root.children(recursive=True)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def own_seconds() -> float:
    """This process's own CPU seconds (the load generator's, when it runs here)."""
    t = os.times()
    return t.user + t.system


def machine_seconds() -> float:
    """CPU seconds every core of the machine has spent busy so far."""
    t = psutil.cpu_times()
    return sum(getattr(t, f, 0.0) for f in ("user", "nice", "system", "irq", "softirq",
                                             "steal"))


def listener(port: int) -> psutil.Process | None:
    """The local process listening on a TCP port (None if it is elsewhere or not visible)."""
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
                return psutil.Process(conn.pid)
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        pass
    return None


def postgres_server(url: str) -> psutil.Process | None:
    """The local PostgreSQL server (postmaster) a URL names: the parent of this connection's
    backend; None when the server is on another host (its CPU is not this machine's)."""
    if (urlsplit(url).hostname or "localhost") not in ("localhost", "127.0.0.1", "::1"):
        return None
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        try:  # asked while the backend lives
            return psutil.Process(row[0]).parent() if row else None
        except psutil.NoSuchProcess:
            return None


class CpuMeter:
    """`start()` then `stop(n)`: CPU milliseconds per unit (e.g. per check) of each party, and
    of the rest of the machine ("other": the machine's busy time less every party's)."""

    def __init__(self, parties: dict[str, Callable[[], float] | None]) -> None:
        self.parties = parties
        self._before: dict[str, float] = {}

    def _read(self) -> dict[str, float]:
        read = {name: f() for name, f in self.parties.items() if f is not None}
        read["machine"] = machine_seconds()
        return read

    def start(self) -> None:
        self._before = self._read()

    def stop(self, units: int) -> dict[str, float | str]:
        after = self._read()
        spent = {name: after[name] - self._before[name] for name in after}
        machine = spent.pop("machine")
        out: dict[str, float | str] = {}
        for name, f in self.parties.items():
            out[name] = round(spent[name] * 1000 / units, 3) if f else "not measured (elsewhere)"
        out["other"] = round((machine - sum(spent.values())) * 1000 / units, 3)
        out["machine"] = round(machine * 1000 / units, 3)
        return out
