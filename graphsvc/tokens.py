"""API client tokens: random 256-bit bearer secrets, stored only as their SHA-256 (a fast hash
suits a secret with that much entropy, and keeps each API call cheap), in the application
database beside the users (`graphsvc.users`)."""

from __future__ import annotations

import hashlib
import logging
import secrets
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
    log.info("API token %s revoked", name)
    return _token(row)


def list_tokens(settings: Settings) -> list[ApiToken]:
    with connect(settings, write=False) as conn:
        return [_token(r) for r in appdata.run(conn, "users/list_tokens").mappings()]


def token_client(settings: Settings, secret: str) -> ApiToken | None:
    """The live token this bearer secret belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    with connect(settings, write=False) as conn:
        row = one_row(conn, "users/live_token", token_hash=_token_hash(secret))
    return _token(row) if row else None
