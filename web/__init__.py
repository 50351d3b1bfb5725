"""The graphsvc web app: `create_app()` builds it; nothing happens at import time."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask

from graphsvc import appdata
from graphsvc.settings import Settings
from web import (
    address,
    admin,
    api,
    auth,
    errors,
    identities,
    jobs,
    search,
    security,
    tasking,
    timing,
)

log = logging.getLogger(__name__)

# Modules that each provide a blueprint `bp` (and optionally `NAV`: [(endpoint, label)] for the
# menu), in menu order.
BLUEPRINT_MODULES = (
    auth,  # sign-in, sign-out, password, home
    address,  # the address check page and printable briefing
    api,  # /api/v1: the address check for control-room systems
    search,  # intelligence search and entity pages
    identities,  # the review queue of record links
    tasking,  # the tasking board
    admin,  # users, API tokens, audit log
    jobs,  # admin: the rules' schedules, last runs and "Run now"
)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `test_config` may hold Flask settings and `GRAPHSVC_SETTINGS` (a Settings)."""
    app = Flask(__name__)
    config = dict(test_config or {})
    settings: Settings = config.pop("GRAPHSVC_SETTINGS", None) or Settings.from_env()
    app.config.update(
        SECRET_KEY=settings.secret_key or _local_secret(settings),
        SESSION_COOKIE_NAME="graphsvc_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.session_idle_minutes),
        MAX_CONTENT_LENGTH=1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    app.extensions["graphsvc.settings"] = settings
    app.extensions["graphsvc.store"] = {"store": None}

    security.install(app)
    errors.install(app)
    nav: list[tuple[str, str]] = []
    for module in BLUEPRINT_MODULES:
        app.register_blueprint(module.bp)
        nav.extend(getattr(module, "NAV", []))
    app.extensions["graphsvc.nav"] = nav
    _retry_lost_connections(app)
    timing.install(app, settings)  # last: it times every other hook

    @app.context_processor
    def _menu():
        return {"nav": [(e, label) for e, label in nav if security.may_use(e)],
                "may_use": security.may_use}

    return app


def _retry_lost_connections(app: Flask) -> None:
    """A request that lost its application-database connection before committing anything is
    run once more (the checks before the view, and the view, each on their own); a second loss
    becomes the plain 503 of web.errors."""
    preprocess, dispatch = app.preprocess_request, app.dispatch_request
    app.preprocess_request = lambda: appdata.retry_once_if_lost(preprocess)  # type: ignore
    app.dispatch_request = lambda: appdata.retry_once_if_lost(dispatch)  # type: ignore


def _local_secret(settings: Settings) -> str:
    """Without GRAPHSVC_SECRET_KEY, a random key kept in the data dir (readable by us only)."""
    path = settings.app_dir / "web-secret-key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key)
    log.warning("GRAPHSVC_SECRET_KEY is not set: using a random key kept in %s", path)
    return key
