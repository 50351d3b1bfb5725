"""Checking the audit chain for tampering (`verify`), and sealing a log begun before the chain
was keyed (`seal_legacy`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import DBAPIError

from graphsvc import appdata
from graphsvc.audit.chain import (
    _TRIGGERS,
    GENESIS,
    SEAL_ACTION,
    _append,
    _canonical,
    _content_text,
    _log_for,
    _read_anchors,
    _read_head,
    _writer,
    audit_key,
    content_of,
    entry_hash,
    legacy_hash,
)
from graphsvc.errors import InputError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)


def verify(settings: Settings, *, expect_head: str = "") -> list[str]:
    """Every sign of tampering found, in plain English; an empty list means the log is intact.

    Reads the database without changing it: the triggers are checked before anything else,
    and a missing database or head is a failure, never an empty log. `expect_head` is a head
    line kept elsewhere (`#SEQ HASH`): that entry must be in the log, unchanged.
    """
    return check(settings, expect_head=expect_head)[0]


def check(settings: Settings, *, expect_head: str = "") -> tuple[list[str], int]:
    """As `verify`, with the number of entries read."""
    expected = _parse_head(expect_head) if expect_head else None
    anchors = _read_anchors(settings.audit_anchor_dir)
    path = settings.app_dir / "audit.db"
    head_path = settings.app_dir / "audit.head"
    if not appdata.postgres(settings) and not path.exists():
        problems = [f"There is no audit log at {path}: it has been deleted (or nothing has "
                    "ever been recorded here)."]
        if not head_path.exists():
            problems.append(f"The chain head file {head_path} is missing too.")
        if anchors:
            problems.append(f"{len(anchors)} checkpoint(s) in {settings.audit_anchor_dir} "
                            f"record entries up to #{max(a[1] for a in anchors)}.")
        return problems, 0
    # A connection of its own that runs no migration: verify must see the schema as it is.
    eng = create_engine(appdata.url(settings, "audit", read_only=True))
    try:
        with eng.connect() as conn:
            return _check(conn, settings, anchors, expected)
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return [f"The audit log at {appdata.where(settings, 'audit')} cannot be read "
                f"({reason})."], 0
    finally:
        eng.dispose()


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


def _check(conn: Connection, settings: Settings, anchors: list[tuple[Path, int, str]],
           expected: tuple[int, str] | None) -> tuple[list[str], int]:
    problems: list[str] = []
    dialect = conn.dialect.name
    present = {r[0] for r in appdata.run(conn, "audit/triggers")}
    for trigger in _TRIGGERS[dialect]:
        if trigger not in present:
            problems.append(f"The safeguard {trigger} is missing: someone removed the trigger "
                            "that keeps the log append-only.")
    if not appdata.run(conn, "audit/table_exists").scalar_one():
        return [*problems, "The audit log's table is missing: it was dropped."], 0
    key = audit_key(settings)
    keyed = hmac.new(key, digestmod=hashlib.sha256)
    legacy_upto, legacy_head = _legacy_seal(conn, key)
    unsealed: list[int] = []
    expected_seq, prev, total = 1, GENESIS, 0
    seq_hash: dict[int, str] = {0: GENESIS}
    for row in appdata.stream(conn, "audit/entries"):
        seq, prev_hash, digest = row[0], row[9], row[10]
        total += 1
        if seq < expected_seq:
            problems.append(f"Entry #{seq} is out of order (a numbering was changed).")
        elif seq > expected_seq:
            gap = f"#{expected_seq}" if seq == expected_seq + 1 else \
                f"#{expected_seq} to #{seq - 1}"
            problems.append(f"Entries {gap} are missing: they were deleted.")
        if prev_hash != prev:
            problems.append(f"Entry #{seq} does not follow the entry before it: an entry was "
                            "inserted, removed or rewritten before it.")
        text = f"{prev_hash}\n{_content_text(row)}".encode()
        if seq <= legacy_upto:
            good = hashlib.sha256(text).hexdigest() == digest
            if seq == legacy_upto and digest != legacy_head:
                good = False
        else:
            mac = keyed.copy()
            mac.update(text)
            good = mac.hexdigest() == digest
        if not good and not legacy_upto and hashlib.sha256(text).hexdigest() == digest:
            unsealed.append(seq)
        elif not good:
            problems.append(f"Entry #{seq} was changed after it was written: its content no "
                            "longer matches its hash (or the audit key is not the one it was "
                            "written with).")
        seq_hash[seq] = digest
        expected_seq, prev = seq + 1, digest
    if unsealed:
        problems.append(f"{len(unsealed)} entries (#{unsealed[0]} to #{unsealed[-1]}) were "
                        "written before the chain was keyed: run `graphsvc audit seal` once "
                        "to migrate the log, then verify again.")
    last = expected_seq - 1
    head_path = settings.app_dir / "audit.head"
    if dialect == "postgresql":
        head_row: Any = appdata.run(conn, "audit/head").first()
        recorded = (int(head_row[0]), head_row[1]) if head_row else None
        where = "row audit_head"
    else:
        recorded, where = _read_head(head_path), f"file {head_path}"
    if recorded is None:
        problems.append(f"The chain head {where} is missing, so removal of the "
                        "newest entries cannot be ruled out.")
    elif recorded[0] < 0:
        problems.append(f"The chain head {where} is unreadable.")
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


def _legacy_seal(conn: Connection, key: bytes) -> tuple[int, str]:
    """(last entry written before the chain was keyed, its hash) as the seal records them, or
    (0, ''); a seal whose own keyed hash is wrong counts for nothing (and fails as an entry)."""
    row: Any = appdata.run(conn, "audit/legacy_seal", action=SEAL_ACTION).first()
    if row is None:
        return 0, ""
    try:
        asked = json.loads(row[1])
        return int(asked["legacy_upto"]), str(asked["legacy_head"])
    except (ValueError, KeyError, TypeError):
        return 0, ""


def seal_legacy(settings: Settings, *, by: str) -> tuple[int, int]:
    """Migrate a log begun before the chain was keyed: check its unkeyed entries as they were
    written (plain SHA-256 chain), then append one keyed entry that records the last of them
    and its hash. From then on `verify` checks those entries as written, and any change to
    them breaks the seal. Returns (entries sealed, the seal's sequence number); a log with no
    unkeyed entries, or one already sealed, is left alone ((0, 0))."""
    handle = _log_for(settings)
    with _writer(handle) as (conn, end):
        if _legacy_seal(conn, handle.key)[0]:
            return 0, 0
        upto, prev = 0, GENESIS
        for row in appdata.run(conn, "audit/entries").mappings():
            if entry_hash(handle.key, row["prev_hash"], content_of(row)) == row["hash"]:
                break
            if row["prev_hash"] != prev or legacy_hash(prev, content_of(row)) != row["hash"]:
                raise InputError(f"Entry #{row['seq']} matches neither the keyed nor the "
                                 "unkeyed chain: the log was changed, so it cannot be sealed "
                                 "(`graphsvc audit verify` lists what is wrong).")
            upto, prev = row["seq"], row["hash"]
        if not upto:
            return 0, 0
        asked = _canonical({"legacy_upto": upto, "legacy_head": prev})
        [(seq, _)] = _append(conn, handle, end, [{
            "user": by, "role": "admin", "kind": "administration", "action": SEAL_ACTION,
            "asked": asked, "shown": "[]", "justification": ""}])
    log.info("audit log: %d unkeyed entries sealed by entry #%d", upto, seq)
    return upto, seq
