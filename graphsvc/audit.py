"""The audit log (Data Protection Act 2018, s.62): who looked at what, when, and why.

Kept in `audit.db`, apart from the graph. Append-only (SQLite triggers refuse UPDATE and DELETE)
and chained with a keyed hash (HMAC-SHA256): each entry's hash covers its content and the
previous entry's hash, under a key kept outside the data directory, so an edited, removed or
inserted entry breaks the chain and nobody without the key can rebuild it. The newest sequence
number and hash are written to `audit.head` beside the database (cutting entries off the end is
detected), and every ANCHOR_EVERY entries a checkpoint goes to a second place
(`GRAPHSVC_AUDIT_ANCHOR_DIR`, e.g. a write-once mount). `graphsvc audit verify --expect-head`
checks the log against a head kept anywhere else.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import hmac
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from graphsvc import appdb
from graphsvc.errors import ConfigError, InputError
from graphsvc.model import LOCAL_TZ
from graphsvc.settings import Settings
from graphsvc.spreadsheet import csv_row

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# What an entry records: a sign-in (or failure) or sign-out; a consultation (address check,
# search, entity view); a disclosure (an export, a printed briefing); an alteration (a decision,
# an import); a combination (records of two systems linked as one person, a link confirmed,
# rejected or undone: s.62(1)(f)); an erasure; administration (users, tokens).
KINDS = ("sign_in", "sign_in_failed", "sign_out", "consultation", "disclosure", "alteration",
         "combination", "erasure", "administration")
FIELDS = ("seq", "at", "user", "role", "kind", "action", "asked", "shown", "justification",
          "prev_hash", "hash")

_DDL = """
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    asked TEXT NOT NULL,
    shown TEXT NOT NULL,
    justification TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_user ON audit_log (user, seq);
CREATE INDEX IF NOT EXISTS audit_log_kind ON audit_log (kind, seq);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
"""
_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")
# A checkpoint is written to the anchor folder (when one is set) every this many entries.
ANCHOR_EVERY = 100
_KEY_BYTES = 32


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str  # UTC, ISO 8601 with microseconds
    user: str
    role: str
    kind: str
    action: str
    asked: dict
    shown: list[str]
    justification: str
    prev_hash: str
    hash: str

    @property
    def local_time(self) -> datetime:
        """When it happened, as wall-clock time in the force's time zone."""
        return datetime.fromisoformat(self.at).astimezone(LOCAL_TZ)


def audit_key(settings: Settings) -> bytes:
    """The chain's key: GRAPHSVC_AUDIT_KEY, else the key file (made on first use, readable by
    its owner only). A key file inside the data or app dir is refused: whoever can rewrite the
    log there could then rewrite its chain too."""
    if settings.audit_key:
        return settings.audit_key.encode("utf-8")
    path = Path(settings.audit_key_file or f"{settings.app_dir.absolute()}.audit-key").absolute()
    for folder in {settings.data_dir.absolute(), settings.app_dir.absolute()}:
        if path.is_relative_to(folder):
            raise ConfigError(f"The audit key file {path} is inside {folder}: keep it outside "
                              "the data directory (GRAPHSVC_AUDIT_KEY_FILE).")
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"The audit key file {path} cannot be read ({exc}).") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(_KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key.hex() + "\n")
    if settings.audit_key_file is None:
        log.info("GRAPHSVC_AUDIT_KEY_FILE is not set: the audit chain's key was created in "
                 "%s; keep it on another volume in production", path)
    return key


class _Log:
    """One process's handle on one audit database: a connection and the writers' locks."""

    def __init__(self, settings: Settings):
        self.path = settings.app_dir / "audit.db"
        self.head_path = settings.app_dir / "audit.head"
        self.lock_path = settings.app_dir / "audit.lock"
        self.anchor_dir = settings.audit_anchor_dir
        self.key = audit_key(settings)
        new = not self.path.exists()
        self.conn = appdb.connect(settings, "audit")
        appdb.ensure_schema(self.conn, _DDL)
        if new and not self.head_path.exists():
            _write_head(self.head_path, 0, GENESIS)  # an empty log has a head too
        self.thread_lock = threading.Lock()


