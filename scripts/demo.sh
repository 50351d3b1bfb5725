#!/usr/bin/env bash
# Sets up graphsvc and runs it on the embedded engine with a realistic synthetic county:
# generate the data, import it, run the rule pack (which clusters the flags), create one demo user per
# role, and serve the web app on http://127.0.0.1:8000 (Ctrl-C stops the web app).
# With --engine neo4j the graph lives in a local Neo4j started by scripts/neo4j.sh (in
# var/neo4j-demo; it keeps running after the demo: scripts/neo4j.sh stop var/neo4j-demo).
# Usage: scripts/demo.sh [--scale small|county] [--seed N] [--fresh] [--engine falkordb|neo4j]
set -euo pipefail
cd "$(dirname "$0")/.."

scale=county seed=7 fresh=0 engine=falkordb
usage="usage: scripts/demo.sh [--scale small|county] [--seed N] [--fresh] [--engine falkordb|neo4j]"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --engine) engine=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
case "$engine" in falkordb|neo4j) ;; *) echo "$usage" >&2; exit 2 ;; esac

bash scripts/setup.sh
suffix=$([ "$engine" = neo4j ] && echo "-neo4j" || true)
export GRAPHSVC_DATA_DIR=${GRAPHSVC_DATA_DIR:-$PWD/var/demo-$scale$suffix}
if [ "$engine" = neo4j ]; then
  if ! command -v java >/dev/null || ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then
    echo "The Neo4j demo needs Java 17 (java, javac) and Maven (mvn), and this machine lacks" \
         "them; scripts/demo.sh without --engine runs on the embedded engine." >&2
    exit 3
  fi
  if [ "$fresh" = 1 ]; then
    bash scripts/neo4j.sh stop var/neo4j-demo || true
    rm -rf var/neo4j-demo "$GRAPHSVC_DATA_DIR"
  fi
  eval "$(bash scripts/neo4j.sh start var/neo4j-demo)"
fi
export GRAPHSVC_SECRET_KEY=${GRAPHSVC_SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')}
gs=.venv/bin/graphsvc

if [ "$fresh" = 1 ] && [ -d "$GRAPHSVC_DATA_DIR" ] && [ "$engine" = falkordb ]; then
  $gs engine stop >/dev/null 2>&1 || true
  rm -rf "$GRAPHSVC_DATA_DIR"
fi
mkdir -p "$GRAPHSVC_DATA_DIR"
$gs init-db

if [ ! -f "$GRAPHSVC_DATA_DIR/.demo-imported" ]; then
  echo "== generating the synthetic county, $scale scale (seed $seed)"
  $gs synth --scale "$scale" --seed "$seed" --out "$GRAPHSVC_DATA_DIR/synthetic"
  echo "== importing it"
  $gs import "$GRAPHSVC_DATA_DIR/synthetic"
  touch "$GRAPHSVC_DATA_DIR/.demo-imported"
fi
echo "== running the rule pack (then clustering the flags for the tasking board)"
$gs jobs run

users_file="$GRAPHSVC_DATA_DIR/demo-users.txt"
if [ ! -f "$users_file" ]; then
  echo "== creating demo users (one per role)"
  : > "$users_file"
  for role in control_room intelligence tasking admin; do
    password=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')
    printf '%s\n' "$password" | $gs users add "demo_$role" --role "$role" --password-stdin >/dev/null
    printf '%-20s %-14s %s\n' "demo_$role" "$role" "$password" >> "$users_file"
  done
  chmod 600 "$users_file"
fi
$gs status
echo
echo "Demo users (also in $users_file):"
cat "$users_file"
echo
echo "Serving on http://127.0.0.1:${GRAPHSVC_WEB_PORT:-8000}  (data in $GRAPHSVC_DATA_DIR; Ctrl-C to stop)"
exec $gs serve --host 127.0.0.1 --port "${GRAPHSVC_WEB_PORT:-8000}"
