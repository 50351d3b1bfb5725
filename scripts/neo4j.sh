#!/usr/bin/env bash
# A local Neo4j Community server for tests, benches and the demo, run from its jars (no Docker).
#
#   scripts/neo4j.sh start [DIR]    fetch Neo4j (first time), start it, wait for Bolt, and print
#                                   the lines to eval: eval "$(scripts/neo4j.sh start)"
#   scripts/neo4j.sh stop [DIR]     stop it (the data stays in DIR)
#   scripts/neo4j.sh status [DIR]   say whether it runs, and where
#
# DIR defaults to var/neo4j. The version is pinned in tools/neo4j/pom.xml; the jars go to
# .cache/neo4j/VERSION/ (git ignores it). Bolt listens on 127.0.0.1:$NEO4J_BOLT_PORT (default
# 7687). Memory suits a 2-core, 24 GB machine: NEO4J_HEAP (default 2g) and NEO4J_PAGECACHE
# (default 2g), and NEO4J_GC the collector (default G1GC; ParallelGC paused the county import 11.5 s
# against G1's 44 s, but used as much JVM CPU in all: 119 s against 115 s, at load 10). The JIT
# is left at its default: C1 only (-XX:TieredStopAtLevel=1) saved the C2 compiler's 45-50 s of
# CPU but made a cold county import 39% slower (docs/neo4j.md, "A cold server").
# Session 12 measured, for the cold first rule run, internal.cypher.expression_engine,
# parser.antlr_enabled, idp_solver_duration_threshold, use_parameter_size, CompileThresholdScaling,
# AlwaysPreTouch and ParallelGC against these defaults, in pairs: none reaches the 15 s target,
# and only ParallelGC (or SerialGC) gained on it (about 10%) while slowing the warm run, so the
# defaults stay (docs/neo4j.md, "Session 12: settings for a cold server"; scripts/neo4j-ab.sh
# runs a pair).
# NEO4J_JAVA_OPTS adds JVM options and NEO4J_EXTRA_CONF adds neo4j.conf settings (both
# space-separated, e.g. NEO4J_EXTRA_CONF="internal.cypher.expression_engine=INTERPRETED"), for
# trying a setting without editing this script; docs/neo4j.md says why the defaults are what
# they are.
# It keeps two transaction log files of 128 MB, not Neo4j's two days: a county import and clear
# left 2 GB of logs each, and test and bench servers filled the disk. Messages go to stderr;
# only the export lines go to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COMMAND="${1:-}"
DIR="${2:-$ROOT/var/neo4j}"
mkdir -p "$DIR" 2>/dev/null || { echo "Cannot create the Neo4j folder $DIR." >&2; exit 2; }
DIR="$(cd "$DIR" && pwd)"
PORT="${NEO4J_BOLT_PORT:-7687}"
HEAP="${NEO4J_HEAP:-2g}"
PAGECACHE="${NEO4J_PAGECACHE:-2g}"
GC="${NEO4J_GC:-G1GC}"
read -r -a EXTRA_OPTS <<< "${NEO4J_JAVA_OPTS:-}"
VERSION="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$ROOT/tools/neo4j/pom.xml")"
CACHE="${GRAPHSVC_NEO4J_CACHE:-$ROOT/.cache/neo4j}/$VERSION"

say() { echo "$*" >&2; }

running_pid() {  # the pid of the server of DIR, if it runs
  local pid
  [ -f "$DIR/neo4j.pid" ] || return 1
  pid="$(cat "$DIR/neo4j.pid")"
  if kill -0 "$pid" 2>/dev/null && grep -q Launcher "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    return 1
  fi
}

exports() {
  local uri="bolt://127.0.0.1:$(cat "$DIR/bolt.port")"
  echo "export NEO4J_URI=$uri"
  echo "export NEO4J_USER=neo4j"
  echo "export NEO4J_PASSWORD=$(cat "$DIR/password")"
  echo "export GRAPHSVC_GRAPH_URI=$uri"
}

