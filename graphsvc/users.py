"""People who may sign in, their roles, and lock-out after failed sign-ins (API client tokens
are in `graphsvc.tokens`).

Kept in the application database (`graphsvc.appdata`: SQLite or PostgreSQL), apart from the
graph. Passwords are argon2 hashes.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, RowMapping
from sqlalchemy.exc import IntegrityError
from zxcvbn import zxcvbn

from graphsvc import appdata
from graphsvc.dates import stamp
from graphsvc.errors import GraphsvcError, InputError, NotFound
from graphsvc.model import ROLES
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MIN_PASSWORD_SCORE = 3  # of zxcvbn's 0 to 4
# Failed sign-ins are counted per name from one source address, per source address, and per
# name from all addresses; each count has its own limit. The last one does not apply at an
# address where the user has signed in before, so no stranger can keep a real user locked out
# at their usual workstation (docs/roles.md, "Sign-in").
LOCKOUT_FAILURES = 5  # one name from one address
LOCKOUT_SOURCE_FAILURES = 20  # one address, whatever the names
LOCKOUT_NAME_FAILURES = 20  # one name, from addresses it has never signed in from
# Reaching a limit locks for LOCKOUT_WINDOW_S after the last failure; each failure after the
# lock ends doubles the wait (back-off), up to LOCKOUT_MAX_S. Failures older than
# LOCKOUT_MEMORY_S are forgotten, and a right password forgets those of its name and address.
LOCKOUT_WINDOW_S = 15 * 60
LOCKOUT_MAX_S = 24 * 3600
LOCKOUT_MEMORY_S = 24 * 3600

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")



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


# PostgreSQL advisory lock key held while sign-in attempts are counted and one is added.
_ATTEMPTS_LOCK = appdata.Lock.SIGN_IN_ATTEMPTS
_hasher_lock = threading.Lock()
_hasher: PasswordHasher | None = None


def _ph() -> PasswordHasher:
    global _hasher
    with _hasher_lock:
        if _hasher is None:
            _hasher = PasswordHasher()
        return _hasher


@contextmanager
def connect(settings: Settings, *, write: bool = True) -> Iterator[Connection]:
    """The application database with the users, session and token tables, in one transaction."""
    with appdata.transaction(settings, "app", write=write) as conn:
        yield conn


def one_row(conn: Connection, query: str, /, **params: object) -> RowMapping | None:
    """The first row of a statement from the SQL files, or None."""
    return appdata.run(conn, query, **params).mappings().first()


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


def _user(row: RowMapping | None) -> User | None:
    return None if row is None else _user_of(row)


def _user_of(row: RowMapping) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], disabled=bool(row["disabled"]),
                epoch=row["epoch"], created_at=row["created_at"],
                password_changed_at=row["password_changed_at"])


def add_user(settings: Settings, name: str, role: str, password: str) -> User:
    """Create a user who can sign in with this password; a taken name is an error."""
    name, role = check_name(name), check_role(role)
    password = check_password(password, name)
    digest = _ph().hash(password)
    try:
        with connect(settings) as conn:
            if one_row(conn, "users/user_by_name", name=name) is not None:
                raise InputError(f"A user called {name!r} already exists.")
            user_id = appdata.run(conn, "users/insert_user", name=name, role=role,
                                  password_hash=digest, now=stamp()).scalar_one()
            user = _user(one_row(conn, "users/user_by_id", id=user_id))
    except IntegrityError:  # added by another process a moment ago
        raise InputError(f"A user called {name!r} already exists.") from None
    if user is None:  # written in this transaction: cannot happen
        raise RuntimeError(f"user {name!r} was added but cannot be read back")
    log.info("user %s added with role %s", name, role)
    return user


def get_user(settings: Settings, user_id: int) -> User | None:
    with connect(settings, write=False) as conn:
        return _user(one_row(conn, "users/user_by_id", id=user_id))


def find_user(settings: Settings, name: str) -> User:
    with connect(settings, write=False) as conn:
        user = _user(one_row(conn, "users/user_by_name", name=name))
    if user is None:
        raise NotFound(f"There is no user called {name!r}.")
    return user


def list_users(settings: Settings) -> list[User]:
    with connect(settings, write=False) as conn:
        return [_user_of(r) for r in appdata.run(conn, "users/list_users").mappings()]


def set_disabled(settings: Settings, name: str, disabled: bool = True) -> User:
    """Disable (or re-enable) a user; a disabled user's open sessions end at their next click."""
    user = find_user(settings, name)
    with connect(settings) as conn:
        appdata.run(conn, "users/set_disabled", disabled=int(disabled), id=user.id)
        appdata.run(conn, "sessions/end_sessions_of", user_id=user.id)
        if not disabled:
            appdata.run(conn, "users/clear_attempts", name=user.name, source="")
    log.info("user %s %s", user.name, "disabled" if disabled else "enabled")
    return find_user(settings, name)


def recent_failures(settings: Settings, name: str, *, source: str = "",
                    now: float | None = None) -> int:
    """Failed sign-ins for this name (from this source address, when given) still counted."""
    now = time.time() if now is None else now
    with connect(settings, write=False) as conn:
        return _failures(conn, now, name=name.strip(), source=source)[0]


