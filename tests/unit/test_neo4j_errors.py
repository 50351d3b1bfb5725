"""How the Neo4j backend words what went wrong: one sentence naming the server."""

import pytest
from neo4j import exceptions as nx

from graphsvc.errors import ConstraintViolation, EngineError, StoreError
from graphsvc.store.neo4j import supported_version, translate

URI = "bolt://db.example:7687"


@pytest.mark.parametrize("agent", ["Neo4j/5.26.30", "Neo4j/5.13.0"])
def test_a_neo4j_5_server_is_accepted(agent):
    assert supported_version(agent, URI).startswith("5.")


@pytest.mark.parametrize("agent", ["Neo4j/4.4.12", "Neo4j/2025.01.0", "Memgraph/2.1", None])
def test_any_other_server_is_refused_naming_what_it_runs(agent):
    with pytest.raises(EngineError) as raised:
        supported_version(agent, URI)
    assert URI in str(raised.value) and "needs Neo4j 5" in str(raised.value)


def test_driver_errors_become_the_projects_own():
    unavailable = translate(nx.ServiceUnavailable("Couldn't connect"), URI)
    assert isinstance(unavailable, EngineError) and URI in str(unavailable)
    assert isinstance(translate(nx.AuthError("bad"), URI), EngineError)
    assert "password" in str(translate(nx.AuthError("bad"), URI))
    assert isinstance(translate(nx.ConstraintError("dup"), URI), ConstraintViolation)
    assert isinstance(translate(nx.ResultConsumedError(None, "consumed"), URI), EngineError)
    assert isinstance(translate(TypeError("Values of type object are not supported"), URI),
                      StoreError)