fetch() {  # the jars once per version; the launcher compiled whenever its source changes
  command -v java >/dev/null && command -v mvn >/dev/null && command -v javac >/dev/null || {
    say "Neo4j needs Java 17 (java, javac) and Maven (mvn), and this machine lacks them."; exit 3; }
  if [ ! -f "$CACHE/ready" ]; then
    say "== fetching Neo4j $VERSION with Maven into $CACHE (once)"
    rm -rf "$CACHE" && mkdir -p "$CACHE"
    (cd "$ROOT/tools/neo4j" && mvn -q -B dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$CACHE/lib" >&2) || { say "Maven could not fetch Neo4j $VERSION."; exit 3; }
    touch "$CACHE/ready"
  fi
  # The launcher goes in a jar: a class-data-sharing archive refuses a class path that names a
  # non-empty directory.
  local source="$ROOT/tools/neo4j/Launcher.java"
  if [ ! -f "$CACHE/launcher.jar" ] || [ "$source" -nt "$CACHE/launcher.jar" ]; then
    rm -rf "$CACHE/classes" && mkdir -p "$CACHE/classes"
    javac -d "$CACHE/classes" -cp "$CACHE/lib/*" "$source" >&2
    jar cf "$CACHE/launcher.jar" -C "$CACHE/classes" . >&2
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  if pid="$(running_pid)"; then
    say "Neo4j is already running for $DIR (pid $pid)."
    exports
    return 0
  fi
  fetch
  if port_busy "$PORT"; then
    say "Port $PORT on 127.0.0.1 is taken by another program: set NEO4J_BOLT_PORT to a free one."
    exit 2
  fi
  [ -f "$DIR/password" ] || { head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/password"; }
  chmod 600 "$DIR/password"
  echo "$PORT" > "$DIR/bolt.port"
  cat > "$DIR/neo4j.conf" <<CONF
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
server.memory.pagecache.size=$PAGECACHE
db.memory.transaction.total.max=0
db.tx_log.rotation.size=128M
db.tx_log.rotation.retention_policy=2 files
dbms.usage_report.enabled=false
CONF
  [ -z "${NEO4J_EXTRA_CONF:-}" ] || tr ' ' '\n' <<< "$NEO4J_EXTRA_CONF" >> "$DIR/neo4j.conf"
  rm -f "$DIR/ready" "$DIR/neo4j.pid"
  local started=$SECONDS
  say "== starting Neo4j $VERSION for $DIR on 127.0.0.1:$PORT"
  # A session of its own (setsid --fork), so a Ctrl-C meant for the caller does not stop it; the
  # launcher writes its own pid first thing.
  # NewRatio=2: a young generation of a third of the heap, fixed (docs/neo4j.md, "JVM settings").
  setsid --fork java -Xms"$HEAP" -Xmx"$HEAP" -XX:+Use"$GC" -XX:NewRatio=2 ${EXTRA_OPTS[@]+"${EXTRA_OPTS[@]}"} \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED -Dio.netty.tryReflectionSetAccessible=true \
    -cp "$CACHE/lib/*:$CACHE/launcher.jar" Launcher "$DIR" > "$DIR/neo4j.log" 2>&1 < /dev/null
  for _ in $(seq 1 100); do [ -s "$DIR/neo4j.pid" ] && break; sleep 0.1; done
  until [ -f "$DIR/ready" ] && port_busy "$PORT"; do
    if ! running_pid >/dev/null; then
      say "Neo4j did not start; its log is $DIR/neo4j.log:"
      tail -n 5 "$DIR/neo4j.log" >&2
      rm -f "$DIR/neo4j.pid"
      exit 4
    fi
    if (( SECONDS - started > 180 )); then
      say "Neo4j did not answer on Bolt within 180 s; its log is $DIR/neo4j.log."
      stop >/dev/null; exit 4
    fi
    sleep 0.5
  done
  say "Neo4j is ready in $((SECONDS - started)) s (pid $(cat "$DIR/neo4j.pid"))."
  exports
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$DIR/neo4j.pid" "$DIR/ready"
    say "Neo4j is not running for $DIR."
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "Neo4j did not stop within 60 s; killing it."
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$DIR/neo4j.pid" "$DIR/ready"
  say "Neo4j stopped ($DIR)."
}

status() {
  if pid="$(running_pid)"; then
    say "Neo4j $VERSION is running for $DIR (pid $pid) on bolt://127.0.0.1:$(cat "$DIR/bolt.port")."
  else
    say "Neo4j is not running for $DIR."
    return 1
  fi
}

case "$COMMAND" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) say "usage: scripts/neo4j.sh start|stop|status [DIR]"; exit 2 ;;
esac
