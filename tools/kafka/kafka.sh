#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, no ZooKeeper, no Docker) for development and tests.
#
#   tools/kafka/kafka.sh start    start (or reuse) the broker on 127.0.0.1:9092, ensure the topics and ACLs
#   tools/kafka/kafka.sh stop     stop the broker started by this script
#   tools/kafka/kafka.sh status   print whether it runs; exit 0 if running, 1 if not
#   tools/kafka/kafka.sh reset    stop and delete the broker's data (keeps the downloaded jars)
#   tools/kafka/kafka.sh freeze   suspend the broker's process (SIGSTOP): its connections stay open, unanswered,
#                                 as with a hung broker (the fault suite's); `thaw` resumes it (SIGCONT)
#   tools/kafka/kafka.sh fetch    download the jars if they are missing or pom.xml changed (start does too)
#
# Env: KAFKA_BROKERS     if non-empty, `start` uses that external cluster and does nothing
#      KAFKA_TOPICS      space-separated topic names (default: the names in libs/contracts/src/lib/topics.json);
#                        a "<name>.DLT" dead-letter topic is created for each
#      KAFKA_PARTITIONS  partitions per topic (default 3)
#      KAFKA_PORT        the broker's port (default 9092; the controller listens on the next one)
#      KAFKA_TLS_PORT    the port of its TLS listener (SASL_SSL; default two above KAFKA_PORT),
#                        whose certificate a CA of its own signs: clients trust <state dir>/tls/ca.pem
#      KAFKA_STATE_DIR   where this broker keeps its data, config, log and pid (default .cache/kafka),
#                        so a second broker (the test suites') runs beside `npm start`'s
#
# Clients authenticate with SASL/SCRAM-SHA-512 as one of the principals of principals.js, whose
# users are created when the storage is formatted; each start sets the ACLs to principals.js's.
# Jars come from Maven Central via tools/kafka/pom.xml and are cached in <repo>/.cache/kafka.
# Script logs go to stderr; only `status` writes to stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"

