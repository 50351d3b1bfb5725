"""Writing the audit chain (keyed hashes, head, checkpoints) and reading it back; the package's
docstring (`graphsvc.audit`) says what the log is."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, RowMapping

from graphsvc import appdata
from graphsvc.appdata.group import GroupCommit
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

_TRIGGERS = {"sqlite": ("audit_log_no_update", "audit_log_no_delete"),
             "postgresql": ("audit_log_no_update", "audit_log_no_delete",
                            "audit_log_no_truncate")}
# PostgreSQL advisory lock key of the chain: one append at a time across every host.
CHAIN_LOCK = appdata.Lock.AUDIT_CHAIN
# The action of the entry that seals a log begun before the chain was keyed.
SEAL_ACTION = "audit chain keyed: the entries before this one are sealed as written"
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
    asked: dict[str, Any]
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
    theirs = _write_once(path, key.hex() + "\n")
    if theirs is not None:  # another process made it a moment ago
        return bytes.fromhex(theirs.strip())
    if settings.audit_key_file is None:
        log.info("GRAPHSVC_AUDIT_KEY_FILE is not set: the audit chain's key was created in "
                 "%s; keep it on another volume in production", path)
    return key


class _Log:
    """One process's view of one audit log: where its head and checkpoints go, and the key."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.in_postgres = appdata.postgres(settings)
        self.head_path = settings.app_dir / "audit.head"
        self.anchor_dir = settings.audit_anchor_dir
        self.key = audit_key(settings)
        # Entries of concurrent requests appended together (graphsvc.appdata.group).
        self.appender: GroupCommit[dict[str, str], tuple[int, str]] = GroupCommit(
            self._append_all)
        if not self.in_postgres:
            new = not (settings.app_dir / "audit.db").exists()
            appdata.ensure_migrated(settings, "audit")
            if new:
                _write_genesis_head(self.head_path)
        appdata.ensure_migrated(settings, "audit")

    def _append_all(self, entries: list[dict[str, str]]) -> list[tuple[int, str]]:
        with _writer(self) as (conn, end):
            return _append(conn, self, end, entries)


_logs: dict[tuple[int, str, str], _Log] = {}
_logs_lock = threading.Lock()


def _log_for(settings: Settings) -> _Log:
    """This process's handle on the log (set up once, however many threads arrive at once:
    two handles would be two appenders racing for the lock and the head file)."""
    key = (os.getpid(), str(settings.app_dir.absolute()), settings.app_db)
    with _logs_lock:
        handle = _logs.get(key)
        if handle is None:
            handle = _logs[key] = _Log(settings)
        return handle


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def entry_hash(key: bytes, prev_hash: str, content: dict[str, Any]) -> str:
    """The chain hash of one entry: its content (every field but the hashes) and the one
    before, keyed (HMAC-SHA256) so that it cannot be recomputed without the key."""
    return hmac.new(key, f"{prev_hash}\n{_canonical(content)}".encode(),
                    hashlib.sha256).hexdigest()


_escape = json.encoder.encode_basestring
# Positions in FIELDS of the content's keys in sorted order (the canonical JSON's order).
_SORTED = tuple(FIELDS.index(k) for k in sorted(FIELDS[:9]))


def _content_text(row: tuple[Any, ...]) -> str:
    """`_canonical(content_of(...))` of a row in FIELDS order, built directly (verification reads
    a million rows): the same text whenever the fields are text and seq an integer, as
    record() writes them."""
    if type(row[0]) is not int or not all(type(row[i]) is str for i in _SORTED if i):
        return _canonical(content_of(dict(zip(FIELDS, row, strict=False))))
    parts = [f'"{FIELDS[i]}":{row[i] if i == 0 else _escape(row[i])}' for i in _SORTED]
    return "{" + ",".join(parts) + "}"


def legacy_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """The hash of an entry written before the chain was keyed (plain SHA-256)."""
    return hashlib.sha256(f"{prev_hash}\n{_canonical(content)}".encode()).hexdigest()


