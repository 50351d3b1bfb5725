"""The search index warm-up that `graphsvc serve` starts: one build, searches wait for it."""

from __future__ import annotations

import logging
import sys
import threading
import time

import pytest

from graphsvc.search import index, people, search
from graphsvc.search.warmup import start_warm_up, warm_up
from tests.factories import load_graph

TABLES = {
    "people": [
        {"person_id": "P1", "given_name": "Siobhan", "family_name": "Murphy",
         "date_of_birth": "1999-09-09"},
        {"person_id": "P2", "given_name": "Simon", "family_name": "Murphy",
         "date_of_birth": "1970-01-01"},
    ],
    "addresses": [{"address_id": "A1", "line1": "2 Elm Row", "town": "Norwich",
                   "postcode": "NR2 2BB"}],
}


@pytest.fixture
def graph(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    index.forget_all()
    yield store
    index.forget_all()


@pytest.fixture
def gated_builds(monkeypatch):
    """The real people-index build, counted, held at its start until `release` is set."""
    builds: list[int] = []
    entered, release = threading.Event(), threading.Event()
    real = people.build_people_index

    def build(store):
        builds.append(1)
        entered.set()
        assert release.wait(60), "the test never released the build"
        return real(store)

    monkeypatch.setattr(people, "build_people_index", build)
    yield builds, entered, release
    release.set()


def _inside_index_get(thread: threading.Thread) -> bool:
    """Whether the thread has reached CachedIndex.get (where it waits for the build's lock)."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None:
        if frame.f_code is index.CachedIndex.get.__code__:
            return True
        frame = frame.f_back
    return False


def test_a_search_during_the_warm_up_waits_for_that_build(graph, gated_builds):
    builds, entered, release = gated_builds
    warming = start_warm_up(lambda: graph)
    assert entered.wait(60), "the warm-up did not start building"
    found: list = []
    searcher = threading.Thread(target=lambda: found.extend(search(graph, "Siobahn Murphy")))
    searcher.start()
    deadline = time.monotonic() + 60
    while not _inside_index_get(searcher) and searcher.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _inside_index_get(searcher), "the search did not reach the index while it was building"
    release.set()
    warming.join(60)
    searcher.join(60)
    assert not warming.is_alive() and not searcher.is_alive()
    assert builds == [1]  # the search used the warm-up's index: no second build
    assert [(r.kind, r.key) for r in found] == [("person", "P1")]
    assert [r.key for r in search(graph, "NR2 2BB")] == ["A1"]  # addresses warmed too
    warm_up(graph)  # already warm: nothing is rebuilt
    assert builds == [1]


def test_a_failed_warm_up_is_logged_and_the_first_search_still_works(graph, caplog):
    def broken_store():
        raise OSError("graph engine not reachable")

    with caplog.at_level(logging.ERROR, logger="graphsvc.search.warmup"):
        start_warm_up(broken_store).join(60)
    assert "Search index warm-up failed" in caplog.text
    assert "graph engine not reachable" in caplog.text
    assert [r.key for r in search(graph, "Simon Murphy")] == ["P2"]


def test_a_built_index_is_left_out_of_the_garbage_collectors_walks(graph):
    # a county's index is millions of long-lived objects: each full collection walking them
    # paused the search that set it off (up to 0.66 s on Neo4j), so a build freezes them
    import gc

    built = people.people_index(graph)
    try:
        assert not any(o is built for o in gc.get_objects())
    finally:
        gc.unfreeze()
