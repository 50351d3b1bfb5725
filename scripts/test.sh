#!/usr/bin/env bash
# Sets up and runs every check: ruff, Neo4j's Cypher linter, then the test suite (unit,
# integration, CLI through the real entry point, browser tests in headless Chromium). Every
# store-backed test runs on two legs: the embedded FalkorDB and a live Neo4j that this script
# starts from its jars (scripts/neo4j.sh, in var/neo4j-test on port 7688, stopped at the end).
# Without Java and Maven the Neo4j leg is left out with one line saying why; under CI (CI=true)
# that is a failure instead. The application-data tests (users, sessions, audit) also run on
# PostgreSQL, which this script starts from Debian's package (scripts/postgres.sh, in
# var/postgres-test on port $POSTGRES_TEST_PORT, default 5433; stopped at the end).
# Extra arguments go to pytest, e.g. scripts/test.sh -k address.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
echo "== ruff"
.venv/bin/ruff check .
echo "== Cypher lint (Neo4j language support)"
node tools/lint-cypher.cjs cypher
node tools/lint-cypher.cjs tests/cypher

NEO4J_TEST_DIR=var/neo4j-test
PG_TEST_DIR=var/postgres-test
stop_servers() {
  if [ -n "${STOP_NEO4J:-}" ]; then bash scripts/neo4j.sh stop "$NEO4J_TEST_DIR" || true; fi
  if [ -n "${STOP_POSTGRES:-}" ]; then bash scripts/postgres.sh stop "$PG_TEST_DIR" || true; fi
}
trap stop_servers EXIT
if [ "${CI:-}" = "true" ] || [ "${GRAPHSVC_REQUIRE_NEO4J:-}" = "1" ]; then
  export GRAPHSVC_REQUIRE_NEO4J=1
fi
if command -v java >/dev/null && command -v mvn >/dev/null && command -v javac >/dev/null; then
  echo "== Neo4j for the second leg"
  NEO4J_BOLT_PORT=${NEO4J_TEST_PORT:-7688} bash scripts/neo4j.sh stop "$NEO4J_TEST_DIR" 2>/dev/null || true
  exports="$(NEO4J_BOLT_PORT=${NEO4J_TEST_PORT:-7688} bash scripts/neo4j.sh start "$NEO4J_TEST_DIR")"
  eval "$exports"
  unset GRAPHSVC_GRAPH_URI  # the tests choose the engine per leg
  STOP_NEO4J=1
elif [ "${GRAPHSVC_REQUIRE_NEO4J:-}" = "1" ]; then
  echo "The Neo4j leg is required here, but Java 17 (java, javac) or Maven (mvn) is missing." >&2
  exit 1
else
  echo "== Neo4j leg not run: Java 17 (java, javac) or Maven (mvn) is missing on this machine"
  unset NEO4J_URI
fi
echo "== PostgreSQL for the application-data leg"
if [ "${CI:-}" = "true" ]; then
  export GRAPHSVC_REQUIRE_POSTGRES=1
fi
if pg_exports="$(POSTGRES_PORT=${POSTGRES_TEST_PORT:-5433} bash scripts/postgres.sh start "$PG_TEST_DIR")"; then
  GRAPHSVC_TEST_APP_DB="$(echo "$pg_exports" | sed -n 's/^export GRAPHSVC_APP_DB=//p')"
  export GRAPHSVC_TEST_APP_DB
  STOP_POSTGRES=1
elif [ "${GRAPHSVC_REQUIRE_POSTGRES:-}" = "1" ]; then
  echo "The PostgreSQL leg is required here, but scripts/postgres.sh could not start it." >&2
  exit 1
else
  echo "== PostgreSQL leg not run: scripts/postgres.sh could not start PostgreSQL"
fi
unset GRAPHSVC_APP_DB  # the tests choose the backend per leg
echo "== tests"
.venv/bin/python -m pytest "$@"
