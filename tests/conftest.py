"""Shared fixtures: one embedded engine per test session, a fresh graph per test.

Set NEO4J_URI (with NEO4J_USER and NEO4J_PASSWORD) to run the store-backed tests against a
Neo4j server as well.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graphsvc import queries
from graphsvc.settings import Settings
from graphsvc.store import open_store
from graphsvc.store.engine import EmbeddedEngine

TESTS = Path(__file__).parent
queries.add_folder(TESTS / "cypher")

_graph_numbers = itertools.count(1)


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


@pytest.fixture(params=_backends())
def settings(request, engine_settings, tmp_path) -> Settings:
    """Settings for one test: its own graph on the session engine (or the Neo4j server)."""
    if request.param == "neo4j":
        return replace(engine_settings, graph_uri=os.environ["NEO4J_URI"],
                       neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
                       neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
                       data_dir=tmp_path)
    return replace(engine_settings, graph_name=f"test_{os.getpid()}_{next(_graph_numbers)}")


@pytest.fixture
def store(settings):
    """An empty graph with the schema applied; removed after the test."""
    graph = open_store(settings)
    graph.clear()
    graph.apply_schema()
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
