"""People who may sign in, their roles, lock-out after failed sign-ins, and API client tokens.

Kept in `app.db` (SQLite), apart from the graph. Passwords are argon2 hashes; API tokens are
random 256-bit secrets stored only as their SHA-256 (a fast hash suits a secret with that much
entropy, and keeps each API call cheap).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from graphsvc import appdb
from graphsvc.errors import GraphsvcError, InputError, NotFound
from graphsvc.model import ROLES, TOKEN_ROLES
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_PASSWORD_SCORE = 3  # of zxcvbn's 0 to 4
# Failed sign-ins are counted per name from one source address, per source address, and per
# name from all addresses; each count has its own limit within LOCKOUT_WINDOW_S. The last one
# does not apply at an address where the user has signed in before, so no stranger can keep a
# real user locked out at their usual workstation (docs/roles.md, "Sign-in").
LOCKOUT_FAILURES = 5  # one name from one address
LOCKOUT_SOURCE_FAILURES = 20  # one address, whatever the names
LOCKOUT_NAME_FAILURES = 20  # one name, from addresses it has never signed in from
LOCKOUT_WINDOW_S = 15 * 60
TOKEN_PREFIX = "gsv_"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")

_DDL = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    epoch INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sign_in_attempts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE,
    source TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sign_in_attempts_name ON sign_in_attempts (name, at);
CREATE INDEX IF NOT EXISTS sign_in_attempts_source ON sign_in_attempts (source, at);
CREATE TABLE IF NOT EXISTS sign_in_known (
    name TEXT NOT NULL COLLATE NOCASE,
    source TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (name, source)
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    started_at REAL NOT NULL,
    seen_at REAL NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);
"""


class SignInRefused(GraphsvcError):
    """A sign-in failed; the message never says whether the name exists."""

    exit_code = 7
    http_status = 401


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    disabled: bool
    epoch: int
    created_at: str
    password_changed_at: str


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None


_hasher_lock = threading.Lock()
_hasher: PasswordHasher | None = None
_ready: set[str] = set()


def _ph() -> PasswordHasher:
    global _hasher
    with _hasher_lock:
        if _hasher is None:
            _hasher = PasswordHasher()
        return _hasher


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_readers = threading.local()


