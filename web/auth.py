"""Sign-in, sign-out and password change; the home page sends each role to its front door."""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from graphsvc import audit, users
from graphsvc.errors import InputError
from graphsvc.model import ROLE_HOME
from web.context import get_settings
from web.security import (
    current_identity,
    end_session,
    may_use,
    public,
    signed_in,
    source_address,
    start_session,
)

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)



_MAX_NEXT = 2000


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site may be a redirect target: never `//host`, a full URL, a
    backslash, or any control character or space (browsers drop a tab or newline from a URL,
    so `/\t/evil.example` would become `//evil.example`)."""
    if not target or len(target) > _MAX_NEXT:
        return None
    for form in (target, unquote(target)):  # percent-decoded too, to be safe in any browser
        if not form.startswith("/") or form.startswith("//"):
            return None
        if any(ch <= " " or ch == "\x7f" or ch == "\\" for ch in form):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    settings = get_settings()
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/sign_in.html", next=next_url, name="")
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")
    try:
        user = users.authenticate(settings, name, password, source=source_address())
    except users.SignInRefused as exc:
        audit.record(settings, user=name or "(blank)", role="", kind="sign_in_failed",
                     action="sign-in refused", asked={"name": name}, shown=[],
                     justification=str(exc))
        return render_template("auth/sign_in.html", next=next_url, name=name,
                               error=str(exc)), 401
    start_session(user)
    audit.record(settings, user=user.name, role=user.role, kind="sign_in", action="signed in",
                 asked={"name": user.name}, shown=[])
    log.info("%s signed in", user.name)
    return redirect(next_url or url_for("auth.home"))


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    identity = current_identity()
    audit.record(get_settings(), user=identity.name, role=identity.role, kind="sign_out",
                 action="signed out", asked={}, shown=[])
    end_session()
    g.identity = None
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password():
    identity = current_identity()
    if request.method == "GET":
        return render_template("auth/password.html", min_length=users.MIN_PASSWORD_LENGTH)
    current = request.form.get("current", "")
    new, again = request.form.get("new", ""), request.form.get("again", "")
    try:
        if new != again:
            raise InputError("The two new passwords are not the same.")
        user = users.change_password(get_settings(), identity.name, current, new,
                                     source=source_address())
    except (InputError, users.SignInRefused) as exc:
        message = ("The current password is wrong." if isinstance(exc, users.SignInRefused)
                   and "locked" not in str(exc) else str(exc))
        return render_template("auth/password.html", min_length=users.MIN_PASSWORD_LENGTH,
                               error=message), 400
    audit.record(get_settings(), user=user.name, role=user.role, kind="administration",
                 action="changed own password", asked={"name": user.name}, shown=[])
    start_session(user)
    flash("Your password has been changed. Other sessions of yours have been signed out.",
          "success")
    return redirect(url_for("auth.home"))


@bp.route("/")
@signed_in
def home():
    """Each role's front door: its own page, else the first menu entry it may use."""
    preferred = ROLE_HOME.get(current_identity().role)
    if preferred and may_use(preferred):
        return redirect(url_for(preferred))
    for endpoint, _label in current_app.extensions["graphsvc.nav"]:
        if may_use(endpoint):
            return redirect(url_for(endpoint))
    return render_template("auth/home.html")
