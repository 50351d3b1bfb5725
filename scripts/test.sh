#!/usr/bin/env bash
# Sets up and runs every check: ruff, Neo4j's Cypher linter, then the test suite (unit,
# integration, CLI through the real entry point, browser tests in headless Chromium). Every
# store-backed test runs on two legs: the embedded FalkorDB and a live Neo4j that this script
# starts from its jars (scripts/neo4j.sh, in var/neo4j-test on port 7688, stopped at the end).
# Without Java and Maven the Neo4j leg is left out with one line saying why; under CI (CI=true)
# that is a failure instead. Extra arguments go to pytest, e.g. scripts/test.sh -k address.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy (configured in pyproject.toml)"
.venv/bin/mypy
echo "== Cypher lint (Neo4j language support)"
node tools/lint-cypher.cjs cypher
rm -rf var/cypher-rendered  # the statements rendered from family templates (cypher/*/*{kind}*)
.venv/bin/python -m graphsvc.queries var/cypher-rendered
node tools/lint-cypher.cjs var/cypher-rendered
node tools/lint-cypher.cjs tests/cypher

NEO4J_TEST_DIR=var/neo4j-test
if [ "${CI:-}" = "true" ] || [ "${GRAPHSVC_REQUIRE_NEO4J:-}" = "1" ]; then
  export GRAPHSVC_REQUIRE_NEO4J=1
fi
if command -v java >/dev/null && command -v mvn >/dev/null && command -v javac >/dev/null; then
  echo "== Neo4j for the second leg"
  NEO4J_BOLT_PORT=${NEO4J_TEST_PORT:-7688} bash scripts/neo4j.sh stop "$NEO4J_TEST_DIR" 2>/dev/null || true
  exports="$(NEO4J_BOLT_PORT=${NEO4J_TEST_PORT:-7688} bash scripts/neo4j.sh start "$NEO4J_TEST_DIR")"
  eval "$exports"
  unset GRAPHSVC_GRAPH_URI  # the tests choose the engine per leg
  trap 'bash scripts/neo4j.sh stop "$NEO4J_TEST_DIR" || true' EXIT
elif [ "${GRAPHSVC_REQUIRE_NEO4J:-}" = "1" ]; then
  echo "The Neo4j leg is required here, but Java 17 (java, javac) or Maven (mvn) is missing." >&2
  exit 1
else
  echo "== Neo4j leg not run: Java 17 (java, javac) or Maven (mvn) is missing on this machine"
  unset NEO4J_URI
fi
echo "== tests"
.venv/bin/python -m pytest "$@"
