#!/usr/bin/env bash
# A two-node Keycloak cluster (embedded Infinispan over JGroups jdbc-ping) sharing one throw-away
# PostgreSQL, all on 127.0.0.1, for the cluster ITs. Follows the cluster recipe in the team's reference
# notes (cluster-recipe.md).
#
#   cluster.sh up        start PostgreSQL, node A, node B (each only if not running); wait until clustered
#   cluster.sh down      stop everything this script started (Keycloak nodes, then PostgreSQL)
#   cluster.sh kill-a    SIGKILL node A's process group
#   cluster.sh start-a   start node A again and wait until both nodes see a cluster of 2
#   cluster.sh uninstall-a   what an admin does to remove the extension, on node A (which must be down):
#                        a copy of node A's Keycloak without the JAR, kc.sh build, start; the copy lives
#                        in node-a-uninstalled, so the next "up" starts node A with the extension again
#   cluster.sh pg-stop   stop PostgreSQL (fast shutdown)   cluster.sh pg-start   start it again
#   cluster.sh sql STMT  run one SQL statement on the keycloak database as the postgres superuser;
#                        prints its result (unaligned, tuples only)
#   cluster.sh status    what runs
#
# Environment: KC_DIST (unpacked keycloak-26.7.3 directory), PASSKEYS_JAR (the extension JAR),
# STATE_DIR (default target/cluster), PORT_BASE (default 18100), PG_PORT (default 15432),
# KC_ADMIN_PASSWORD (bootstrap admin "admin"'s password).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
KC_VERSION=26.7.3
KC_DIST="${KC_DIST:-$ROOT/target/keycloak-dist/keycloak-$KC_VERSION}"
PASSKEYS_JAR="${PASSKEYS_JAR:-$(ls "$ROOT"/target/keycloak-passkeys-*.jar 2>/dev/null | head -1)}"
STATE_DIR="${STATE_DIR:-$ROOT/target/cluster}"
PORT_BASE="${PORT_BASE:-18100}"
PG_PORT="${PG_PORT:-15432}"
KC_ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-admin-it-password}"
RUN="$STATE_DIR/run"
LOGS="$STATE_DIR/logs"
READY_TIMEOUT="${READY_TIMEOUT:-240}"

die() { echo "cluster: $*" >&2; exit 1; }
say() { echo "cluster: $(date +%T) $*" >&2; }

# Ports of a node: http, management, JGroups (FD_SOCK2 = JGroups + 10).
http_port() { [ "$1" = a ] && echo $((PORT_BASE)) || echo $((PORT_BASE + 2)); }
mgmt_port() { [ "$1" = a ] && echo $((PORT_BASE + 1)) || echo $((PORT_BASE + 3)); }
jgroups_port() { [ "$1" = a ] && echo $((PORT_BASE + 10)) || echo $((PORT_BASE + 11)); }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql package"
  echo "$dir"
}

