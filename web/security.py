"""Who may use each route (deny by default), who is asking, CSRF, and the security headers.

Every view declares its roles with `@requires(...)` (or `@public` for the sign-in page). The
guard in `install` refuses any endpoint that declares nothing, so a route added without a
declaration is closed, not open.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from graphsvc import audit, sessions, tokens, users
from graphsvc.model import ROLES
from graphsvc.settings import tile_origin
from graphsvc.timing import part
from web.context import get_settings

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = frozenset({"*public*"})
SIGNED_IN = frozenset(ROLES)
# Hard limit on a session however active it is.
SESSION_MAX_S = sessions.MAX_AGE_S
_SEEN_RESOLUTION_S = 15

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")

csrf = CSRFProtect()


@dataclass(frozen=True)
class Identity:
    """Who is asking: a person signed in with a session, or an API client with a token."""

    name: str
    role: str
    via: str  # "session" or "token"
    user_id: int | None = None


def requires(*roles: str, tokens: bool = False) -> Callable[[F], F]:
    """Let only these roles use the view; `tokens=True` also accepts API bearer tokens."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"requires() needs roles from {ROLES}, got {roles!r}")

    def declare(view: F) -> F:
        view.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        view.accepts_tokens = tokens  # type: ignore[attr-defined]
        return view

    return declare


def signed_in(view: F) -> F:
    """Any signed-in person, whatever the role (sign-out, password change, home)."""
    return requires(*ROLES)(view)


def public(view: F) -> F:
    """Open to visitors who have not signed in (only the sign-in page)."""
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    view.accepts_tokens = False  # type: ignore[attr-defined]
    return view


