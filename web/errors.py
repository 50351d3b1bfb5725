"""One place that turns every failure into a plain page (or JSON for the API), never a trace."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from graphsvc.errors import AppDbError, EngineError, GraphsvcError
from web.security import api_error, is_api_request

log = logging.getLogger(__name__)

_TITLES = {400: "The request could not be used", 401: "Please sign in", 403: "Not allowed",
           404: "Not found", 405: "Not allowed this way", 413: "Too large",
           500: "Something went wrong", 503: "The graph is not available"}


def error_page(status: int, message: str):
    if is_api_request():
        return api_error(status, message)
    title = _TITLES.get(status, "Something went wrong")
    return render_template("error.html", status=status, title=title, message=message), status


def install(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return error_page(400, "The form had expired or did not come from this site. "
                               "Go back, reload the page and try again.")

    @app.errorhandler(GraphsvcError)
    def _domain(exc: GraphsvcError):
        if exc.http_status < 500:
            return error_page(exc.http_status, str(exc))
        # The engine's own words, Cypher and paths are for the log, never for the user.
        ref = secrets.token_hex(4)
        log.error("request failed (reference %s): %s", ref, exc)
        if isinstance(exc, EngineError):
            return error_page(503, "The graph is not available just now. Try again in a "
                                   "minute; if it goes on, tell an administrator (reference "
                                   f"{ref}).")
        if isinstance(exc, AppDbError):
            return error_page(503, "The service's database is not available just now. Try "
                                   "again in a minute; if it goes on, tell an administrator "
                                   f"(reference {ref}).")
        return error_page(exc.http_status, "Something went wrong on the server. The details "
                                           f"are in the server's log under reference {ref}.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error_page(exc.code or 500, exc.description or "")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        ref = secrets.token_hex(4)
        log.exception("unexpected error (reference %s)", ref)
        return error_page(500, f"Something unexpected went wrong. The details are in the "
                               f"server's log under reference {ref}.")
