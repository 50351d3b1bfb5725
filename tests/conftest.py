"""Shared fixtures: one embedded engine per test session, a fresh graph per test.

Every store-backed test runs on two legs: the embedded FalkorDB, and a live Neo4j when NEO4J_URI
(with NEO4J_USER and NEO4J_PASSWORD) names one, as `eval "$(scripts/neo4j.sh start)"` sets.
GRAPHSVC_REQUIRE_NEO4J=1 (set by CI) makes a missing Neo4j an error, never a silent skip.

Tests marked `app_dbs` (application data: users, sessions, audit) also run on two legs of
their own: SQLite files, and the PostgreSQL that GRAPHSVC_TEST_APP_DB names (scripts/test.sh
starts one with scripts/postgres.sh), each test in a schema of its own.
GRAPHSVC_REQUIRE_POSTGRES=1 (set by CI) makes a missing PostgreSQL an error.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from graphsvc import queries
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.engine import EmbeddedEngine

TESTS = Path(__file__).parent
queries.add_folder(TESTS / "cypher")

_graph_numbers = itertools.count(1)
_neo4j_schema_applied: list[bool] = []


@pytest.fixture(scope="session")
def engine_settings(tmp_path_factory) -> Settings:
    """Settings for the session's embedded engine, started once and stopped at the end."""
    data_dir = tmp_path_factory.mktemp("data")
    settings = Settings(data_dir=data_dir, graph_uri="embedded")
    process = EmbeddedEngine(settings)
    process.ensure_running()
    yield settings
    process.stop()


def _backends() -> list[str]:
    return ["falkordb", "neo4j"] if os.environ.get("NEO4J_URI") else ["falkordb"]


def _app_dbs() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("GRAPHSVC_TEST_APP_DB") else ["sqlite"]


def pytest_generate_tests(metafunc) -> None:
    """Tests marked `app_dbs` run on each application-data backend; others on SQLite."""
    if "app_db" in metafunc.fixturenames and metafunc.definition.get_closest_marker("app_dbs"):
        metafunc.parametrize("app_db", _app_dbs(), indirect=True)


_schema_numbers = itertools.count(1)


