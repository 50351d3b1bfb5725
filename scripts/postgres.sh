#!/usr/bin/env bash
# A local PostgreSQL for the application data (users, sessions, audit log), for tests, benches
# and the demo, run from Debian's package (installed with apt-get on first use), the way
# scripts/neo4j.sh runs Neo4j.
#
#   scripts/postgres.sh start [DIR]    create the cluster in DIR (first time), start it, wait
#                                      for it, and print the line to eval:
#                                      eval "$(scripts/postgres.sh start)"
#   scripts/postgres.sh stop [DIR]     stop it (the data stays in DIR)
#   scripts/postgres.sh status [DIR]   say whether it runs, and where
#
# DIR defaults to var/postgres. It listens on 127.0.0.1:$POSTGRES_PORT (default 5433) only,
# with a database and a role called graphsvc whose password (random, made at creation) is in
# DIR/password. Run as root, the server runs as Debian's `postgres` user (PostgreSQL refuses
# root). Messages go to stderr; only the export line goes to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COMMAND="${1:-}"
DIR="${2:-$ROOT/var/postgres}"
PORT="${POSTGRES_PORT:-5433}"
say() { echo "$*" >&2; }

mkdir -p "$DIR" 2>/dev/null || { say "Cannot create the PostgreSQL folder $DIR."; exit 2; }
DIR="$(cd "$DIR" && pwd)"
# Where the server's own files go: DIR, unless we are root and Debian's postgres user cannot
# reach DIR (e.g. a clone under /root): then a folder of its own under /var/lib/postgresql.
RUN="$DIR"
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$DIR" 2>/dev/null; then
  RUN="/var/lib/postgresql/graphsvc-$(echo "$DIR" | sha1sum | cut -c1-12)"
  mkdir -p "$RUN"
fi
DATA="$RUN/data"

bindir() {  # the newest installed server's bin folder
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$found" ] && [ -x "$found/initdb" ] && echo "$found"
}

install_server() {
  say "== installing PostgreSQL from Debian's packages (first use)"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

as_owner() {  # run a server program as the data's owner (postgres when we are root)
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

exports() {
  echo "export GRAPHSVC_APP_DB=postgresql://graphsvc:$(cat "$DIR/password")@127.0.0.1:$(cat "$DIR/port")/graphsvc"
}

running() {
  [ -n "${BIN:-}" ] && [ -f "$DATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

BIN="$(bindir || true)"
case "$COMMAND" in
  start)
    if [ -z "$BIN" ]; then
      install_server
      BIN="$(bindir)" || { say "PostgreSQL could not be installed (apt-get install postgresql)."; exit 2; }
    fi
    if running; then
      say "PostgreSQL already runs for $DIR (port $(cat "$DIR/port"))."
      exports
      exit 0
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
      say "== creating a PostgreSQL cluster in $DATA"
      umask 077
      head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/password"
      if [ "$RUN" != "$DIR" ]; then cp "$DIR/password" "$RUN/password"; fi
      mkdir -p "$DATA"
      if [ "$(id -u)" = 0 ]; then chown -R postgres "$RUN"; fi
      as_owner "$BIN/initdb" -D "$DATA" -U graphsvc --pwfile="$RUN/password" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$RUN/initdb.log" 2>&1 \
        || { say "initdb failed: see $RUN/initdb.log"; exit 2; }
      cat >> "$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RUN'
max_connections = 200
shared_buffers = 256MB
fsync = on
EOF
    fi
    if [ ! -f "$DIR/password" ] && [ -f "$RUN/password" ]; then  # a cluster kept from before
      (umask 077; cp "$RUN/password" "$DIR/password")
    fi
    echo "$PORT" > "$DIR/port"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$RUN"; fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$RUN/postgres.log" -o "-p $PORT" -w -t 60 start >/dev/null \
      || { say "PostgreSQL did not start: see $RUN/postgres.log"; exit 2; }
    if ! PGPASSWORD="$(cat "$DIR/password")" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U graphsvc \
        -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'graphsvc'" | grep -q 1; then
      PGPASSWORD="$(cat "$DIR/password")" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U graphsvc graphsvc
    fi
    say "PostgreSQL runs on 127.0.0.1:$PORT (data in $DATA)."
    exports
    ;;
  stop)
    if running; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
      say "PostgreSQL stopped ($DIR)."
    else
      say "PostgreSQL does not run for $DIR."
    fi
    ;;
  status)
    if running; then
      say "PostgreSQL runs for $DIR on 127.0.0.1:$(cat "$DIR/port")."
      exports
    else
      say "PostgreSQL does not run for $DIR."
      exit 3
    fi
    ;;
  *)
    say "Usage: scripts/postgres.sh start|stop|status [DIR]"
    exit 2
    ;;
esac