@contextmanager
def connect(settings: Settings, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """`app.db` with the users and token tables in place, in one transaction.

    Reads reuse one connection per thread (every web request checks its user or token, and
    opening SQLite costs more than the query); writes open their own and close it.
    """
    if not write:
        with _read_transaction(settings) as conn:
            yield conn
        return
    conn = appdb.connect(settings, "app")
    try:
        key = str(settings.app_dir.absolute())
        if key not in _ready:
            appdb.ensure_schema(conn, _DDL)
            _ready.add(key)
        with appdb.immediate(conn):
            yield conn
    finally:
        conn.close()


@contextmanager
def _read_transaction(settings: Settings) -> Iterator[sqlite3.Connection]:
    key = (os.getpid(), str(settings.app_dir.absolute()))
    cache = getattr(_readers, "conns", None)
    if cache is None:
        cache = _readers.conns = {}
    conn = cache.get(key)
    if conn is None:
        if len(cache) >= 4:  # a process normally has one app.db; tests make many
            for old in cache.values():
                old.close()
            cache.clear()
        with connect(settings):  # creates the tables on first use
            pass
        conn = cache[key] = appdb.connect(settings, "app")
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def check_role(role: str, allowed: tuple[str, ...] = ROLES) -> str:
    if role not in allowed:
        raise InputError(f"Unknown role {role!r}: choose one of {', '.join(allowed)}.")
    return role


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.match(name):
        raise InputError("A name must be 2 to 64 letters, digits or . _ @ - and start with a "
                         f"letter or digit, not {name!r}.")
    return name


def check_password(password: str, name: str = "") -> str:
    """Long enough, and not guessable: not on zxcvbn's list of 30,000 common passwords (its
    frequency lists are the maintained data), nor a repeat, sequence or the user's own name
    (zxcvbn scores it below 3 of 4)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if not password.strip():
        raise InputError("The password cannot be only spaces.")
    # zxcvbn's cost grows fast with length; its authors check the first 100 characters.
    verdict = zxcvbn(password[:100], user_inputs=[name] if name else [])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        why = verdict["feedback"]["warning"] or "It is too easy to guess."
        raise InputError(f"That password is too easy to guess: {why.rstrip('.')}. Use a few "
                         "unrelated words, or a longer phrase.")
    return password


def _user(row: sqlite3.Row | None) -> User | None:
    if row is None:
        return None
    return User(id=row["id"], name=row["name"], role=row["role"], disabled=bool(row["disabled"]),
                epoch=row["epoch"], created_at=row["created_at"],
                password_changed_at=row["password_changed_at"])


def add_user(settings: Settings, name: str, role: str, password: str) -> User:
    """Create a user who can sign in with this password; a taken name is an error."""
    name, role = check_name(name), check_role(role)
    password = check_password(password, name)
    digest = _ph().hash(password)
    now = _now()
    with connect(settings) as conn:
        try:
            conn.execute("INSERT INTO users (name, role, password_hash, created_at, "
                         "password_changed_at) VALUES (?, ?, ?, ?, ?)",
                         (name, role, digest, now, now))
        except sqlite3.IntegrityError:
            raise InputError(f"A user called {name!r} already exists.") from None
        user = _user(conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())
    log.info("user %s added with role %s", name, role)
    return user


def get_user(settings: Settings, user_id: int) -> User | None:
    with connect(settings, write=False) as conn:
        return _user(conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def find_user(settings: Settings, name: str) -> User:
    with connect(settings, write=False) as conn:
        user = _user(conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())
    if user is None:
        raise NotFound(f"There is no user called {name!r}.")
    return user


def list_users(settings: Settings) -> list[User]:
    with connect(settings, write=False) as conn:
        return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]


def set_disabled(settings: Settings, name: str, disabled: bool = True) -> User:
    """Disable (or re-enable) a user; a disabled user's open sessions end at their next click."""
    user = find_user(settings, name)
    with connect(settings) as conn:
        conn.execute("UPDATE users SET disabled = ?, epoch = epoch + 1 WHERE id = ?",
                     (int(disabled), user.id))
        conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
        if not disabled:
            conn.execute("DELETE FROM sign_in_attempts WHERE name = ?", (user.name,))
    log.info("user %s %s", user.name, "disabled" if disabled else "enabled")
    return find_user(settings, name)


def recent_failures(settings: Settings, name: str, *, source: str = "",
                    now: float | None = None) -> int:
    """Failed sign-ins for this name (from this source address, when given) in the window."""
    now = time.time() if now is None else now
    sql = "SELECT count(*) FROM sign_in_attempts WHERE name = ? AND at > ?"
    params: list = [name.strip(), now - LOCKOUT_WINDOW_S]
    if source:
        sql += " AND source = ?"
        params.append(source)
    with connect(settings, write=False) as conn:
        return conn.execute(sql, params).fetchone()[0]


@dataclass(frozen=True)
class LockOut:
    """A name, or a source address, that may not sign in until `until` (seconds since 1970)."""

    name: str
    source: str
    failures: int
    until: float


def _locked(conn: sqlite3.Connection, name: str, source: str, now: float) -> str:
    """Why this name may not try from this address now, or ''."""
    since = now - LOCKOUT_WINDOW_S
    one = "SELECT count(*) FROM sign_in_attempts WHERE at > ? AND "
    if conn.execute(one + "name = ? AND source = ?", (since, name, source)).fetchone()[0] \
            >= LOCKOUT_FAILURES:
        return "name"
    if conn.execute(one + "source = ?", (since, source)).fetchone()[0] \
            >= LOCKOUT_SOURCE_FAILURES:
        return "source"
    known = conn.execute("SELECT 1 FROM sign_in_known WHERE name = ? AND source = ?",
                         (name, source)).fetchone()
    if not known and conn.execute(one + "name = ?", (since, name)).fetchone()[0] \
            >= LOCKOUT_NAME_FAILURES:
        return "name"
    return ""


def authenticate(settings: Settings, name: str, password: str, *, source: str = "local",
                 now: float | None = None) -> User:
    """The user whose name and password these are, or SignInRefused.

    The attempt is counted before the password is checked, in the same transaction as the
    check of the limits, so concurrent guesses cannot exceed them; a correct password removes
    it again. A locked name is locked whether or not it exists, so the answer reveals nothing
    about who has an account.
    """
    now = time.time() if now is None else now
    name = (name or "").strip()[:64]
    source = (source or "unknown")[:64]
    with connect(settings) as conn:
        why = _locked(conn, name, source, now)
        if not why:
            attempt = conn.execute("INSERT INTO sign_in_attempts (name, source, at) "
                                   "VALUES (?, ?, ?)", (name, source, now)).lastrowid
        row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if why == "source":
        raise SignInRefused(f"Too many failed sign-ins from this computer: it may not sign in "
                            f"for up to {LOCKOUT_WINDOW_S // 60} minutes. Ask an administrator "
                            "if you need to sign in sooner.")
    if why:
        raise SignInRefused(f"Too many failed sign-ins for this name: it is locked for up to "
                            f"{LOCKOUT_WINDOW_S // 60} minutes. Ask an administrator if you "
                            f"need to sign in sooner.")
    ok = False
    if row is None:
        _dummy_verify(password)
    else:
        try:
            ok = _ph().verify(row["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    if not ok or row["disabled"]:
        raise SignInRefused("The name or password is wrong, or the account is disabled.")
    with connect(settings) as conn:
        conn.execute("DELETE FROM sign_in_attempts WHERE id = ?", (attempt,))
        conn.execute("DELETE FROM sign_in_attempts WHERE name = ? AND source = ?",
                     (name, source))
        conn.execute("INSERT INTO sign_in_known (name, source, at) VALUES (?, ?, ?) "
                     "ON CONFLICT (name, source) DO UPDATE SET at = excluded.at",
                     (row["name"], source, now))
        if _ph().check_needs_rehash(row["password_hash"]):
            conn.execute("UPDATE users SET password_hash = ? WHERE id = ?",
                         (_ph().hash(password), row["id"]))
    return _user(row)


def lock_outs(settings: Settings, *, now: float | None = None) -> list[LockOut]:
    """Names and source addresses locked now, for the administrators' page."""
    now = time.time() if now is None else now
    since = now - LOCKOUT_WINDOW_S
    found: list[LockOut] = []
    with connect(settings, write=False) as conn:
        for r in conn.execute("SELECT name, source, count(*) AS n, min(at) AS first "
                              "FROM sign_in_attempts WHERE at > ? GROUP BY name, source "
                              "HAVING count(*) >= ?", (since, LOCKOUT_FAILURES)):
            found.append(LockOut(r["name"], r["source"], r["n"], r["first"] + LOCKOUT_WINDOW_S))
        for r in conn.execute("SELECT source, count(*) AS n, min(at) AS first "
                              "FROM sign_in_attempts WHERE at > ? GROUP BY source "
                              "HAVING count(*) >= ?", (since, LOCKOUT_SOURCE_FAILURES)):
            found.append(LockOut("", r["source"], r["n"], r["first"] + LOCKOUT_WINDOW_S))
        for r in conn.execute("SELECT name, count(*) AS n, min(at) AS first "
                              "FROM sign_in_attempts WHERE at > ? GROUP BY name "
                              "HAVING count(*) >= ?", (since, LOCKOUT_NAME_FAILURES)):
            found.append(LockOut(r["name"], "", r["n"], r["first"] + LOCKOUT_WINDOW_S))
    return found


def clear_lock_out(settings: Settings, *, name: str = "", source: str = "") -> int:
    """Forget the failed sign-ins of a name and/or a source address; return how many."""
    if not name and not source:
        raise InputError("Say which name or source address to clear.")
    where, params = [], []
    if name:
        where.append("name = ?")
        params.append(name)
    if source:
        where.append("source = ?")
        params.append(source)
    with connect(settings) as conn:
        cur = conn.execute("DELETE FROM sign_in_attempts WHERE " + " AND ".join(where), params)
    log.info("lock-out cleared: name=%r source=%r (%d failures)", name, source, cur.rowcount)
    return cur.rowcount


_DUMMY: list[str] = []


def _dummy_verify(password: str) -> None:
    """Spend as long as a real check does, so timing does not reveal that a name is unknown."""
    if not _DUMMY:
        _DUMMY.append(_ph().hash(secrets.token_urlsafe(16)))
    try:
        _ph().verify(_DUMMY[0], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        pass


def change_password(settings: Settings, name: str, current: str, new: str, *,
                    source: str = "local") -> User:
    """Replace a password after checking the current one; every session of the user ends."""
    user = authenticate(settings, name, current, source=source)
    check_password(new, name)
    if new == current:
        raise InputError("The new password must differ from the current one.")
    return _set_password(settings, user, new)


def reset_password(settings: Settings, name: str, new: str) -> User:
    """An administrator sets a new password (no current password needed)."""
    return _set_password(settings, find_user(settings, name), check_password(new, name))


def _set_password(settings: Settings, user: User, new: str) -> User:
    with connect(settings) as conn:
        conn.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, "
                     "epoch = epoch + 1 WHERE id = ?", (_ph().hash(new), _now(), user.id))
        conn.execute("DELETE FROM sign_in_attempts WHERE name = ?", (user.name,))
        conn.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
    log.info("password of %s changed", user.name)
    return find_user(settings, user.name)


# --- API tokens -------------------------------------------------------------------------------

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token(row: sqlite3.Row) -> ApiToken:
    return ApiToken(id=row["id"], name=row["name"], role=row["role"],
                    created_at=row["created_at"], created_by=row["created_by"],
                    revoked_at=row["revoked_at"])


def issue_token(settings: Settings, name: str, role: str, *, by: str) -> tuple[ApiToken, str]:
    """A new bearer token for an API client; the secret is returned once and never stored."""
    name, role = check_name(name), check_role(role, TOKEN_ROLES)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with connect(settings) as conn:
        taken = conn.execute("SELECT revoked_at FROM api_tokens WHERE name = ?", (name,)).fetchone()
        if taken is not None and taken["revoked_at"] is None:
            raise InputError(f"A live token called {name!r} already exists: revoke it first.")
        if taken is not None:
            conn.execute("DELETE FROM api_tokens WHERE name = ? AND revoked_at IS NOT NULL",
                         (name,))
        conn.execute("INSERT INTO api_tokens (name, role, token_hash, created_at, created_by) "
                     "VALUES (?, ?, ?, ?, ?)", (name, role, _token_hash(secret), _now(), by))
        row = conn.execute("SELECT * FROM api_tokens WHERE name = ?", (name,)).fetchone()
    log.info("API token %s issued with role %s by %s", name, role, by)
    return _token(row), secret


def revoke_token(settings: Settings, name: str) -> ApiToken:
    with connect(settings) as conn:
        cur = conn.execute("UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND "
                           "revoked_at IS NULL", (_now(), name))
        if cur.rowcount == 0:
            raise NotFound(f"There is no live API token called {name!r}.")
        row = conn.execute("SELECT * FROM api_tokens WHERE name = ?", (name,)).fetchone()
    log.info("API token %s revoked", name)
    return _token(row)


def list_tokens(settings: Settings) -> list[ApiToken]:
    with connect(settings, write=False) as conn:
        return [_token(r) for r in conn.execute("SELECT * FROM api_tokens ORDER BY name")]


def token_client(settings: Settings, secret: str) -> ApiToken | None:
    """The live token this bearer secret belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    with connect(settings, write=False) as conn:
        row = conn.execute("SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                           (_token_hash(secret),)).fetchone()
    return _token(row) if row else None