# As root, PostgreSQL must run as the postgres OS user; otherwise as ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The data directory: under STATE_DIR unless the postgres user cannot enter it (e.g. below /root).
pg_dir() {
  if [ -f "$RUN/pg-dir" ]; then cat "$RUN/pg-dir"; return; fi
  local dir="$STATE_DIR/pg"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$STATE_DIR"; then
    dir=$(mktemp -d /tmp/kcpasskeys-cluster-pg.XXXXXX)
  fi
  echo "$dir" > "$RUN/pg-dir"
  echo "$dir"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_running() {
  local dir; dir=$(pg_dir)
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

pg_start() {
  local bin dir; bin=$(pg_bin); dir=$(pg_dir)
  pg_running && return 0
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir/run"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
      --locale=C >"$LOGS/initdb.log" 2>&1 || die "initdb failed, see $LOGS/initdb.log"
    printf '%s\n' "fsync = off" "synchronous_commit = off" "full_page_writes = off" >>"$dir/data/postgresql.conf"
    local fresh=1
  fi
  port_free "$PG_PORT" || die "port $PG_PORT is taken: another cluster or PostgreSQL runs (set PG_PORT)"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/run" start >/dev/null \
    || die "PostgreSQL did not start, see $dir/postgres.log"
  if [ -n "${fresh:-}" ]; then
    as_pg "$bin/psql" -q -h "$dir/run" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "create role keycloak login password 'keycloak'" -c "create database keycloak owner keycloak" \
      >/dev/null || die "could not create the keycloak role and database"
  fi
}

pg_stop() {
  local dir; dir=$(pg_dir)
  pg_running || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
}

pg_sql() {
  local dir; dir=$(pg_dir)
  pg_running || die "PostgreSQL is not running"
  as_pg "$(pg_bin)/psql" -q -At -h "$dir/run" -p "$PG_PORT" -U postgres -d keycloak -v ON_ERROR_STOP=1 -c "$1"
}

# One optimized build with our JAR, rebuilt when the JAR changes; copied per node.
build() {
  [ -x "$KC_DIST/bin/kc.sh" ] || die "no Keycloak distribution at $KC_DIST (run ./mvnw verify, which unpacks it)"
  [ -f "$PASSKEYS_JAR" ] || die "the extension JAR is missing (PASSKEYS_JAR=$PASSKEYS_JAR): run ./mvnw package"
  local stamp; stamp=$(sha256sum "$PASSKEYS_JAR" | cut -c1-64)
  if [ "$(cat "$STATE_DIR/build/.stamp" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  say "building the Keycloak distribution with $(basename "$PASSKEYS_JAR")"
  rm -rf "$STATE_DIR/build" "$STATE_DIR/node-a" "$STATE_DIR/node-b"
  cp -a "$KC_DIST" "$STATE_DIR/build"
  cp "$PASSKEYS_JAR" "$STATE_DIR/build/providers/"
  "$STATE_DIR/build/bin/kc.sh" build --db=postgres --health-enabled=true >"$LOGS/build.log" 2>&1 \
    || die "kc.sh build failed, see $LOGS/build.log"
  echo "$stamp" >"$STATE_DIR/build/.stamp"
}

node_pgid() { cat "$RUN/node-$1.pid" 2>/dev/null || true; }

node_running() {
  local pgid; pgid=$(node_pgid "$1")
  [ -n "$pgid" ] && kill -0 -- "-$pgid" 2>/dev/null
}

node_start() {
  local n=$1 home=${2:-$STATE_DIR/node-$1}
  node_running "$n" && return 0
  [ -d "$home" ] || cp -a "$STATE_DIR/build" "$home"
  local p
  for p in "$(http_port "$n")" "$(mgmt_port "$n")" "$(jgroups_port "$n")" $(($(jgroups_port "$n") + 10)); do
    port_free "$p" || die "port $p (node $n) is taken: another cluster runs (set PORT_BASE)"
  done
  say "starting node $n on http $(http_port "$n")"
  # A fresh log per start, so that waiting for the cluster view reads only this start's lines.
  [ -f "$LOGS/node-$n.log" ] && mv "$LOGS/node-$n.log" "$LOGS/node-$n.$(date +%s).log"
  JAVA_OPTS_APPEND="-Djgroups.fd.port-offset=10 -Djgroups.port_range=0" \
  JAVA_OPTS_KC_HEAP="-Xms128m -Xmx768m" \
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
  setsid "$home/bin/kc.sh" start --optimized \
    --db=postgres --db-url="jdbc:postgresql://127.0.0.1:$PG_PORT/keycloak" \
    --db-username=keycloak --db-password=keycloak \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$(http_port "$n")" \
    --http-management-port="$(mgmt_port "$n")" \
    --hostname-strict=false --cache=ispn --cache-stack=jdbc-ping \
    --cache-embedded-network-bind-address=127.0.0.1 \
    --cache-embedded-network-bind-port="$(jgroups_port "$n")" \
    --spi-cache-embedded--default--node-name="node-$n" \
    --log-level=INFO,dev.kcpasskeys:DEBUG \
    </dev/null >>"$LOGS/node-$n.log" 2>&1 &
  echo $! >"$RUN/node-$n.pid"
}

initialized() {
  curl -s --max-time 3 "http://127.0.0.1:$(mgmt_port "$1")/health/ready" 2>/dev/null | tr -d ' \n' \
    | grep -q '"name":"KeycloakInitialized","status":"UP"'
}

clustered() { grep 'ISPN000094' "$LOGS/node-$1.log" 2>/dev/null | tail -1 | grep -q ' (2) '; }

await() {
  local what=$1; shift
  local deadline=$((SECONDS + READY_TIMEOUT))
  until "$@"; do
    for n in a b; do
      if [ -f "$RUN/node-$n.pid" ] && ! node_running "$n"; then die "node $n exited while waiting for: $what (see $LOGS/node-$n.log)"; fi
    done
    [ $SECONDS -lt $deadline ] || die "timed out after ${READY_TIMEOUT}s waiting for: $what (logs in $LOGS)"
    sleep 0.5
  done
}

both_clustered() { clustered a && clustered b; }

node_stop() {
  local n=$1 signal=${2:-TERM} pgid
  pgid=$(node_pgid "$n")
  [ -n "$pgid" ] || return 0
  if kill -0 -- "-$pgid" 2>/dev/null; then
    kill -"$signal" -- "-$pgid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  rm -f "$RUN/node-$n.pid"
}

up() {
  local started=$SECONDS
  command -v curl >/dev/null || die "curl is required"
  mkdir -p "$RUN" "$LOGS"
  # Whatever fails from here on, leave nothing running.
  trap 'rc=$?; if [ $rc -ne 0 ]; then say "up failed, stopping what runs"; down; fi' EXIT
  pg_start
  build
  node_start a
  await "node a initialized" initialized a
  node_start b
  await "node b initialized" initialized b
  await "a cluster of 2 in both nodes' logs" both_clustered
  trap - EXIT
  say "up in $((SECONDS - started))s: A http://localhost:$(http_port a)  B http://localhost:$(http_port b)"
}

down() {
  mkdir -p "$RUN"
  node_stop b
  node_stop a
  if [ -d "$RUN" ] && [ -f "$RUN/pg-dir" ]; then pg_stop || true; fi
}

start_a() {
  node_start a
  await "node a initialized" initialized a
  # A fresh log line in both logs: wait until the last view line of each says 2 again.
  await "node a rejoined (cluster of 2)" both_clustered
}

uninstall_a() {
  node_running a && die "stop node A before uninstalling the extension from it"
  local home="$STATE_DIR/node-a-uninstalled"
  rm -rf "$home"
  cp -a "$STATE_DIR/build" "$home"
  rm -f "$home"/providers/keycloak-passkeys-*.jar
  say "kc.sh build on node A without the extension"
  "$home/bin/kc.sh" build --db=postgres --health-enabled=true >"$LOGS/build-uninstalled.log" 2>&1 \
    || die "kc.sh build without the extension failed, see $LOGS/build-uninstalled.log"
  node_start a "$home"
  await "node a (without the extension) initialized" initialized a
}

mkdir -p "$RUN" "$LOGS"
case "${1:-}" in
  up) up ;;
  down) down ;;
  kill-a) node_stop a KILL ;;
  start-a) start_a ;;
  uninstall-a) uninstall_a ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  sql) [ -n "${2:-}" ] || die "usage: cluster.sh sql STATEMENT"; pg_sql "$2" ;;
  status)
    for n in a b; do node_running "$n" && echo "node $n: running" || echo "node $n: stopped"; done
    pg_running && echo "postgresql: running" || echo "postgresql: stopped" ;;
  *) die "usage: cluster.sh up|down|kill-a|start-a|uninstall-a|pg-stop|pg-start|sql STATEMENT|status" ;;
esac