@dataclass(frozen=True)
class LockOut:
    """A name, or a source address, that may not sign in until `until` (seconds since 1970)."""

    name: str
    source: str
    failures: int
    until: float


def lock_until(failures: int, limit: int, last: float) -> float:
    """When a lock-out after `failures` failures (the latest at `last`) ends: LOCKOUT_WINDOW_S
    at the limit, doubled by each failure past it, at most LOCKOUT_MAX_S."""
    if failures < limit:
        return 0.0
    wait = min(LOCKOUT_WINDOW_S * 2 ** min(failures - limit, 32), LOCKOUT_MAX_S)
    return float(last + wait)


def _failures(conn: Connection, now: float, *, name: str = "", source: str = ""
              ) -> tuple[int, float]:
    row = one_row(conn, "users/failures", since=now - LOCKOUT_MEMORY_S, name=name, source=source)
    return (int(row["n"]), float(row["last"] or 0.0)) if row else (0, 0.0)


def _locked(conn: Connection, name: str, source: str, now: float) -> str:
    """Why this name may not try from this address now, or ''."""
    n, last = _failures(conn, now, name=name, source=source)
    if now < lock_until(n, LOCKOUT_FAILURES, last):
        return "name"
    n, last = _failures(conn, now, source=source)
    if now < lock_until(n, LOCKOUT_SOURCE_FAILURES, last):
        return "source"
    if one_row(conn, "users/known_source", name=name, source=source) is None:
        n, last = _failures(conn, now, name=name)
        if now < lock_until(n, LOCKOUT_NAME_FAILURES, last):
            return "name"
    return ""


def authenticate(settings: Settings, name: str, password: str, *, source: str = "local",
                 now: float | None = None) -> User:
    """The user whose name and password these are, or SignInRefused.

    The attempt is counted before the password is checked, in the same write transaction as
    the check of the limits, so concurrent guesses cannot exceed them; a correct password
    removes it again. A locked name is locked whether or not it exists, so the answer reveals
    nothing about who has an account.
    """
    now = time.time() if now is None else now
    name = (name or "").strip()[:64]
    source = (source or "unknown")[:64]
    with connect(settings) as conn:
        appdata.lock_chain(conn, _ATTEMPTS_LOCK)  # PostgreSQL: count and insert as one
        why = _locked(conn, name, source, now)
        if not why:
            attempt = appdata.run(conn, "users/insert_attempt", name=name, source=source,
                                  at=now).scalar_one()
        row = one_row(conn, "users/user_by_name", name=name)
    if why == "source":
        raise SignInRefused("Too many failed sign-ins from this computer: it may not sign in "
                            "for a while (longer after each further failure). Ask an "
                            "administrator if you need to sign in sooner.")
    if why:
        raise SignInRefused("Too many failed sign-ins for this name: it is locked for a while "
                            "(longer after each further failure). Ask an administrator if you "
                            "need to sign in sooner.")
    ok = False
    if row is None:
        _dummy_verify(password)
    else:
        try:
            ok = _ph().verify(row["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
    if row is None or not ok or row["disabled"]:
        raise SignInRefused("The name or password is wrong, or the account is disabled.")
    with connect(settings) as conn:
        appdata.run(conn, "users/delete_attempt", id=attempt)
        appdata.run(conn, "users/clear_attempts", name=name, source=source)
        appdata.run(conn, "users/remember_source", name=row["name"], source=source, at=now)
        if _ph().check_needs_rehash(row["password_hash"]):
            appdata.run(conn, "users/rehash_password", password_hash=_ph().hash(password),
                        id=row["id"])
    return _user_of(row)


def lock_outs(settings: Settings, *, now: float | None = None) -> list[LockOut]:
    """Names and source addresses locked now, for the administrators' page."""
    now = time.time() if now is None else now
    since = now - LOCKOUT_MEMORY_S
    found: list[LockOut] = []
    with connect(settings, write=False) as conn:
        for query, limit in (("users/locked_name_sources", LOCKOUT_FAILURES),
                             ("users/locked_sources", LOCKOUT_SOURCE_FAILURES),
                             ("users/locked_names", LOCKOUT_NAME_FAILURES)):
            for r in appdata.run(conn, query, since=since, limit=limit).mappings():
                until = lock_until(r["n"], limit, r["last"])
                if until > now:
                    found.append(LockOut(r.get("name", ""), r.get("source", ""), r["n"], until))
    return found


def clear_lock_out(settings: Settings, *, name: str = "", source: str = "") -> int:
    """Forget the failed sign-ins of a name and/or a source address; return how many."""
    if not name and not source:
        raise InputError("Say which name or source address to clear.")
    with connect(settings) as conn:
        cleared = appdata.run(conn, "users/clear_attempts", name=name, source=source).rowcount
    log.info("lock-out cleared: name=%r source=%r (%d failures)", name, source, cleared)
    return cleared

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
        appdata.run(conn, "users/set_password", password_hash=_ph().hash(new), now=stamp(),
                    id=user.id)
        appdata.run(conn, "users/clear_attempts", name=user.name, source="")
        appdata.run(conn, "sessions/end_sessions_of", user_id=user.id)
    log.info("password of %s changed", user.name)
    return find_user(settings, user.name)
