"""`graphsvc users` and `graphsvc tokens` through the real entry point."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing
from dataclasses import replace

from graphsvc import audit, tokens, users
from graphsvc.settings import Settings
from tests.conftest import TEST_PASSWORD, cli_env, graphsvc_bin


def _env(tmp_path) -> tuple[Settings, dict]:
    settings = Settings(data_dir=tmp_path / "data")
    return settings, {"GRAPHSVC_DATA_DIR": str(settings.data_dir)}


def test_users_add_asks_twice_and_the_user_can_sign_in(tmp_path, run_cli):
    settings, env = _env(tmp_path)
    done = run_cli("users", "add", "ana", "--role", "intelligence",
                   input=f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n", env=env)
    assert done.returncode == 0, done.stderr
    assert TEST_PASSWORD not in done.stdout
    assert users.authenticate(settings, "ana", TEST_PASSWORD).role == "intelligence"
    [entry] = audit.search(settings, kind="administration")
    assert entry.action == "user added" and entry.user.startswith("cli:")


def test_users_add_refuses_mismatched_or_short_passwords(tmp_path, run_cli):
    settings, env = _env(tmp_path)
    short = run_cli("users", "add", "bob", "--role", "admin", "--password-stdin",
                    input="short\n", env=env)
    assert short.returncode == 2 and "at least 12 characters" in short.stderr
    mismatch = run_cli("users", "add", "bob", "--role", "admin",
                       input=f"{TEST_PASSWORD}\nsomething else entirely\n", env=env)
    assert mismatch.returncode != 0
    assert users.list_users(settings) == []


def test_users_list_and_disable(tmp_path, run_cli):
    settings, env = _env(tmp_path)
    run_cli("users", "add", "ana", "--role", "tasking", "--password-stdin",
            input=TEST_PASSWORD + "\n", env=env)
    assert run_cli("users", "disable", "ana", env=env).returncode == 0
    listing = run_cli("users", "list", env=env).stdout
    assert "ana" in listing and "disabled" in listing
    missing = run_cli("users", "disable", "nobody", env=env)
    assert missing.returncode == 6 and "no user called 'nobody'" in missing.stderr


def test_tokens_are_printed_once_stored_hashed_and_revocable(tmp_path, run_cli):
    settings, env = _env(tmp_path)
    issued = run_cli("tokens", "issue", "cad", "--role", "control_room", env=env)
    assert issued.returncode == 0, issued.stderr
    secret = issued.stdout.strip()
    assert tokens.token_client(settings, secret).name == "cad"
    # through SQLite, never as a plain file: closing one would drop SQLite's locks
    with closing(sqlite3.connect(settings.app_dir / "app.db")) as db:
        stored = repr(db.execute("SELECT * FROM api_tokens").fetchall())
    assert secret not in stored and len(stored) > 50
    assert secret not in run_cli("tokens", "list", env=env).stdout
    assert run_cli("tokens", "revoke", "cad", env=env).returncode == 0
    assert tokens.token_client(settings, secret) is None
    admin_token = run_cli("tokens", "issue", "x", "--role", "admin", env=env)
    assert admin_token.returncode == 2


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_behind_a_trusted_proxy_sign_ins_are_counted_by_the_client_address(settings, tmp_path):
    """`graphsvc serve` with GRAPHSVC_TRUSTED_PROXY takes the client's address from the proxy."""
    import http.cookiejar
    import re
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    own = replace(settings, app_data_dir=tmp_path / "app")
    port = _free_port()
    env = {**cli_env(own), "GRAPHSVC_APP_DIR": str(own.app_dir), "GRAPHSVC_WEB_PORT": str(port),
           "GRAPHSVC_TRUSTED_PROXY": "127.0.0.1", "GRAPHSVC_COOKIE_SECURE": "false",
           "GRAPHSVC_SECRET_KEY": "k" * 64}
    server = subprocess.Popen([graphsvc_bin(), "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        url = f"http://127.0.0.1:{port}/sign-in"
        deadline = time.monotonic() + 60
        while True:
            try:
                page = opener.open(url, timeout=5).read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "graphsvc serve did not start"
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"name": "ana", "password": "wrong wrong wrong",
                                       "csrf_token": token}).encode()
        request = urllib.request.Request(url, data=form,
                                         headers={"X-Forwarded-For": "198.51.100.7"})
        try:
            opener.open(request, timeout=30)
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
    finally:
        server.terminate()
        server.wait(30)
    assert users.recent_failures(own, "ana", source="198.51.100.7") == 1
    assert users.recent_failures(own, "ana") == 1