LIBS_DIR="$REPO_ROOT/.cache/kafka/libs"
CACHE_DIR="${KAFKA_STATE_DIR:-$REPO_ROOT/.cache/kafka}"
DATA_DIR="$CACHE_DIR/data"
CONF_FILE="$CACHE_DIR/server.properties"
ADMIN_CONF_FILE="$CACHE_DIR/admin.properties"
USERS_STAMP="$DATA_DIR/scram-users.sha256"
BROKER_LOG4J="$CACHE_DIR/log4j.properties"
TOOLS_LOG4J="$CACHE_DIR/tools-log4j.properties"
LOG_FILE="$CACHE_DIR/kafka.log"
PID_FILE="$CACHE_DIR/kafka.pid"
LOCK_FILE="$CACHE_DIR/.lock"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT=$((PORT + 1))
TLS_PORT="${KAFKA_TLS_PORT:-$((PORT + 2))}"
BOOTSTRAP="$HOST:$PORT"
TLS_DIR="$CACHE_DIR/tls"
TLS_CA="$TLS_DIR/ca.pem"
TLS_KEYSTORE="$TLS_DIR/broker.p12"
# The TLS listener's keystores are made here for a developer's machine only, like the
# principals' development passwords; a production cluster has its own certificates.
TLS_STORE_PASSWORD=petstore-dev-tls
NODE_ID=1
START_TIMEOUT_S=90
STOP_TIMEOUT_S=30

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KEYTOOL="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
# Kafka CLI classes with the cached jars and quiet logging. Short-lived JVMs: C1 only and the
# serial GC start noticeably faster.
TOOL=("$JAVA" -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$TOOLS_LOG4J" -cp "$LIBS_DIR/*")

log() { printf '[kafka] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=../maven/fetch-jars.sh
source "$REPO_ROOT/tools/maven/fetch-jars.sh"

usage() {
  sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

# ---------------------------------------------------------------------------
# helpers

port_open() { # host port -> 0 if something accepts TCP connections there
  if command -v timeout >/dev/null 2>&1; then
    # shellcheck disable=SC2016
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
  fi
}

proc_cmdline() { # pid -> its command line (empty if gone)
  if [[ -r "/proc/$1/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true
  else
    ps -p "$1" -o args= 2>/dev/null || true
  fi
}

# Is pid alive and our broker? Guards against pid reuse: it must be kafka.Kafka running on our
# config file (a zombie has an empty command line, so it counts as gone).
is_our_broker() { # pid
  kill -0 "$1" 2>/dev/null || return 1
  local cmd
  cmd="$(proc_cmdline "$1")"
  [[ "$cmd" == *kafka.Kafka* && "$cmd" == *"$CONF_FILE"* ]]
}

# Prints the pid of the broker this script started (per the pid file) if it is alive; else fails.
broker_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && is_our_broker "$pid" || return 1
  printf '%s\n' "$pid"
}

with_timeout() { # seconds cmd...
  local s="$1"; shift
  if command -v timeout >/dev/null 2>&1; then timeout "$s" "$@"; else "$@"; fi
}

lock() { # serialize concurrent start/stop/reset of this checkout
  mkdir -p "$CACHE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock 9
  fi
}

# ---------------------------------------------------------------------------
# setup

ensure_cache_dir() {
  mkdir -p "$CACHE_DIR" "$(dirname "$LIBS_DIR")"
  # Keep the cache out of git even if the repo's .gitignore does not list it.
  [[ -f "$REPO_ROOT/.cache/.gitignore" ]] || printf '*\n' >"$REPO_ROOT/.cache/.gitignore"
}

ensure_libs() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 11+; set JAVA_HOME or PATH)"
  fetch_jars "the Kafka jars" "$POM" "$LIBS_DIR" dependency:copy-dependencies -DincludeScope=runtime -DoverWriteIfNewer=true
}

principals() { # command args... -> what tools/kafka/principals.js prints
  node "$SCRIPT_DIR/principals.js" "$@"
}

write_configs() {
  mkdir -p "$DATA_DIR"
  local admin_jaas mechanism
  admin_jaas="$(principals admin-jaas "$PORT")"
  mechanism="$(sed -n 's/^sasl.mechanism.inter.broker.protocol=//p' "$SCRIPT_DIR/broker.properties")"
  # The controller listener stays PLAINTEXT: it is on the loopback address, for this node's own broker.
  (umask 077 && cat >"$CONF_FILE" <<EOF
# Generated by tools/kafka/kafka.sh on each start; edits are overwritten.
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=$NODE_ID@$HOST:$CONTROLLER_PORT
listeners=SASL_PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT,SASL_SSL://$HOST:$TLS_PORT
advertised.listeners=SASL_PLAINTEXT://$BOOTSTRAP,SASL_SSL://$HOST:$TLS_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
listener.name.sasl_plaintext.${mechanism,,}.sasl.jaas.config=$admin_jaas
listener.name.sasl_ssl.${mechanism,,}.sasl.jaas.config=$admin_jaas
listener.name.sasl_ssl.ssl.keystore.type=PKCS12
listener.name.sasl_ssl.ssl.keystore.location=$TLS_KEYSTORE
listener.name.sasl_ssl.ssl.keystore.password=$TLS_STORE_PASSWORD
log.dirs=$DATA_DIR
$(grep -v '^#' "$SCRIPT_DIR/broker.properties")
EOF
  )
  # The admin's client settings, for the Kafka CLI tools (see README.md).
  (umask 077 && cat >"$ADMIN_CONF_FILE" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=$mechanism
sasl.jaas.config=$admin_jaas
EOF
  )

  cat >"$BROKER_LOG4J" <<'EOF'
# Broker logging (stdout is redirected to .cache/kafka/kafka.log by kafka.sh)
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.clients.NetworkClient=ERROR
EOF

  cat >"$TOOLS_LOG4J" <<'EOF'
# CLI tools: warnings and errors only, on stderr
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
log4j.logger.org.apache.kafka.clients.NetworkClient=ERROR
EOF
}

# The TLS listener's certificate, made once per state dir: a private CA, whose certificate clients
# trust (tls/ca.pem), and the broker's key with a certificate for 127.0.0.1 and localhost signed by it.
ensure_tls() {
  [[ -f "$TLS_KEYSTORE" && -f "$TLS_CA" ]] && return 0
  log "creating the TLS listener's CA and certificate in ${TLS_DIR#"$REPO_ROOT"/}"
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local ca_store="$TLS_DIR/ca.p12" out="$TLS_DIR/keytool.log" previous_umask
  previous_umask="$(umask)"
  umask 077
  local -a store=(-storetype PKCS12 -storepass "$TLS_STORE_PASSWORD") key=(-keyalg EC -groupname secp256r1 -validity 3650)
  if ! {
    "$KEYTOOL" -genkeypair -alias ca -dname "CN=petstore development Kafka CA" -ext bc:c "${key[@]}" -keystore "$ca_store" "${store[@]}" &&
      "$KEYTOOL" -exportcert -rfc -alias ca -keystore "$ca_store" "${store[@]}" -file "$TLS_CA.part" &&
      "$KEYTOOL" -genkeypair -alias broker -dname "CN=$HOST" "${key[@]}" -keystore "$TLS_KEYSTORE" "${store[@]}" &&
      "$KEYTOOL" -certreq -alias broker -keystore "$TLS_KEYSTORE" "${store[@]}" -file "$TLS_DIR/broker.csr" &&
      "$KEYTOOL" -gencert -rfc -alias ca -keystore "$ca_store" "${store[@]}" -validity 3650 -ext "san=ip:$HOST,dns:localhost" \
        -ext eku=serverAuth -infile "$TLS_DIR/broker.csr" -outfile "$TLS_DIR/broker.pem" &&
      "$KEYTOOL" -importcert -noprompt -alias ca -file "$TLS_CA.part" -keystore "$TLS_KEYSTORE" "${store[@]}" &&
      "$KEYTOOL" -importcert -alias broker -file "$TLS_DIR/broker.pem" -keystore "$TLS_KEYSTORE" "${store[@]}"
  } >"$out" 2>&1; then
    cat "$out" >&2
    rm -f "$TLS_KEYSTORE"
    die "could not create the TLS listener's certificate with $KEYTOOL"
  fi
  umask "$previous_umask"
  mv "$TLS_CA.part" "$TLS_CA"
  chmod 644 "$TLS_CA"
}

# SCRAM users are created when the storage is formatted (in KRaft nothing else can create the
# first, the admin), so storage formatted for other users, or before there were any, is refused.
format_storage_if_needed() {
  local users
  users="$(principals fingerprint "$PORT")"
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    [[ -f "$USERS_STAMP" && "$(cat "$USERS_STAMP")" == "$users" ]] && return 0
    die "the broker's storage (${DATA_DIR#"$REPO_ROOT"/}) was formatted for other SASL users than" \
      "tools/kafka/principals.json gives on port $PORT; 'tools/kafka/kafka.sh reset' deletes it (topics and offsets)"
  fi
  local cluster_id scram
  # As StorageTool random-uuid makes it (16 random bytes, base64url, not starting with "-"), without a JVM.
  cluster_id="$(node -e "const { randomBytes } = require('node:crypto'); let id; do id = randomBytes(16).toString('base64url'); while (id.startsWith('-')); process.stdout.write(id);")"
  [[ -n "$cluster_id" ]] || die "could not generate a cluster id"
  local -a add_scram=()
  while IFS= read -r scram; do add_scram+=(--add-scram "$scram"); done < <(principals scram "$PORT")
  log "formatting storage (cluster id $cluster_id, $((${#add_scram[@]} / 2)) SASL users)"
  if ! "${TOOL[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF_FILE" "${add_scram[@]}" >"$CACHE_DIR/format.log" 2>&1; then
    cat "$CACHE_DIR/format.log" >&2
    die "storage format failed"
  fi
  printf '%s\n' "$users" >"$USERS_STAMP"
}

launch_broker() {
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  rm -f "$PID_FILE"
  # setsid: own session, so the broker outlives the calling shell/terminal and its signals.
  # The inner bash writes its own pid and execs java, so the pid file holds the JVM's pid.
  # 9>&- : the broker must not inherit the lock.
  local -a detach=(nohup)
  command -v setsid >/dev/null 2>&1 && detach+=(setsid)
  # shellcheck disable=SC2016
  "${detach[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    "-Dlog4j.configuration=file:$BROKER_LOG4J" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$CONF_FILE" \
    </dev/null >"$LOG_FILE" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && return 0
    sleep 0.1
  done
  die "broker process did not start (see $LOG_FILE)"
}

wait_until_ready() {
  local deadline=$((SECONDS + START_TIMEOUT_S)) pid
  while :; do
    if ! pid="$(broker_pid)"; then
      log "broker exited during startup; last log lines:"
      tail -n 40 "$LOG_FILE" >&2 || true
      die "broker failed to start (full log: $LOG_FILE)"
    fi
    # Port open is enough: the next step (topic metadata via the admin client) retries until
    # the broker serves requests.
    port_open "$HOST" "$PORT" && return 0
    if ((SECONDS >= deadline)); then
      log "broker not ready after ${START_TIMEOUT_S}s; last log lines:"
      tail -n 40 "$LOG_FILE" >&2 || true
      die "broker start timed out (pid $pid still running; full log: $LOG_FILE)"
    fi
    sleep 0.5
  done
}

# Sets TOPICS: each KAFKA_TOPICS name plus its "<name>.DLT" dead-letter topic.
wanted_topics() {
  local -a base
  local default_topics
  default_topics="$(node -p "Object.values(require('$REPO_ROOT/libs/contracts/src/lib/topics.json')).join(' ')")"
  read -r -a base <<<"${KAFKA_TOPICS:-$default_topics}"
  local suffix
  suffix="$(node -p "require('$REPO_ROOT/libs/contracts/src/lib/dead-letters.json').suffix")"
  TOPICS=()
  local t c
  for t in "${base[@]}"; do
    [[ "$t" =~ ^[A-Za-z0-9._-]{1,245}$ ]] || die "invalid topic name in KAFKA_TOPICS: '$t'"
    for c in "$t" "$t$suffix"; do
      [[ "$t" == *"$suffix" && "$c" == "$t$suffix" ]] && continue
      [[ " ${TOPICS[*]-} " == *" $c "* ]] || TOPICS+=("$c")
    done
  done
}

# Sets PARTITIONS from KAFKA_PARTITIONS.
wanted_partitions() {
  PARTITIONS="${KAFKA_PARTITIONS:-3}"
  [[ "$PARTITIONS" =~ ^[1-9][0-9]{0,4}$ ]] || die "KAFKA_PARTITIONS must be a positive integer, got '$PARTITIONS'"
}

ensure_topics() { # needs TOPICS and PARTITIONS (wanted_topics, wanted_partitions)
  ((${#TOPICS[@]} > 0)) || { log "no topics requested"; return 0; }
  with_timeout 60 node "$SCRIPT_DIR/topics.js" "$BOOTSTRAP" "$PARTITIONS" "${TOPICS[@]}" || die "could not create the topics"
}

# ---------------------------------------------------------------------------
# commands

cmd_start() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS is set: using that external cluster, not starting a local broker"
    return 0
  fi
  local t0=$SECONDS pid
  wanted_topics
  wanted_partitions
  ensure_cache_dir
  lock
  ensure_libs

  if pid="$(broker_pid)"; then
    log "broker already running (pid $pid), reusing it"
    wait_until_ready
    port_open "$HOST" "$TLS_PORT" ||
      log "note: this broker has no TLS listener on $HOST:$TLS_PORT (it was started before kafka.sh gave it one); stop it and start it again to get one"
  else
    if port_open "$HOST" "$PORT" || port_open "$HOST" "$CONTROLLER_PORT" || port_open "$HOST" "$TLS_PORT"; then
      die "port $PORT, $CONTROLLER_PORT or $TLS_PORT on $HOST is in use by a process this script did not start" \
        "(another checkout's broker?). Stop it, or set KAFKA_BROKERS=$BOOTSTRAP to use it as an external cluster."
    fi
    ensure_tls
    write_configs
    format_storage_if_needed
    log "starting broker on $BOOTSTRAP (log: ${LOG_FILE#"$REPO_ROOT"/})"
    launch_broker
    wait_until_ready
    log "broker up (pid $(broker_pid)) after $((SECONDS - t0))s"
  fi
  ensure_topics
  with_timeout 60 node "$SCRIPT_DIR/acls.js" "$BOOTSTRAP" || die "could not set the ACLs"
  with_timeout 60 node "$SCRIPT_DIR/coordinators.js" "$BOOTSTRAP" || die "the group coordinator did not come up"
  log "ready on $BOOTSTRAP ($((SECONDS - t0))s)"
}

cmd_stop() {
  lock
  local pid
  if ! pid="$(broker_pid)"; then
    log "broker not running"
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping broker (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while is_our_broker "$pid"; do
    if ((SECONDS >= deadline)); then
      log "still running after ${STOP_TIMEOUT_S}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      local i
      for ((i = 0; i < 50; i++)); do
        is_our_broker "$pid" || break
        sleep 0.1
      done
      break
    fi
    sleep 0.3
  done
  rm -f "$PID_FILE"
  log "broker stopped"
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    if port_open "$HOST" "$PORT"; then
      echo "running (pid $pid) on $BOOTSTRAP"
    else
      echo "running (pid $pid), not yet accepting connections on $BOOTSTRAP"
    fi
    return 0
  fi
  echo "not running"
  [[ -z "${KAFKA_BROKERS:-}" ]] || log "note: KAFKA_BROKERS=$KAFKA_BROKERS is set (external cluster)"
  return 1
}

cmd_fetch() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    log "KAFKA_BROKERS=$KAFKA_BROKERS is set: an external cluster needs no jars here"
    return 0
  fi
  ensure_cache_dir
  lock
  ensure_libs
}

cmd_signal() { # signal, what it does
  local pid
  pid="$(broker_pid)" || die "broker not running"
  kill "-$1" "$pid"
  log "$2 the broker (pid $pid)"
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA_DIR"
  log "deleted broker data (${DATA_DIR#"$REPO_ROOT"/}); jars kept"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  fetch) cmd_fetch ;;
  freeze) cmd_signal STOP froze ;;
  thaw) cmd_signal CONT thawed ;;
  -h | --help | help) usage ;;
  *) usage; exit 2 ;;
esac
