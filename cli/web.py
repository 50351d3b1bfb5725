"""Commands for the web app: `serve`, `users` and API `tokens`."""

from __future__ import annotations

import getpass
import logging
import socket
import sys
import time
from typing import Any

import click

from cli.prefork import Shares, prefork
from graphsvc import appdata, audit, model, tokens, users
from graphsvc.collector import settle
from graphsvc.errors import ConfigError, InputError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)


def register(main: click.Group) -> None:
    main.add_command(serve)
    main.add_command(users_group)
    main.add_command(tokens_group)


def cli_user() -> str:
    """Who ran the command, as the audit log names them."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _record(settings: Settings, action: str, asked: dict, shown: list[str]) -> None:
    audit.record(settings, user=cli_user(), role="admin", kind="administration", action=action,
                 asked=asked, shown=shown)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default GRAPHSVC_WEB_HOST).")
@click.option("--port", type=int, default=None, help="Port (default GRAPHSVC_WEB_PORT).")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Worker threads per process.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Web processes sharing the port (they share sessions, lock-outs and the "
                   "audit log through the application database).")
def serve(host: str | None, port: int | None, threads: int, workers: int) -> None:
    """Serve the web app and API with waitress (a production WSGI server)."""
    settings = Settings.from_env()
    host, port = host or settings.web_host, port or settings.web_port
    if workers > 1 and not settings.secret_key:
        raise ConfigError("Several web processes must sign sessions with one key: set "
                          "GRAPHSVC_SECRET_KEY.")
    appdata.keep_connections(threads + 2)  # each thread, the audit writer, one spare
    check_app_db(settings)  # a database that cannot be used stops here, in one sentence
    click.echo(f"Serving graphsvc on http://{host}:{port}/ with {workers} process"
               f"{'es' if workers > 1 else ''} (Ctrl+C stops it).", err=True)
    if workers == 1:
        _serve_one(settings, threads, host=host, port=port)
        return
    appdata.dispose_all()  # no pooled connection may be shared with the children
    sock = socket.create_server((host, port), backlog=1024)
    prefork(workers, lambda shares, slot: _serve_one(settings, threads, sockets=[sock],
                                                     shares=(shares, slot)))


def check_app_db(settings: Settings) -> None:
    """Open the application database once (and bring its schema up to date)."""
    users.list_users(settings)
    audit.count(settings)


class _OncePerMinute(logging.Filter):
    """Lets one record through a minute. waitress warns of its task queue's depth on every
    request that waits for a thread: with more clients than threads that is every request, a
    flood of the server's log and CPU taken from the requests themselves."""

    def __init__(self) -> None:
        super().__init__()
        self._next = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now < self._next:
            return False
        self._next = now + 60.0
        return True


def _serve_one(settings: Settings, threads: int, *, shares: tuple[Shares, int] | None = None,
               **listen: object) -> None:
    import waitress

    from graphsvc.search.warmup import start_warm_up
    from web import create_app  # the CLI starts the web app; the domain never imports web/
    from web.context import get_store

    app = create_app({"GRAPHSVC_SETTINGS": settings})
    settle()  # the app and its modules stay: the collector leaves them alone

    def app_store():
        with app.app_context():  # the app's own store: one per process, shared with requests
            return get_store()

    start_warm_up(app_store, announce=lambda text: click.echo(text, err=True))
    # Behind a reverse proxy, sign-in throttling needs each client's own address: trust the
    # proxy's X-Forwarded-For, and only from the proxy.
    proxy = ({"trusted_proxy": settings.trusted_proxy, "trusted_proxy_count": 1,
              "trusted_proxy_headers": {"x-forwarded-for"}} if settings.trusted_proxy else {})
    logging.basicConfig()  # as waitress.serve: its warnings reach stderr
    logging.getLogger("waitress.queue").addFilter(_OncePerMinute())
    server = waitress.create_server(app, threads=threads, ident="graphsvc",
                                    clear_untrusted_proxy_headers=True, channel_timeout=60,
                                    **proxy, **listen)
    if shares is not None:
        _take_a_fair_share(server, *shares)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def _take_a_fair_share(server: Any, shares: Shares, slot: int) -> None:
    """Let this copy accept a connection only while no other copy holds fewer (prefork):
    waitress asks its listener whether it is `readable` before every wait for sockets."""
    readable = server.readable

    def fair() -> bool:
        held = len(server.active_channels)
        shares.set(slot, held)
        return bool(readable()) and shares.may_accept(slot, held)

    server.readable = fair


