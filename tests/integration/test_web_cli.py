"""`graphsvc users` and `graphsvc tokens` through the real entry point."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from graphsvc import audit, users
from graphsvc.settings import Settings
from tests.conftest import TEST_PASSWORD


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
    assert users.token_client(settings, secret).name == "cad"
    # through SQLite, never as a plain file: closing one would drop SQLite's locks
    with closing(sqlite3.connect(settings.app_dir / "app.db")) as db:
        stored = repr(db.execute("SELECT * FROM api_tokens").fetchall())
    assert secret not in stored and len(stored) > 50
    assert secret not in run_cli("tokens", "list", env=env).stdout
    assert run_cli("tokens", "revoke", "cad", env=env).returncode == 0
    assert users.token_client(settings, secret) is None
    admin_token = run_cli("tokens", "issue", "x", "--role", "admin", env=env)
    assert admin_token.returncode == 2
