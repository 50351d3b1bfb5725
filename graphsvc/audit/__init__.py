"""The audit log (Data Protection Act 2018, s.62): who looked at what, when, and why.

Kept in the application database's audit store (`graphsvc.appdata`: `audit.db` in SQLite, or
PostgreSQL), apart from the graph. Append-only (triggers refuse UPDATE and DELETE) and chained
with a keyed hash (HMAC-SHA256): each entry's hash covers its content and the previous entry's
hash, under a key kept outside the data directory, so an edited, removed or
inserted entry breaks the chain and nobody without the key can rebuild it. The newest sequence
number and hash are written to the chain head in the same transaction as the entry
(`audit.head` beside a SQLite log, the `audit_head` row in PostgreSQL: cutting entries off the
end is detected), and every ANCHOR_EVERY entries a checkpoint goes to a second place
(`GRAPHSVC_AUDIT_ANCHOR_DIR`, e.g. a write-once mount). `graphsvc audit verify --expect-head`
checks the log against a head kept anywhere else. Writers on any number of processes and hosts
extend the chain one at a time: each append is one transaction holding the chain's lock (a
PostgreSQL advisory lock; SQLite's write lock). A log begun before the chain was keyed is
sealed once (`seal_legacy`), and its older entries are then checked as they were written.
"""

from graphsvc.audit.chain import (
    ANCHOR_EVERY,
    GENESIS,
    KINDS,
    Entry,
    anchor,
    audit_key,
    content_of,
    count,
    entry_hash,
    head,
    legacy_hash,
    record,
    search,
    write_csv,
)
from graphsvc.audit.checking import check, seal_legacy, verify

__all__ = ["ANCHOR_EVERY", "GENESIS", "KINDS", "Entry", "anchor", "audit_key", "check",
           "content_of", "count", "entry_hash", "head", "legacy_hash", "record", "seal_legacy",
           "search", "verify", "write_csv"]
