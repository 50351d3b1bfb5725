"""Web sessions kept on the server (in the application database): ending one ends every copy.

The browser's signed cookie holds only a random session id; the table holds its SHA-256. A
session ends when its row goes: at sign-out, when the user is disabled or their password
changes (`graphsvc.users`), and when an administrator signs the user out everywhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass

from graphsvc import appdata, users
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

# Hard limit on a session however active it is.
MAX_AGE_S = 12 * 3600
# The last-seen time is written at most this often (every click would be a write).
_SEEN_RESOLUTION_S = 15


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(settings: Settings, user: users.User, *, source: str) -> str:
    """A new session for a user who has just signed in; returns its id (for the cookie only)."""
    session_id = secrets.token_urlsafe(32)
    now = time.time()
    with users.connect(settings) as conn:
        appdata.run(conn, "sessions/delete_expired", before=now - MAX_AGE_S)
        appdata.run(conn, "sessions/insert_session", id_hash=_hash(session_id), user_id=user.id,
                    now=now, source=source[:64])
    return session_id


@dataclass(frozen=True)
class Session:
    """A live session: its user, and the graph bookmarks of the user's last write (Neo4j)."""

    user: users.User
    bookmarks: tuple[str, ...] = ()


def session_user(settings: Settings, session_id: str, *, idle_s: int) -> users.User | None:
    """The live user of a live session, or None (ended, idle too long, too old, disabled)."""
    found = find_session(settings, session_id, idle_s=idle_s)
    return found.user if found else None


def find_session(settings: Settings, session_id: str, *, idle_s: int) -> Session | None:
    """A live session, or None (ended, idle too long, too old, its user disabled)."""
    if not session_id or len(session_id) > 100:
        return None
    now = time.time()
    key = _hash(session_id)
    with users.connect(settings, write=False) as conn:
        row = appdata.run(conn, "sessions/session_by_hash", id_hash=key).mappings().first()
    if row is None:
        return None
    if now - row["seen_at"] > idle_s or now - row["started_at"] > MAX_AGE_S:
        end_session(settings, session_id)
        return None
    user = users.get_user(settings, row["user_id"])
    if user is None or user.disabled:
        return None
    if now - row["seen_at"] >= _SEEN_RESOLUTION_S:
        with users.connect(settings) as conn:
            appdata.run(conn, "sessions/touch", now=now, id_hash=key)
    return Session(user, tuple(json.loads(row["bookmarks"])) if row["bookmarks"] else ())


def remember_bookmarks(settings: Settings, user_id: int, bookmarks: Collection[str]) -> None:
    """Keep the graph bookmarks of a user's write in each of their sessions, so their next
    read on any web process sees that write (Neo4j cluster: docs/deployment.md)."""
    with users.connect(settings) as conn:
        appdata.run(conn, "sessions/set_bookmarks_of_user", user_id=user_id,
                    bookmarks=json.dumps(sorted(bookmarks)))


def end_session(settings: Settings, session_id: str) -> None:
    with users.connect(settings) as conn:
        appdata.run(conn, "sessions/end_session", id_hash=_hash(session_id))


def end_sessions_of(settings: Settings, name: str) -> int:
    """Sign a user out everywhere; return how many sessions ended."""
    user = users.find_user(settings, name)
    with users.connect(settings) as conn:
        ended = appdata.run(conn, "sessions/end_sessions_of", user_id=user.id).rowcount
    log.info("%d session(s) of %s ended", ended, user.name)
    return ended


def count_sessions(settings: Settings, name: str) -> int:
    user = users.find_user(settings, name)
    with users.connect(settings, write=False) as conn:
        return int(appdata.run(conn, "sessions/count_sessions_of", user_id=user.id).scalar_one())
