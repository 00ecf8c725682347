#!/usr/bin/env bash
# Local Zipkin server (in-memory storage, no Docker) that the apps send their traces to.
#
#   tools/zipkin/zipkin.sh start    start (or reuse) the server on 127.0.0.1:9411
#   tools/zipkin/zipkin.sh stop     stop the server started by this script
#   tools/zipkin/zipkin.sh status   print whether it runs; exit 0 if running, 1 if not
#
# Env: ZIPKIN_PORT       the server's port (default 9411): its UI at /zipkin, spans accepted at /api/v2/spans
#      ZIPKIN_STATE_DIR  where this server keeps its log and pid (default .cache/zipkin), so a second
#                        server (the test suites') runs beside `npm start`'s
#
# The jar comes from Maven Central via tools/zipkin/pom.xml and is cached in <repo>/.cache/zipkin.
# Traces live in the server's memory: a restart forgets them.
# Script logs go to stderr; only `status` writes to stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

LIBS_DIR="$REPO_ROOT/.cache/zipkin/libs"
JAR="$LIBS_DIR/zipkin-server.jar"
STATE_DIR="${ZIPKIN_STATE_DIR:-$REPO_ROOT/.cache/zipkin}"
LOG_FILE="$STATE_DIR/zipkin.log"
PID_FILE="$STATE_DIR/zipkin.pid"
LOCK_FILE="$STATE_DIR/.lock"

HOST=127.0.0.1
PORT="${ZIPKIN_PORT:-9411}"
START_TIMEOUT_S=120
STOP_TIMEOUT_S=20
# Enough for the traces of a development session or a test run; the oldest go first.
MAX_SPANS=100000

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { printf '[zipkin] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../maven/fetch-jars.sh
source "$REPO_ROOT/tools/maven/fetch-jars.sh"

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

port_open() { # host port -> 0 if something accepts TCP connections there
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# Is pid alive and our server? Guards against pid reuse: it must be java running our jar on our port.
is_our_server() { # pid
  kill -0 "$1" 2>/dev/null || return 1
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true)"
  [[ "$cmd" == *"$JAR"* && "$cmd" == *"--server.port=$PORT"* ]]
}

server_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && is_our_server "$pid" || return 1
  printf '%s\n' "$pid"
}

lock() { # serialize concurrent start/stop of this state directory
  mkdir -p "$STATE_DIR"
  exec 9>"$LOCK_FILE"
  flock 9
}

ensure_jar() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 17+; set JAVA_HOME or PATH)"
  fetch_jars "the Zipkin server jar" "$POM" "$LIBS_DIR" dependency:copy
}

launch_server() {
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  rm -f "$PID_FILE"
  # setsid: own session, so the server outlives the calling shell; 9>&- : it must not inherit the lock.
  # Loopback only, in-memory storage, no self-tracing.
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -jar "$JAR" --server.port="$PORT" \
    "--armeria.ports[0].ip=$HOST" "--armeria.ports[0].port=$PORT" "--armeria.ports[0].protocols[0]=http" \
    --zipkin.storage.type=mem --zipkin.storage.mem.max-spans="$MAX_SPANS" --zipkin.self-tracing.enabled=false \
    </dev/null >"$LOG_FILE" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && return 0
    sleep 0.1
  done
  die "server process did not start (see $LOG_FILE)"
}

wait_until_ready() {
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while :; do
    server_pid >/dev/null || { tail -n 40 "$LOG_FILE" >&2 || true; die "server exited during startup (full log: $LOG_FILE)"; }
    # Armeria opens the port once the server is ready to serve.
    port_open "$HOST" "$PORT" && return 0
    if ((SECONDS >= deadline)); then
      tail -n 40 "$LOG_FILE" >&2 || true
      die "server not ready after ${START_TIMEOUT_S}s (full log: $LOG_FILE)"
    fi
    sleep 0.5
  done
}

cmd_start() {
  local t0=$SECONDS pid
  lock
  ensure_jar
  if pid="$(server_pid)"; then
    log "server already running (pid $pid), reusing it"
  else
    port_open "$HOST" "$PORT" && die "port $PORT on $HOST is in use by a process this script did not start"
    log "starting on $HOST:$PORT (log: ${LOG_FILE#"$REPO_ROOT"/})"
    launch_server
  fi
  wait_until_ready
  log "ready after $((SECONDS - t0))s: UI http://$HOST:$PORT/zipkin/"
}

cmd_stop() {
  lock
  local pid
  if ! pid="$(server_pid)"; then
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping server (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while is_our_server "$pid"; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
  rm -f "$PID_FILE"
  log "server stopped"
}

cmd_status() {
  local pid
  if pid="$(server_pid)"; then
    echo "running (pid $pid) on http://$HOST:$PORT"
    return 0
  fi
  echo "not running"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
