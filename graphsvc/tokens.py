"""API client tokens: random 256-bit bearer secrets, stored only as their SHA-256 (a fast hash
suits a secret with that much entropy, and keeps each API call cheap), in the application
database beside the users (`graphsvc.users`).

Each API call asks `live_token`, which remembers a token it found live for LIVE_RECHECK_S
seconds (asking the database on every call was a twentieth of a check's CPU in the web
process). A token revoked through this process is refused from its next call; one revoked
elsewhere (the command line, another web process or host) within LIVE_RECHECK_S.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import RowMapping

from graphsvc import appdata
from graphsvc.dates import stamp
from graphsvc.errors import InputError, NotFound
from graphsvc.model import TOKEN_ROLES
from graphsvc.settings import Settings
from graphsvc.users import check_name, check_role, connect, one_row

log = logging.getLogger(__name__)

TOKEN_PREFIX = "gsv_"
# How long an API call may rely on a token found live by an earlier call, in seconds.
LIVE_RECHECK_S = 1.0
# Tokens found live: (where the app data is, SHA-256 of the secret) -> (token, when found).
_live: dict[tuple[str, str, str, str], tuple[ApiToken, float]] = {}
_live_lock = threading.Lock()
_revoked = [0]  # revocations made through this process: a token read live before one is
# not remembered after it
_MAX_REMEMBERED = 1000


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token(row: RowMapping | None) -> ApiToken:
    assert row is not None, "the token row was written or checked in this transaction"
    return ApiToken(id=row["id"], name=row["name"], role=row["role"],
                    created_at=row["created_at"], created_by=row["created_by"],
                    revoked_at=row["revoked_at"])


def issue_token(settings: Settings, name: str, role: str, *, by: str) -> tuple[ApiToken, str]:
    """A new bearer token for an API client; the secret is returned once and never stored."""
    name, role = check_name(name), check_role(role, TOKEN_ROLES)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with connect(settings) as conn:
        taken = one_row(conn, "users/token_by_name", name=name)
        if taken is not None and taken["revoked_at"] is None:
            raise InputError(f"A live token called {name!r} already exists: revoke it first.")
        if taken is not None:
            appdata.run(conn, "users/delete_revoked_token", name=name)
        appdata.run(conn, "users/insert_token", name=name, role=role,
                    token_hash=_token_hash(secret), now=stamp(), by=by)
        row = one_row(conn, "users/token_by_name", name=name)
    log.info("API token %s issued with role %s by %s", name, role, by)
    return _token(row), secret


def revoke_token(settings: Settings, name: str) -> ApiToken:
    with connect(settings) as conn:
        if appdata.run(conn, "users/revoke_token", now=stamp(), name=name).rowcount == 0:
            raise NotFound(f"There is no live API token called {name!r}.")
        row = one_row(conn, "users/token_by_name", name=name)
    with _live_lock:  # refused from the next call made through this process
        _revoked[0] += 1
        _live.clear()
    log.info("API token %s revoked", name)
    return _token(row)


def list_tokens(settings: Settings) -> list[ApiToken]:
    with connect(settings, write=False) as conn:
        return [_token(r) for r in appdata.run(conn, "users/list_tokens").mappings()]


def token_client(settings: Settings, secret: str) -> ApiToken | None:
    """The live token this bearer secret belongs to, or None (asked of the database)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return _live_by_hash(settings, _token_hash(secret))


def _live_by_hash(settings: Settings, token_hash: str) -> ApiToken | None:
    with connect(settings, write=False) as conn:
        row = one_row(conn, "users/live_token", token_hash=token_hash)
    return _token(row) if row else None


def live_token(settings: Settings, secret: str) -> ApiToken | None:
    """As `token_client`, for an API call: a token found live within the last LIVE_RECHECK_S
    seconds is taken as still live without asking the database (the module's docstring)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    key = (settings.app_db, str(settings.data_dir), str(settings.app_data_dir or ""),
           _token_hash(secret))
    now = time.monotonic()
    held = _live.get(key)
    if held is not None and now - held[1] < LIVE_RECHECK_S:
        return held[0]
    revoked = _revoked[0]
    token = _live_by_hash(settings, key[-1])
    with _live_lock:
        if token is None or revoked != _revoked[0]:
            _live.pop(key, None)
            return token
        if len(_live) >= _MAX_REMEMBERED:  # tokens are few: forget the stale ones
            for old in [k for k, (_t, at) in _live.items() if now - at >= LIVE_RECHECK_S]:
                del _live[old]
        if len(_live) < _MAX_REMEMBERED:
            _live[key] = (token, now)
    return token
