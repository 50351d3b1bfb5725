#!/usr/bin/env bash
# A/B of Neo4j server settings on the cold first rule run: two servers started at the same time,
# one per county copy, then `python -m bench rules --runs-only` on both at the same time, so that
# both see the same load (docs/neo4j.md, "Session 12: settings for a cold server").
#
#   scripts/neo4j-ab.sh OUT A_DIR A_DATA "A_CONF" "A_JAVA_OPTS" B_DIR B_DATA "B_CONF" "B_JAVA_OPTS"
#
# A_DIR, B_DIR: Neo4j folders (scripts/neo4j.sh) each holding the county that bench rules built
# there (a stopped folder copied with `cp -a` is a second one); A_DATA, B_DATA: the bench's
# --data-dir of each. *_CONF and *_JAVA_OPTS are passed as NEO4J_EXTRA_CONF and NEO4J_JAVA_OPTS.
# Ports: NEO4J_BOLT_PORT for A (default 7721) and NEO4J_BOLT_PORT_B for B (default 7722).
# Writes OUT-a.json and OUT-b.json, and stops both servers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -eq 9 ] || { echo "usage: $0 OUT A_DIR A_DATA A_CONF A_OPTS B_DIR B_DATA B_CONF B_OPTS" >&2; exit 2; }
OUT="$1"
cd "$ROOT"

side() {  # NAME PORT DIR DATA CONF OPTS
  local env log="$3/home/logs/debug.log" seen=0
  [ -f "$log" ] && seen=$(stat -c %s "$log")
  env="$(NEO4J_BOLT_PORT="$2" NEO4J_EXTRA_CONF="$5" NEO4J_JAVA_OPTS="$6" scripts/neo4j.sh start "$3")" \
    || { echo "$1: Neo4j did not start" >&2; touch "$OUT-$1.ready"; return 1; }
  for setting in $5; do  # a name Neo4j does not know would be ignored or refused: say so
    tail -c +"$((seen + 1))" "$log" | grep -q "${setting%%=*}=" \
      || echo "$1: $setting is not in this start's debug log" >&2
  done
  touch "$OUT-$1.ready"
  until [ -f "$OUT-a.ready" ] && [ -f "$OUT-b.ready" ]; do sleep 0.5; done
  (eval "$env"; .venv/bin/python -m bench rules --scale county --engine neo4j --runs-only \
      --data-dir "$4" > "$OUT-$1.json") || echo "$1: the bench failed" >&2
  scripts/neo4j.sh stop "$3"
  rm -f "$OUT-$1.ready"
}

rm -f "$OUT-a.ready" "$OUT-b.ready"
side a "${NEO4J_BOLT_PORT:-7721}" "$2" "$3" "$4" "$5" &
side b "${NEO4J_BOLT_PORT_B:-7722}" "$6" "$7" "$8" "$9" &
wait
rm -f "$OUT-a.ready" "$OUT-b.ready"