def content_of(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {"seq": row["seq"], "at": row["at"], "user": row["user"], "role": row["role"],
            "kind": row["kind"], "action": row["action"], "asked": row["asked"],
            "shown": row["shown"], "justification": row["justification"]}


@contextmanager
def _writer(handle: _Log) -> Iterator[tuple[Connection, tuple[int, str]]]:
    """A write transaction holding the right to append, across threads, processes and hosts,
    and the newest entry's (seq, hash), which the next entry chains onto."""
    with appdata.transaction(handle.settings, "audit") as conn:
        yield conn, _lock_chain_end(conn)


def _lock_chain_end(conn: Connection) -> tuple[int, str]:
    """Take the chain's lock and read its newest entry. On SQLite the write transaction holds
    the database's only write lock. On PostgreSQL one statement locks the head row and reads
    the newest entry (`audit/lock_head`); only when they differ (another writer committed
    while this one waited, or the head is missing) is the newest entry read again, under the
    lock, as it is on SQLite."""
    if conn.dialect.name != "postgresql":
        return _last(conn)
    row = appdata.run(conn, "audit/lock_head").mappings().first()
    if row is None:  # no head row to lock (verify reports it): the advisory lock instead
        appdata.lock_chain(conn, CHAIN_LOCK)
        return _last(conn)
    newest = ((int(row["newest_seq"]), str(row["newest_hash"]))
              if row["newest_seq"] is not None else (0, GENESIS))
    return newest if newest == (int(row["seq"]), str(row["hash"])) else _last(conn)


def _last(conn: Connection) -> tuple[int, str]:
    row = appdata.run(conn, "audit/last_entry").mappings().first()
    return (int(row["seq"]), str(row["hash"])) if row else (0, GENESIS)


def record(settings: Settings, *, user: str, role: str, kind: str, action: str,
           asked: dict[str, Any], shown: list[str], justification: str = "") -> int:
    """Append one entry and return its sequence number.

    `asked` is what the user asked for (parameters), `shown` the keys of the records shown
    (e.g. `person_id=P1`), `justification` the reason or incident number the user gave.
    """
    if kind not in KINDS:
        raise InputError(f"Unknown audit kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if not user or not action:
        raise InputError("An audit entry needs a user and an action.")
    handle = _log_for(settings)
    seq, digest = handle.appender.submit({
        "user": str(user), "role": str(role or ""), "kind": kind, "action": str(action),
        "asked": _canonical(asked or {}), "shown": _canonical([str(s) for s in (shown or [])]),
        "justification": str(justification or "")})
    if handle.anchor_dir and seq % ANCHOR_EVERY == 0:
        _write_anchor(handle.anchor_dir, seq, digest)
    return seq


def _append(conn: Connection, handle: _Log, end: tuple[int, str],
            entries: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Chain entries onto the newest (`end`, read under the writer's lock), in order, and move
    the head once, inside the writer's transaction: on PostgreSQL one statement writes them
    all (sent as one JSON text) and the head; on SQLite one insert of them all, then the head
    file."""
    seq, prev = end
    rows, done = [], []
    for fields in entries:
        seq += 1
        content = {"seq": seq, "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                   **fields}
        digest = entry_hash(handle.key, prev, content)
        rows.append({**content, "prev_hash": prev, "hash": digest})
        done.append((seq, digest))
        prev = digest
    if not done:
        return done
    if handle.in_postgres:
        appdata.run(conn, "audit/append", seq=seq, hash=prev,
                    entries=json.dumps(rows, ensure_ascii=False))
    else:  # written while the write lock is held, so heads are written in chain order
        appdata.run_many(conn, "audit/insert_entry", rows)
        _write_head(handle.head_path, seq, prev)
    return done


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
    with _writer(_log_for(settings)) as (_conn, (seq, digest)):
        pass
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
    """Move the head: its one line overwritten in place, in one write at the start of the file.

    Not a new file renamed over it: on ext4 a rename over an existing file first writes the new
    file's data out (auto_da_alloc), which took 2-20 ms per append under load, where this
    write takes microseconds. The line never gets shorter (seq only grows), so no old byte is
    left after it, and a line this short lies in one disk sector, which is written whole: after
    a crash the head is the old line or the new one, as with a rename. Not fsynced: the entry
    itself is (SQLite, synchronous FULL); after a power cut the head may lag, and verify then
    says which entries it lacks. A head file that is missing, or longer than the line, is
    replaced whole (written aside, then renamed over it).
    """
    line = f"{seq} {digest}\n".encode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        fd = -1
    if fd >= 0:
        try:
            if os.fstat(fd).st_size <= len(line):
                os.pwrite(fd, line, 0)
                return
        finally:
            os.close(fd)
    tmp = path.with_suffix(".head.tmp")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(line)
    os.replace(tmp, path)


def _write_genesis_head(path: Path) -> None:
    """An empty log has a head too; made only if no head exists (another process may have
    made it, and appended, a moment ago)."""
    _write_once(path, f"0 {GENESIS}\n")


def _write_once(path: Path, text: str) -> str | None:
    """Create the file with this text, whole, unless it exists: written aside, then linked in
    (which fails if the file is there), so no reader ever sees it half-written. Returns None
    when this call made it, else what the file already holds."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                   encoding="ascii") as out:
        out.write(text)
    try:
        os.link(tmp, path)
        return None
    except FileExistsError:
        return path.read_text(encoding="ascii")
    finally:
        tmp.unlink(missing_ok=True)


def _read_head(path: Path) -> tuple[int, str] | None:
    """The head's (seq, hash); (-1, "") if it cannot be read as one. Read until two reads
    agree: a read may meet `_write_head` half way through its line."""
    try:
        text, again = path.read_bytes(), b""
        for _ in range(5):
            again = path.read_bytes()
            if again == text:
                break
            text = again
        seq, digest = text.decode("ascii").split()
        return int(seq), digest
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError):
        return (-1, "")


def head(settings: Settings) -> tuple[int, str] | None:
    """(sequence number, hash) of the newest entry as the chain head records it."""
    if not appdata.postgres(settings):
        return _read_head(settings.app_dir / "audit.head")
    with appdata.transaction(settings, "audit", write=False) as conn:
        row = appdata.run(conn, "audit/head").mappings().first()
    return (int(row["seq"]), str(row["hash"])) if row else None


@contextmanager
def _reader(settings: Settings) -> Iterator[Connection]:
    _log_for(settings)  # the schema exists
    with appdata.transaction(settings, "audit", write=False) as conn:
        yield conn


def count(settings: Settings) -> int:
    with _reader(settings) as conn:
        return int(appdata.run(conn, "audit/count").scalar_one())


def _entry(row: RowMapping) -> Entry:
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
    if kind and kind not in KINDS:
        raise InputError(f"Unknown audit kind {kind!r}: choose one of {', '.join(KINDS)}.")
    params = {"user": user or "", "kind": kind or "",
              "since": _utc_start(since) if since else "",
              "until": _utc_start(until + timedelta(days=1)) if until else "",
              "record_key": record_key or "", "limit": int(limit) if limit else 2 ** 62}
    with _reader(settings) as conn:
        return [_entry(r) for r in appdata.run(conn, "audit/search", **params).mappings()]


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