def allowed_roles(app: Flask, endpoint: str) -> frozenset[str] | None:
    """The roles an endpoint declares; None when it declares nothing (and is refused)."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def may_use(endpoint: str) -> bool:
    """Whether the current identity may use an endpoint (for building menus and links)."""
    identity = g.get("identity")
    if endpoint not in current_app.view_functions or identity is None:
        return False
    roles = allowed_roles(current_app, endpoint)
    return roles is not None and bool(roles) and (roles is PUBLIC or identity.role in roles)


def current_identity() -> Identity:
    identity = g.get("identity")
    if identity is None:  # the guard never lets a declared view run without one
        abort(401)
    return identity


def is_api_request() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def api_error(status: int, message: str, **extra: Any):
    response = jsonify({"error": message, "status": status, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="graphsvc"'
    return response


def record(kind: str, action: str, *, asked: dict, shown: list[str],
           justification: str = "") -> int:
    """Write an audit entry for the current identity (see graphsvc.audit.record)."""
    identity = current_identity()
    with part("audit"):
        return audit.record(get_settings(), user=identity.name, role=identity.role, kind=kind,
                            action=action, asked=asked, shown=shown,
                            justification=justification)


def source_address() -> str:
    """The address a request comes from (the proxy's, unless the app is told to trust it)."""
    return request.remote_addr or "unknown"


def start_session(user: users.User) -> None:
    """A fresh session (a new id, kept on the server) for a user who has just proved who
    they are; any session this browser had before ends."""
    end_session()
    now = int(time.time())
    sid = sessions.start_session(get_settings(), user, source=source_address())
    session.update(sid=sid, t0=now, seen=now)


def end_session() -> None:
    """End this browser's session on the server, so a copy of its cookie is worthless."""
    sid = session.get("sid")
    if isinstance(sid, str):
        sessions.end_session(get_settings(), sid)
    session.clear()


def _session_identity() -> Identity | None:
    sid = session.get("sid")
    if not isinstance(sid, str):
        return None  # signed out (the session may still hold a CSRF token for the sign-in form)
    now = int(time.time())
    settings = get_settings()
    idle = settings.session_idle_minutes * 60
    if now - int(session.get("seen", 0)) > idle or now - int(session.get("t0", 0)) > SESSION_MAX_S:
        end_session()
        flash("Your session ended because it was idle too long. Please sign in again.", "info")
        return None
    found = sessions.find_session(settings, sid, idle_s=idle)
    if found is None:
        session.clear()
        return None
    user = found.user
    g.bookmarks = found.bookmarks  # the user's last graph write: get_store waits for it
    if now - int(session.get("seen", 0)) >= _SEEN_RESOLUTION_S:
        session["seen"] = now
    return Identity(name=user.name, role=user.role, via="session", user_id=user.id)


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


# Longest value accepted for each form or query parameter, in characters (docs/web.md, "Input
# limits"); any other parameter takes DEFAULT_PARAM_LENGTH. A longer one is refused (400)
# before the view runs, naming the parameter, rather than cut short in silence.
PARAM_LENGTHS = {
    "justification": 500, "reason": 2000, "action": 2000, "attendees": 2000, "next": 2000,
    "password": 1024, "current": 1024, "new": 1024, "again": 1024, "name": 64, "source": 64,
    "q": 200, "find": 200, "record": 200, "user": 200, "csrf_token": 200,
    "recipient": 200,
    # the link chart's state as it is exported: expansions and the records shown (JSON)
    "chart_state": 100_000,
}
# fields named by a prefix: a referral's editable sections (section_concern, section_history…)
PARAM_PREFIX_LENGTHS = {"section_": 20_000}
DEFAULT_PARAM_LENGTH = 100


def param_limit(name: str) -> int:
    """The longest value the field `name` may carry."""
    if name in PARAM_LENGTHS:
        return PARAM_LENGTHS[name]
    for prefix, limit in PARAM_PREFIX_LENGTHS.items():
        if name.startswith(prefix):
            return limit
    return DEFAULT_PARAM_LENGTH


# Control characters no one types into a form (tab, line feed and carriage return are kept):
# a NUL is refused by the graph engine itself, the rest are never meant.
_UNTYPABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_params():
    """Refuse a parameter that is too long or carries a control character, naming it."""
    for name, value in request.values.items(multi=True):
        limit = param_limit(name)
        if len(name) > DEFAULT_PARAM_LENGTH or len(value) > limit:
            return _refuse(400, f"The field {name[:40]!r} is {len(value)} characters long; at "
                                f"most {limit} are accepted.")
        if _UNTYPABLE.search(name) or _UNTYPABLE.search(value):
            return _refuse(400, f"The field {name[:40]!r} holds a control character (such as "
                                f"a NUL), which no form value may carry.")
    return None


def _guard():
    """Before every request: find who is asking, refuse what their role may not use."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no such route: routing answers 404 or 405
    refused = _check_params()
    if refused is not None:
        return refused
    roles = allowed_roles(current_app, endpoint)
    if roles is None:
        log.error("endpoint %s declares no roles: refused (deny by default)", endpoint)
        return _refuse(403, "This page is not open to anyone.")
    if roles is PUBLIC:
        g.identity = _session_identity() if endpoint != "static" else None
        _check_csrf()
        return None
    view = current_app.view_functions[endpoint]
    secret = _bearer()
    if secret is not None and getattr(view, "accepts_tokens", False):
        client = tokens.live_token(get_settings(), secret)
        if client is None:
            return api_error(401, "The bearer token is not valid or has been revoked.")
        g.identity = Identity(name=f"token:{client.name}", role=client.role, via="token")
    elif is_api_request():
        # The API takes bearer tokens only: a browser sends its session cookie with any
        # cross-site GET, which would record a consultation the user never meant to make.
        g.identity = None
    else:
        g.identity = _session_identity()
    if g.identity is None:
        if is_api_request():
            return api_error(401, "The API needs an API token (Authorization: Bearer ...); "
                                  "a signed-in browser session is not accepted.")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.sign_in", next=target.rstrip("?") if target else None))
    if g.identity.role not in roles:
        log.info("%s (%s) refused %s", g.identity.name, g.identity.role, endpoint)
        return _refuse(403, "Your role does not give access to this page.")
    if g.identity.via != "token":
        _check_csrf()
    return None


def _refuse(status: int, message: str):
    if is_api_request():
        return api_error(status, message)
    abort(status, description=message)


def _check_csrf() -> None:
    """Forms must carry the session's CSRF token and must not come from another site."""
    if request.method not in current_app.config["WTF_CSRF_METHODS"]:
        return
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(400, description="The form was sent from another site and has been refused.")
    csrf.protect()


def _headers(response):
    """Security headers on every response; no caching of anything but static files."""
    h = response.headers
    tiles = tile_origin(get_settings().tile_url)
    h.setdefault("Content-Security-Policy",
                 CSP.replace("img-src 'self' data:", f"img-src 'self' data: {tiles}") if tiles
                 else CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "no-referrer")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.is_secure:
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint and (request.endpoint == "static" or request.endpoint.endswith(".static")):
        h["Cache-Control"] = "private, max-age=3600"
    else:
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
    return response


def install(app: Flask) -> None:
    """Wire the guard, CSRF and headers into an app (the guard runs before anything else)."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # the guard calls it, after auth
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)  # no Referer is sent (no-referrer)
    app.before_request_funcs.setdefault(None, []).insert(0, _guard)
    csrf.init_app(app)
    app.after_request(_headers)
    app.after_request(_keep_bookmarks)


def _keep_bookmarks(response: Any) -> Any:
    """After a signed-in user's request that may have written to the graph (not GET), keep the
    graph's bookmarks in their sessions: their next read, on any web process, sees the write."""
    identity = g.get("identity")
    store = current_app.extensions["graphsvc.store"].get("store")
    if (request.method in ("GET", "HEAD", "OPTIONS") or store is None or identity is None
            or identity.via != "session" or identity.user_id is None):
        return response
    now = store.bookmarks()
    if now and set(now) != set(g.get("bookmarks", ())):
        sessions.remember_bookmarks(get_settings(), identity.user_id, now)
    return response
