"""Administration: users, API tokens and the audit log (role `admin` only)."""

from __future__ import annotations

import io
import logging
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from graphsvc import audit, dates, model, sessions, tokens, users
from graphsvc.dates import parse_date
from graphsvc.errors import InputError
from graphsvc.validate import check_justification
from web.context import get_settings
from web.security import current_identity, record, requires

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")
NAV = [("admin.users_page", "Administration")]
AUDIT_PAGE_SIZE = 200


@bp.route("/users", methods=["GET", "POST"])
@requires("admin")
def users_page():
    settings = get_settings()
    error = None
    if request.method == "POST":
        name, role = request.form.get("name", ""), request.form.get("role", "")
        password, again = request.form.get("password", ""), request.form.get("again", "")
        try:
            if password != again:
                raise InputError("The two passwords are not the same.")
            user = users.add_user(settings, name, role, password)
        except InputError as exc:
            error = str(exc)
        else:
            record("administration", "user added", asked={"name": user.name, "role": user.role},
                   shown=[f"user={user.name}"])
            flash(f"User {user.name} added with role {user.role}.", "success")
            return redirect(url_for("admin.users_page"))
    return render_template("admin/users.html", users=users.list_users(settings),
                           roles=model.ROLES, error=error, lock_outs=users.lock_outs(settings),
                           min_length=users.MIN_PASSWORD_LENGTH), 400 if error else 200


@bp.route("/users/<name>/status", methods=["POST"])
@requires("admin")
def user_status(name: str):
    disable = request.form.get("disabled") == "1"
    if disable and name.lower() == current_identity().name.lower():
        raise InputError("You cannot disable your own account.")
    user = users.set_disabled(get_settings(), name, disable)
    record("administration", "user disabled" if disable else "user enabled",
           asked={"name": user.name}, shown=[f"user={user.name}"])
    flash(f"User {user.name} {'disabled' if disable else 'enabled'}.", "success")
    return redirect(url_for("admin.users_page"))


@bp.route("/users/<name>/sign-out", methods=["POST"])
@requires("admin")
def user_sign_out(name: str):
    """Sign a user out everywhere (a lost laptop, a shared password): every session ends."""
    ended = sessions.end_sessions_of(get_settings(), name)
    record("administration", "user signed out everywhere", asked={"name": name},
           shown=[f"user={name}"])
    flash(f"{name} has been signed out everywhere ({ended} session"
          f"{'' if ended == 1 else 's'} ended).", "success")
    return redirect(url_for("admin.users_page"))


@bp.route("/lock-outs/clear", methods=["POST"])
@requires("admin")
def lock_out_clear():
    """Let a locked name (or computer) sign in again before its lock-out runs out."""
    name = (request.form.get("name") or "").strip()[:64]
    source = (request.form.get("source") or "").strip()[:64]
    cleared = users.clear_lock_out(get_settings(), name=name, source=source)
    record("administration", "lock-out cleared", asked={"name": name, "source": source},
           shown=[f"user={name}"] if name else [])
    flash(f"Lock-out cleared ({cleared} failed sign-in{'' if cleared == 1 else 's'} "
          "forgotten).", "success")
    return redirect(url_for("admin.users_page"))


@bp.route("/tokens", methods=["GET", "POST"])
@requires("admin")
def tokens_page():
    settings = get_settings()
    error, secret, issued = None, None, None
    if request.method == "POST":
        try:
            issued, secret = tokens.issue_token(settings, request.form.get("name", ""),
                                               request.form.get("role", ""),
                                               by=current_identity().name)
        except InputError as exc:
            error = str(exc)
        else:
            record("administration", "API token issued",
                   asked={"name": issued.name, "role": issued.role},
                   shown=[f"token={issued.name}"])
    return render_template("admin/tokens.html", tokens=tokens.list_tokens(settings),
                           roles=model.TOKEN_ROLES, error=error, secret=secret,
                           issued=issued), 400 if error else 200


@bp.route("/tokens/<name>/revoke", methods=["POST"])
@requires("admin")
def token_revoke(name: str):
    token = tokens.revoke_token(get_settings(), name)
    record("administration", "API token revoked", asked={"name": token.name},
           shown=[f"token={token.name}"])
    flash(f"Token {token.name} revoked: it no longer works.", "success")
    return redirect(url_for("admin.tokens_page"))


def _audit_filters() -> dict:
    args = request.values

    def day(name: str) -> date | None:
        return parse_date(args.get(name), f"{name!r} date")

    return {"user": (args.get("user") or "").strip(), "kind": (args.get("kind") or "").strip(),
            "since": day("since"), "until": day("until"),
            "record_key": (args.get("record") or "").strip()}


@bp.route("/audit", methods=["GET", "POST"])
@requires("admin")
def audit_page():
    """GET shows the search form; POST, with a reason, shows entries. Every look at the log
    is itself recorded with its reason, filtered or not (the log names who looked at whom)."""
    settings = get_settings()
    error, entries, searched = None, [], False
    if request.method == "POST":
        try:
            filters = _audit_filters()
            reason = _reason("Give the reason for looking at the audit log")
            entries = audit.search(settings, **filters, limit=AUDIT_PAGE_SIZE)
        except InputError as exc:
            error = str(exc)
        else:
            searched = True
            record("consultation", "audit log searched", asked=_asked(filters),
                   shown=[f"audit={e.seq}" for e in entries], justification=reason)
    return render_template("admin/audit.html", entries=entries, kinds=audit.KINDS,
                           args=request.values, error=error, page_size=AUDIT_PAGE_SIZE,
                           searched=searched,
                           total=audit.count(settings)), 400 if error else 200


def _reason(ask: str) -> str:
    return check_justification(request.form.get("justification"), ask)


def _asked(filters: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items() if v}


@bp.route("/audit/export", methods=["POST"])
@requires("admin")
def audit_export():
    """The matching entries as CSV; the export is itself a disclosure in the log."""
    settings = get_settings()
    filters = _audit_filters()
    reason = _reason("Give the reason for exporting the audit log")
    entries = audit.search(settings, **filters, limit=None)
    record("disclosure", "audit log exported (CSV)", asked=_asked(filters),
           shown=[f"audit={e.seq}" for e in entries], justification=reason)
    out = io.StringIO()
    audit.write_csv(entries, out)
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=audit-{dates.today().isoformat()}.csv"})

