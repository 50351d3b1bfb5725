"""Neo4j cluster readiness: a neo4j:// routing URI is accepted, and a read right after a write
(in one transaction or alone) sees it, through the driver's bookmarks."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

from graphsvc.errors import GraphsvcError
from graphsvc.store import open_store


@pytest.fixture
def routed(settings, store):
    if store.engine != "neo4j":
        pytest.skip("Neo4j leg only: routing URIs are Neo4j's")
    uri = os.environ["NEO4J_URI"].replace("bolt://", "neo4j://", 1)
    routed_store = open_store(replace(settings, graph_uri=uri))
    yield routed_store
    routed_store.close()


def test_a_routing_uri_reads_its_own_writes(routed):
    assert routed.describe()  # the routing table was fetched and the server answered
    with routed.transaction() as tx:
        tx.write("contract/batch", rows=[{"k": 7, "v": "seven"}], tag="routed")
    assert routed.read_one("contract/lookup", k=7) == {"v": "seven"}
    routed.write_rows("contract/batch", [{"k": 8, "v": "eight"}], tag="routed")
    assert routed.read_one("contract/lookup", k=8) == {"v": "eight"}


def test_a_write_s_bookmarks_handed_to_another_process_make_its_reads_wait(settings, routed):
    # Two drivers stand for two web processes; the bookmarks travel as the session keeps them.
    routed.write_rows("contract/batch", [{"k": 9, "v": "nine"}], tag="routed")
    handed = routed.bookmarks()
    assert handed and all(isinstance(b, str) for b in handed)
    uri = os.environ["NEO4J_URI"].replace("bolt://", "neo4j://", 1)
    with open_store(replace(settings, graph_uri=uri)) as other:
        other.wait_for(handed)
        assert set(handed) <= set(other.bookmarks())
        assert other.read_one("contract/lookup", k=9) == {"v": "nine"}
    # The bookmarks really go to the server with the read: one it cannot parse is refused.
    with open_store(replace(settings, graph_uri=uri)) as other:
        other.wait_for(["not-a-bookmark"])
        with pytest.raises(GraphsvcError):
            other.read_one("contract/lookup", k=9)