@click.group("users")
def users_group() -> None:
    """Add, list, disable and enable the people who may sign in."""


def _read_password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError("No password was given on standard input.")
    else:
        password = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return users.check_password(password)


@users_group.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(model.ROLES), help="What they may do.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input (for scripts).")
def users_add(name: str, role: str, password_stdin: bool) -> None:
    """Add a user; the password is asked for twice, hidden (never on the command line)."""
    settings = Settings.from_env()
    users.check_name(name)
    password = _read_password(password_stdin)
    user = users.add_user(settings, name, role, password)
    _record(settings, "user added", {"name": user.name, "role": user.role}, [f"user={user.name}"])
    click.echo(f"Added {user.name} ({user.role}).")


@users_group.command("list")
def users_list() -> None:
    """List users with their role and status."""
    found = users.list_users(Settings.from_env())
    if not found:
        click.echo("No users yet: add one with `graphsvc users add NAME --role admin`.")
        return
    click.echo(f"{'name':<24} {'role':<14} {'status':<9} password changed")
    for u in found:
        click.echo(f"{u.name:<24} {u.role:<14} {'disabled' if u.disabled else 'active':<9} "
                   f"{u.password_changed_at[:10]}")


@users_group.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Disable a user: they cannot sign in and their sessions end at their next click."""
    _set_disabled(name, True)


@users_group.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Enable a disabled user again (and clear a lock-out)."""
    _set_disabled(name, False)


def _set_disabled(name: str, disabled: bool) -> None:
    settings = Settings.from_env()
    user = users.set_disabled(settings, name, disabled)
    done = "disabled" if disabled else "enabled"
    _record(settings, f"user {done}", {"name": user.name}, [f"user={user.name}"])
    click.echo(f"{done.capitalize()} {user.name}.")


@users_group.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read it from standard input.")
def users_set_password(name: str, password_stdin: bool) -> None:
    """Set a new password for a user (their sessions end)."""
    settings = Settings.from_env()
    users.find_user(settings, name)
    user = users.reset_password(settings, name, _read_password(password_stdin, "New password"))
    _record(settings, "password reset", {"name": user.name}, [f"user={user.name}"])
    click.echo(f"Password of {user.name} changed.")


@click.group("tokens")
def tokens_group() -> None:
    """Issue, list and revoke bearer tokens for API clients (control room systems)."""


@tokens_group.command("issue")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(model.TOKEN_ROLES))
def tokens_issue(name: str, role: str) -> None:
    """Issue a token and print it once (it is stored only as a hash)."""
    settings = Settings.from_env()
    token, secret = tokens.issue_token(settings, name, role, by=cli_user())
    _record(settings, "API token issued", {"name": token.name, "role": token.role},
            [f"token={token.name}"])
    click.echo(f"Issued token {token.name} ({token.role}). It is shown only this once:",
               err=True)
    click.echo(secret)


@tokens_group.command("revoke")
@click.argument("name")
def tokens_revoke(name: str) -> None:
    """Revoke a token: the client is refused within a second (tokens.LIVE_RECHECK_S)."""
    settings = Settings.from_env()
    token = tokens.revoke_token(settings, name)
    _record(settings, "API token revoked", {"name": token.name}, [f"token={token.name}"])
    click.echo(f"Revoked {token.name}.")


@tokens_group.command("list")
def tokens_list() -> None:
    """List tokens (never their secrets)."""
    found = tokens.list_tokens(Settings.from_env())
    if not found:
        click.echo("No API tokens.")
        return
    click.echo(f"{'client':<24} {'role':<14} {'issued':<11} {'by':<16} status")
    for t in found:
        status = f"revoked {t.revoked_at[:10]}" if t.revoked_at else "live"
        click.echo(f"{t.name:<24} {t.role:<14} {t.created_at[:10]:<11} {t.created_by:<16} "
                   f"{status}")
