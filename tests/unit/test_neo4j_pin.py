"""The local Neo4j (tools/neo4j/pom.xml) and production's image (docker-compose.yml) are one
version, pinned in one place."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_docker_compose_runs_the_version_the_pom_pins():
    pom = (ROOT / "tools/neo4j/pom.xml").read_text()
    pinned = re.search(r"<neo4j.version>([\d.]+)</neo4j.version>", pom).group(1)
    compose = (ROOT / "docker-compose.yml").read_text()
    assert re.findall(r"image: neo4j:([\w.-]+)", compose) == [f"{pinned}-community"]