@pytest.fixture
def app_db(request) -> str:
    """GRAPHSVC_APP_DB for one test: '' (SQLite files in its app dir), or a URL of the test
    PostgreSQL whose search path is a schema made for this test and dropped after it."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield ""
        return
    import psycopg

    from graphsvc import appdata

    base = os.environ["GRAPHSVC_TEST_APP_DB"]
    schema = f"t{os.getpid()}_{next(_schema_numbers)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    appdata.dispose_all()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def pytest_configure(config) -> None:
    if os.environ.get("GRAPHSVC_REQUIRE_POSTGRES") == "1" and \
            not os.environ.get("GRAPHSVC_TEST_APP_DB"):
        raise pytest.UsageError("GRAPHSVC_REQUIRE_POSTGRES is set but GRAPHSVC_TEST_APP_DB is "
                                "not: the PostgreSQL leg cannot run (scripts/postgres.sh start).")
    if os.environ.get("GRAPHSVC_REQUIRE_NEO4J") == "1" and not os.environ.get("NEO4J_URI"):
        raise pytest.UsageError("GRAPHSVC_REQUIRE_NEO4J is set but NEO4J_URI is not: the Neo4j "
                                "leg cannot run (start it with scripts/neo4j.sh start).")
    config.stash[_LEGS] = {}


_LEGS = pytest.StashKey[dict]()


def pytest_collection_modifyitems(config, items) -> None:
    """Remember which engine leg each store-backed test belongs to, for the summary. The
    PostgreSQL leg runs on the embedded graph only: the graph engine does not change what the
    application database does, and CI time stays reasonable."""
    both = [i for i in items if getattr(i, "callspec", None) is not None
            and i.callspec.params.get("app_db") == "postgresql"
            and i.callspec.params.get("settings") == "neo4j"]
    if both:
        config.hook.pytest_deselected(items=both)
        dropped = {id(i) for i in both}
        items[:] = [i for i in items if id(i) not in dropped]
    legs = config.stash[_LEGS]
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "settings" in callspec.params:
            legs[item.nodeid] = callspec.params["settings"]
        if callspec is not None and callspec.params.get("app_db") == "postgresql":
            legs[item.nodeid] = "postgresql"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line per engine leg: how many of its tests passed, failed and were skipped."""
    legs = config.stash[_LEGS]
    tally: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") != "call" and outcome == "passed":
                continue
            leg = legs.get(getattr(report, "nodeid", ""), "engine-independent")
            counts = tally.setdefault(leg, {})
            counts[outcome] = counts.get(outcome, 0) + 1
    terminalreporter.section("engine legs")
    for leg in ("falkordb", "neo4j", "postgresql", "engine-independent"):
        if leg in tally:
            counts = tally[leg]
            terminalreporter.write_line(
                f"{leg}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if "neo4j" not in _backends():
        terminalreporter.write_line(
            "neo4j: not run, because NEO4J_URI is not set (scripts/neo4j.sh start needs Java 17 "
            "and Maven; eval its output to run this leg).")
    if "postgresql" not in _app_dbs():
        terminalreporter.write_line(
            "postgresql: not run, because GRAPHSVC_TEST_APP_DB is not set (scripts/test.sh "
            "starts one with scripts/postgres.sh).")


@pytest.fixture(params=_backends())
def settings(request, engine_settings, tmp_path) -> Settings:
    """Settings for one test: its own graph on the session engine (or the Neo4j server)."""
    if request.param == "neo4j":
        return replace(engine_settings, graph_uri=os.environ["NEO4J_URI"],
                       neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                       neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
                       data_dir=tmp_path / "data")
    return replace(engine_settings, graph_name=f"test_{os.getpid()}_{next(_graph_numbers)}")


@pytest.fixture
def store(settings):
    """An empty graph with the schema applied; removed after the test."""
    graph = open_store(settings)
    graph.clear()
    if graph.engine == "falkordb" or not _neo4j_schema_applied:
        graph.apply_schema()  # one graph per test on FalkorDB; Neo4j has one database to share
        if graph.engine == "neo4j":
            _neo4j_schema_applied.append(True)
    yield graph
    if graph.engine == "falkordb":
        graph.drop()
    else:
        graph.clear()
    graph.close()


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the real `graphsvc` entry point against a test's graph."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHSVC_")}
    env.update(GRAPHSVC_DATA_DIR=str(settings.data_dir), GRAPHSVC_GRAPH_NAME=settings.graph_name,
               GRAPHSVC_GRAPH_URI=settings.graph_uri)
    return env


def graphsvc_bin() -> str:
    """The installed console script, beside this interpreter."""
    candidate = Path(sys.executable).parent / "graphsvc"
    return str(candidate) if candidate.exists() else "graphsvc"


@pytest.fixture
def run_cli(settings):
    """Run `graphsvc ARGS…` as a user would, through the installed entry point."""

    def run(*args: str, input: str | None = None, env: dict | None = None, timeout: int = 600):
        return subprocess.run([graphsvc_bin(), *args], input=input, capture_output=True,
                              text=True, env={**cli_env(settings), **(env or {})},
                              timeout=timeout)

    return run


# --- record linkage ---------------------------------------------------------------------------

LINKAGE_AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="session")
def linked_county(engine_settings, tmp_path_factory):
    """The small three-source county, imported and linked once (the model trained on it)."""
    from graphsvc.identities.resolve import resolve_identities  # Splink loads only when needed
    from graphsvc.importer import import_folder
    from graphsvc.synth.linkage import TRUTH_FILE, generate_linkage_county

    folder = tmp_path_factory.mktemp("linkage") / "county"
    generate_linkage_county(folder, scale="small", seed=15, as_of=LINKAGE_AS_OF)
    settings = replace(engine_settings, graph_name="linkage_county",
                       app_data_dir=tmp_path_factory.mktemp("linkage_app"))
    store = open_store(settings)
    store.clear()
    store.apply_schema()
    import_folder(store, folder, settings=settings, as_of=LINKAGE_AS_OF)
    report = resolve_identities(store, settings, by="test", role="intelligence", train=True)
    truth = json.loads((folder / TRUTH_FILE).read_text())
    yield {"store": store, "settings": settings, "report": report, "truth": truth,
           "model_path": Path(report.model_path), "folder": folder}
    store.drop()
    store.close()


# --- web app fixtures (docs/web.md) -----------------------------------------------------------

TEST_PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web_settings(settings, tmp_path, app_db) -> Settings:
    """The test's graph, with application data of the test's own (SQLite or PostgreSQL)."""
    return replace(settings, app_data_dir=tmp_path / "app", app_db=app_db)


@pytest.fixture
def app(web_settings):
    """The Flask app on the test's graph and databases (the real guard, CSRF and headers)."""
    from web import create_app

    application = create_app({"TESTING": True, "GRAPHSVC_SETTINGS": web_settings,
                              "PREFERRED_URL_SCHEME": "https"})
    yield application
    opened = application.extensions["graphsvc.store"].get("store")
    if opened is not None:
        opened.close()


@pytest.fixture
def client(app):
    """A test client on https://localhost (the session cookie is Secure)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path: str = "/sign-in") -> str:
    """The CSRF token a page's forms carry, as a browser would find it."""
    page = client.get(path)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} (status {page.status_code})"
    return match.group(1)


@pytest.fixture
def make_user(web_settings):
    """Create a user of a role (password TEST_PASSWORD); returns the user."""
    from graphsvc import users

    def make(role: str, name: str | None = None):
        return users.add_user(web_settings, name or f"{role.replace('_', '-')}-user", role,
                              TEST_PASSWORD)

    return make


@pytest.fixture
def sign_in_as(app, make_user):
    """A new test client signed in as a fresh user of the role: `sign_in_as("admin")`."""

    def sign_in(role: str, name: str | None = None):
        user = make_user(role, name)
        browser = app.test_client()
        answer = browser.post("/sign-in", data={"name": user.name, "password": TEST_PASSWORD,
                                                "csrf_token": csrf_token(browser)})
        assert answer.status_code == 302, answer.get_data(as_text=True)
        return browser

    return sign_in
