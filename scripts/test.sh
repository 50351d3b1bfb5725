#!/usr/bin/env bash
# Sets up and runs every check: ruff, Neo4j's Cypher linter, then the test suite (unit,
# integration on the real embedded engine, CLI through the real entry point, browser tests in
# headless Chromium). Extra arguments go to pytest, e.g. scripts/test.sh -k address.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
echo "== ruff"
.venv/bin/ruff check .
echo "== Cypher lint (Neo4j language support)"
node tools/lint-cypher.cjs cypher
node tools/lint-cypher.cjs tests/cypher
echo "== tests"
.venv/bin/python -m pytest "$@"
