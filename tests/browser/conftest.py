"""Browser fixtures: the app served for real by waitress, driven by Debian's headless Chromium.

    def test_x(live_server, signed_in_page):
        page = signed_in_page("control_room")
        page.goto(live_server.url + "/address-check/")
        screenshot(page, "address-check")

Never downloads a browser: set up Chromium with `apt-get install chromium` (scripts/setup.sh).
"""

from __future__ import annotations

import os
import re
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TEST_PASSWORD

CHROMIUM = os.environ.get("GRAPHSVC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    app: object
    settings: object


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(store, web_settings):
    """The app on the test's graph and databases, served by waitress on a free loopback port.

    The session cookie stays Secure: Chromium treats http://127.0.0.1 as a secure context.
    """
    from waitress import create_server

    from web import create_app

    app = create_app({"GRAPHSVC_SETTINGS": web_settings})
    server = create_server(app, host="127.0.0.1", port=_free_port(), threads=4)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.effective_port}", app=app,
                     settings=web_settings)
    server.close()
    thread.join(timeout=10)
    opened = app.extensions["graphsvc.store"].get("store")
    if opened is not None:
        opened.close()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (Debian's, never a downloaded one)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser tab with its own cookies; console errors (e.g. CSP refusals) are kept
    in `page.console_errors`."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    yield tab
    context.close()


def sign_in(page, base_url: str, name: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def signed_in_page(page, live_server, make_user):
    """`signed_in_page("control_room")`: the page, signed in as a new user of that role."""

    def make(role: str, name: str | None = None):
        user = make_user(role, name)
        sign_in(page, live_server.url, user.name)
        assert "/sign-in" not in page.url, f"sign-in failed for {user.name}"
        return page

    return make


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png (gitignored) for people to see."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