_logs: dict[tuple[int, str], _Log] = {}
_logs_lock = threading.Lock()


def _log_for(settings: Settings) -> _Log:
    key = (os.getpid(), str(settings.app_dir.absolute()))
    with _logs_lock:
        handle = _logs.get(key)
        if handle is None:
            handle = _logs[key] = _Log(settings)
        return handle


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def entry_hash(key: bytes, prev_hash: str, content: dict) -> str:
    """The chain hash of one entry: its content (every field but the hashes) and the one
    before, keyed (HMAC-SHA256) so that it cannot be recomputed without the key."""
    return hmac.new(key, f"{prev_hash}\n{_canonical(content)}".encode(),
                    hashlib.sha256).hexdigest()


def _content(row: sqlite3.Row | dict) -> dict:
    return {"seq": row["seq"], "at": row["at"], "user": row["user"], "role": row["role"],
            "kind": row["kind"], "action": row["action"], "asked": row["asked"],
            "shown": row["shown"], "justification": row["justification"]}


@contextmanager
def _writer(handle: _Log) -> Iterator[sqlite3.Connection]:
    """Exclusive right to append, across this process's threads and other processes."""
    with handle.thread_lock, open(handle.lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield handle.conn
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def record(settings: Settings, *, user: str, role: str, kind: str, action: str,
           asked: dict, shown: list[str], justification: str = "") -> int:
    """Append one entry and return its sequence number.

    `asked` is what the user asked for (parameters), `shown` the keys of the records shown
    (e.g. `person_id=P1`), `justification` the reason or incident number the user gave.
    """
    if kind not in KINDS:
        raise InputError(f"Unknown audit kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if not user or not action:
        raise InputError("An audit entry needs a user and an action.")
    handle = _log_for(settings)
    with _writer(handle) as conn:
        with appdb.immediate(conn):
            last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
                                ).fetchone()
            seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
            content = {"seq": seq, "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                       "user": str(user), "role": str(role or ""), "kind": kind,
                       "action": str(action), "asked": _canonical(asked or {}),
                       "shown": _canonical([str(s) for s in (shown or [])]),
                       "justification": str(justification or "")}
            digest = entry_hash(handle.key, prev, content)
            conn.execute(f"INSERT INTO audit_log ({', '.join(FIELDS)}) VALUES "
                         f"({', '.join('?' * len(FIELDS))})",
                         (*content.values(), prev, digest))
        _write_head(handle.head_path, seq, digest)
        if handle.anchor_dir and seq % ANCHOR_EVERY == 0:
            _write_anchor(handle.anchor_dir, seq, digest)
    return seq


def _write_anchor(folder: Path, seq: int, digest: str) -> Path:
    """A checkpoint as a new file of its own (a write-once mount lets files be added, never
    changed); an existing checkpoint for the same entry is left as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-anchor-{seq:012d}.txt"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(f"{seq} {digest} {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        out.flush()
        os.fsync(out.fileno())
    return path


def anchor(settings: Settings) -> tuple[int, str, Path]:
    """Write a checkpoint of the newest entry to the anchor folder now; (seq, hash, file)."""
    if not settings.audit_anchor_dir:
        raise ConfigError("No anchor folder is set (GRAPHSVC_AUDIT_ANCHOR_DIR).")
    handle = _log_for(settings)
    with _writer(handle) as conn:
        last = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
                            ).fetchone()
        seq, digest = (last["seq"], last["hash"]) if last else (0, GENESIS)
        return seq, digest, _write_anchor(settings.audit_anchor_dir, seq, digest)


def _read_anchors(folder: Path | None) -> list[tuple[Path, int, str]]:
    if not folder or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("audit-anchor-*.txt")):
        try:
            seq, digest = path.read_text(encoding="ascii").split()[:2]
            found.append((path, int(seq), digest))
        except (OSError, ValueError, UnicodeDecodeError):
            found.append((path, -1, ""))
    return found


def _write_head(path: Path, seq: int, digest: str) -> None:
    """Replace the head file atomically. Not fsynced: the entry itself is (SQLite, synchronous
    FULL); after a power cut the head may lag, and verify then says which entries it lacks."""
    tmp = path.with_suffix(".head.tmp")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                   encoding="ascii") as out:
        out.write(f"{seq} {digest}\n")
    os.replace(tmp, path)


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        seq, digest = path.read_text(encoding="ascii").split()
        return int(seq), digest
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError):
        return (-1, "")


def head(settings: Settings) -> tuple[int, str] | None:
    """(sequence number, hash) of the newest entry as the head file records it."""
    return _read_head(settings.app_dir / "audit.head")


def verify(settings: Settings, *, expect_head: str = "") -> list[str]:
    """Every sign of tampering found, in plain English; an empty list means the log is intact.

    Reads the database without changing it: the triggers are checked before anything else,
    and a missing database or head is a failure, never an empty log. `expect_head` is a head
    line kept elsewhere (`#SEQ HASH`): that entry must be in the log, unchanged.
    """
    return check(settings, expect_head=expect_head)[0]


def check(settings: Settings, *, expect_head: str = "") -> tuple[list[str], int]:
    """As `verify`, with the number of entries read."""
    path = settings.app_dir / "audit.db"
    head_path = settings.app_dir / "audit.head"
    anchors = _read_anchors(settings.audit_anchor_dir)
    if not path.exists():
        problems = [f"There is no audit log at {path}: it has been deleted (or nothing has "
                    "ever been recorded here)."]
        if not head_path.exists():
            problems.append(f"The chain head file {head_path} is missing too.")
        if anchors:
            problems.append(f"{len(anchors)} checkpoint(s) in {settings.audit_anchor_dir} "
                            f"record entries up to #{max(a[1] for a in anchors)}.")
        return problems, 0
    expected = _parse_head(expect_head) if expect_head else None
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return _check(conn, head_path, audit_key(settings), anchors, expected)
    except sqlite3.DatabaseError as exc:
        return [f"The audit log {path} cannot be read as a database ({exc})."], 0
    finally:
        conn.close()


def _parse_head(text: str) -> tuple[int, str]:
    parts = text.replace("#", " ").split()
    try:
        seq, digest = int(parts[0]), parts[1].lower()
    except (IndexError, ValueError):
        raise InputError(f"--expect-head must be a head line such as '#42 3f5a…' (the "
                         f"sequence number and hash `audit verify` printed), not {text!r}."
                         ) from None
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InputError("--expect-head: the hash must be 64 hexadecimal characters.")
    return seq, digest


def _check(conn: sqlite3.Connection, head_path: Path, key: bytes,
           anchors: list[tuple[Path, int, str]], expected: tuple[int, str] | None
           ) -> tuple[list[str], int]:
    problems: list[str] = []
    present = {r["name"] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")}
    for trigger in _TRIGGERS:
        if trigger not in present:
            problems.append(f"The safeguard {trigger} is missing: someone removed the trigger "
                            "that keeps the log append-only.")
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'audit_log'").fetchone():
        return [*problems, "The audit log's table is missing: it was dropped."], 0
    expected_seq, prev, total = 1, GENESIS, 0
    seq_hash: dict[int, str] = {0: GENESIS}
    for row in conn.execute(f"SELECT {', '.join(FIELDS)} FROM audit_log ORDER BY seq"):
        seq = row["seq"]
        total += 1
        if seq < expected_seq:
            problems.append(f"Entry #{seq} is out of order (a numbering was changed).")
        elif seq > expected_seq:
            gap = f"#{expected_seq}" if seq == expected_seq + 1 else \
                f"#{expected_seq} to #{seq - 1}"
            problems.append(f"Entries {gap} are missing: they were deleted.")
        if row["prev_hash"] != prev:
            problems.append(f"Entry #{seq} does not follow the entry before it: an entry was "
                            "inserted, removed or rewritten before it.")
        if entry_hash(key, row["prev_hash"], _content(row)) != row["hash"]:
            problems.append(f"Entry #{seq} was changed after it was written: its content no "
                            "longer matches its hash (or the audit key is not the one it was "
                            "written with).")
        seq_hash[seq] = row["hash"]
        expected_seq, prev = seq + 1, row["hash"]
    last = expected_seq - 1
    recorded = _read_head(head_path)
    if recorded is None:
        problems.append(f"The chain head file {head_path} is missing, so removal of the "
                        "newest entries cannot be ruled out.")
    elif recorded[0] < 0:
        problems.append(f"The chain head file {head_path} is unreadable.")
    else:
        head_seq, head_hash = recorded
        if head_seq > last:
            gap = f"#{head_seq}" if head_seq == last + 1 else f"#{last + 1} to #{head_seq}"
            problems.append(f"The newest entries {gap} were removed: the log ends at #{last} but "
                            f"the chain head records #{head_seq}.")
        elif seq_hash.get(head_seq) != head_hash:
            problems.append(f"Entry #{head_seq} does not match the chain head: the log was "
                            "rewritten up to its newest entry.")
        elif head_seq < last:
            extra = f"#{last}" if last == head_seq + 1 else f"#{head_seq + 1} to #{last}"
            problems.append(f"Entries {extra} come after the chain head (#{head_seq}): they were "
                            "added outside graphsvc.")
    outside = [(f"the checkpoint {p.name}", s, d) for p, s, d in anchors]
    if expected:
        outside.append(("the head you gave (--expect-head)", *expected))
    for where, seq, digest in outside:
        if seq < 0:
            problems.append(f"{where[0].upper()}{where[1:]} is unreadable.")
        elif seq > last:
            problems.append(f"The log ends at #{last}, but {where} records entry #{seq}: "
                            "entries were removed (or the log was replaced).")
        elif seq_hash.get(seq) != digest:
            problems.append(f"Entry #{seq} does not match {where}: the log was rewritten or "
                            "replaced.")
    return problems, total


@contextmanager
def _reader(settings: Settings) -> Iterator[sqlite3.Connection]:
    """A connection of the caller's own (the writer's is kept for appending)."""
    _log_for(settings)  # the schema exists
    conn = appdb.connect(settings, "audit")
    try:
        yield conn
    finally:
        conn.close()


def count(settings: Settings) -> int:
    with _reader(settings) as conn:
        return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(seq=row["seq"], at=row["at"], user=row["user"], role=row["role"],
                 kind=row["kind"], action=row["action"], asked=json.loads(row["asked"]),
                 shown=json.loads(row["shown"]), justification=row["justification"],
                 prev_hash=row["prev_hash"], hash=row["hash"])


def _utc_start(day: date) -> str:
    local = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return local.astimezone(UTC).isoformat(timespec="microseconds")


def search(settings: Settings, *, user: str = "", kind: str = "", since: date | None = None,
           until: date | None = None, record_key: str = "", limit: int | None = 500
           ) -> list[Entry]:
    """Entries newest first, filtered by user, kind, local dates (inclusive) and a record key
    shown (e.g. `address_id=A1`) or asked for."""
    where, params = [], []
    if user:
        where.append("user = ?")
        params.append(user)
    if kind:
        if kind not in KINDS:
            raise InputError(f"Unknown audit kind {kind!r}: choose one of {', '.join(KINDS)}.")
        where.append("kind = ?")
        params.append(kind)
    if since:
        where.append("at >= ?")
        params.append(_utc_start(since))
    if until:
        where.append("at < ?")
        params.append(_utc_start(until + timedelta(days=1)))
    if record_key:
        where.append("(EXISTS (SELECT 1 FROM json_each(audit_log.shown) WHERE value = ?) "
                     "OR instr(asked, ?) > 0)")
        params.extend([record_key, record_key])
    sql = f"SELECT {', '.join(FIELDS)} FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq DESC"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with _reader(settings) as conn:
        return [_entry(r) for r in conn.execute(sql, params)]


def write_csv(entries: Iterable[Entry], out: IO[str]) -> int:
    """Write entries as CSV (local times, JSON for what was asked and shown); return the count.
    Every cell is neutralised: a failed sign-in's user is whatever a stranger typed."""
    writer = csv.writer(out)
    writer.writerow(["seq", "time", "user", "role", "kind", "action", "asked", "shown",
                     "justification", "hash"])
    n = 0
    for e in entries:
        writer.writerow(csv_row([e.seq, e.local_time.isoformat(timespec="seconds"), e.user,
                                 e.role, e.kind, e.action, _canonical(e.asked),
                                 ";".join(e.shown), e.justification, e.hash]))
        n += 1
    return n
