"""Several web processes share one application database: a session started on one is good on
the other, and ended on one is ended on both; a tasking decision made on one is in the minutes
the other shows at once; `serve --workers 2` runs two processes."""

from __future__ import annotations

import http.cookiejar
import json
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta

import psutil
import pytest

from graphsvc import appdata, clusters, users
from tests.conftest import TEST_PASSWORD, cli_env, graphsvc_bin
from tests.tasking_data import board_of_one_flag

pytestmark = [pytest.mark.app_dbs, pytest.mark.slow]
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)


def _open(opener, url: str, form: dict | None = None) -> tuple[int, str, str]:
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with opener.open(url, data=data, timeout=30) as answer:
            return answer.status, answer.read().decode(), answer.headers.get("Location", "")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(), refused.headers.get("Location", "")


def _wait_up(port: int) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5).read()
            return
        except (urllib.error.URLError, OSError):  # refused, or bound but not answering yet
            assert time.monotonic() < deadline, f"graphsvc serve on {port} did not start"
            time.sleep(0.3)


@pytest.fixture
def shared(settings, tmp_path, app_db):
    """Settings and environment shared by the web processes of one test."""
    own = replace(settings, app_data_dir=tmp_path / "app", app_db=app_db)
    env = {**cli_env(own), "GRAPHSVC_APP_DIR": str(own.app_dir), "GRAPHSVC_APP_DB": app_db,
           "GRAPHSVC_COOKIE_SECURE": "false", "GRAPHSVC_SECRET_KEY": "s" * 64,
           "GRAPHSVC_AUDIT_KEY": "a" * 64}
    return replace(own, audit_key="a" * 64), env


def _serve(env: dict, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([graphsvc_bin(), "serve", "--port", str(port), *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(*servers: subprocess.Popen) -> None:
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(30)


def _sign_in(port: int, name: str) -> urllib.request.OpenerDirector:
    browser = _browser(http.cookiejar.CookieJar())
    status, page, _ = _open(browser, f"http://127.0.0.1:{port}/sign-in")
    token = _CSRF.search(page).group(1)
    status, _, where = _open(browser, f"http://127.0.0.1:{port}/sign-in",
                             {"name": name, "password": TEST_PASSWORD, "csrf_token": token})
    assert status == 302 and "sign-in" not in where
    return browser


def _token(browser, url: str) -> str:
    status, page, _ = _open(browser, url)
    assert status == 200, page[:300]
    return _CSRF.search(page).group(1)


@contextmanager
def _two_servers(env: dict) -> Iterator[tuple[int, int]]:
    """Two `graphsvc serve` processes on two ports, answering; stopped after the block."""
    one, two = _free_port(), _free_port()
    servers = [_serve(env, one), _serve(env, two)]
    try:
        _wait_up(one)
        _wait_up(two)
        yield one, two
    finally:
        _stop(*servers)


def test_a_session_is_shared_and_ended_across_two_web_processes(shared):
    own, env = shared
    users.add_user(own, "cara", "control_room", TEST_PASSWORD)
    with _two_servers(env) as (one, two):
        browser = _sign_in(one, "cara")
        status, _, where = _open(browser, f"http://127.0.0.1:{two}/")  # the other process
        assert status == 302 and "/address-check/" in where
        status, page, _ = _open(browser, f"http://127.0.0.1:{two}/address-check/")
        assert status == 200 and "cara" in page
        token = _CSRF.search(page).group(1)
        status, _, where = _open(browser, f"http://127.0.0.1:{one}/sign-out",
                                 {"csrf_token": token})
        assert status == 302
        status, _, where = _open(browser, f"http://127.0.0.1:{two}/")
        assert status == 302 and "/sign-in" in where


def test_a_decision_made_on_one_process_is_seen_on_the_next_request_to_the_other(
        shared, store, tmp_path):
    own, env = shared
    near = board_of_one_flag(store, own, tmp_path)
    [cluster] = clusters.list_clusters(own)
    users.add_user(own, "shaw", "tasking", TEST_PASSWORD)
    with _two_servers(env) as (one, two):
        browser = _sign_in(one, "shaw")
        status, _, _ = _open(browser, f"http://127.0.0.1:{one}/tasking/meetings", {
            "held_on": date.today().isoformat(), "chair": "DI Shaw", "attendees": "DS Reed",
            "csrf_token": _token(browser, f"http://127.0.0.1:{one}/tasking/")})
        assert status == 302
        page = f"http://127.0.0.1:{one}/tasking/clusters/{cluster['cluster_id']}"
        status, _, _ = _open(browser, page + "/decisions", {
            "flag_id": near, "status": "actioned", "action": "Review the placement",
            "owner": "DS Reed", "due_date": (date.today() + timedelta(days=7)).isoformat(),
            "reason": "Too close to a very high risk offender",
            "csrf_token": _token(browser, page)})
        assert status == 302
        status, minutes, _ = _open(browser, f"http://127.0.0.1:{two}/tasking/meetings/1/minutes")
        assert status == 200
        assert "Review the placement" in minutes and "DS Reed" in minutes
        if store.engine == "neo4j":  # the write's bookmarks are kept in the user's session
            assert _session_bookmarks(own, "shaw")


def _session_bookmarks(settings, name: str) -> list[str]:
    """The graph bookmarks kept in the sessions of a user (read as an administrator would)."""
    user = users.find_user(settings, name)
    with appdata.transaction(settings, write=False) as conn:
        rows = conn.exec_driver_sql(
            f"SELECT bookmarks FROM sessions WHERE user_id = {int(user.id)}").all()
    return [b for (value,) in rows if value for b in json.loads(value)]


def test_serve_workers_runs_several_processes_on_one_port(shared):
    own, env = shared
    users.add_user(own, "dev", "control_room", TEST_PASSWORD)
    port = _free_port()
    server = _serve(env, port, "--workers", "2")
    try:
        _wait_up(port)
        children = psutil.Process(server.pid).children()
        assert len(children) == 2
        for _ in range(6):
            status, _, _ = _open(_browser(http.cookiejar.CookieJar()),
                                 f"http://127.0.0.1:{port}/sign-in")
            assert status == 200
    finally:
        _stop(server)
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in children)
