#!/usr/bin/env bash
# Starts PostgreSQL 15, Redis 7, Kafka 3.9 (KRaft), Alertmanager and Prometheus on 127.0.0.1, each
# only if it is not already up and healthy, and waits until each really serves. Data and logs go
# under .data/infra/. Prometheus's and Alertmanager's configurations are rendered again on every
# run; one that changed is reloaded (SIGHUP) into the running server, never restarted.
# Usage: infra/start.sh [postgres|redis|kafka|alertmanager|prometheus ...]     (no argument: all)
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
MONITORING_START_TIMEOUT="${MONITORING_START_TIMEOUT:-60}"

# --- Kafka -----------------------------------------------------------------------------------

# Modest heap for a 2-core box that also runs the services; G1 with Kafka's own pause target.
# The broker logs through infra/kafka/log4j.properties into $INFRA_LOGS/kafka.log.
KAFKA_JAVA=(java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true
  -Dkafka.logs.dir="$INFRA_LOGS" -Dlog4j.configuration="file:$LLMAAS_ROOT/infra/kafka/log4j.properties"
  -cp "$KAFKA_LIBS/*")

# A Kafka cluster id is 16 random bytes in URL-safe base64 without padding (what
# `StorageTool random-uuid` prints); made here to save a JVM start. Kafka avoids a leading '-'
# (it would read as a command-line flag), so do we.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || break
  done
  echo "$id"
}

kafka_config() {
  mkdir -p "$KAFKA_DIR/data"
  # Regenerated on every start so that port overrides (KAFKA_PORT, ...) take effect.
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA@|$KAFKA_DIR/data|g" \
    "$LLMAAS_ROOT/infra/kafka/server.properties.template" >"$KAFKA_DIR/server.properties"
  # KRaft storage is formatted once, with a cluster id that is kept: formatting again would
  # orphan the existing data.
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    [[ -s "$KAFKA_DIR/cluster.id" ]] || new_cluster_id >"$KAFKA_DIR/cluster.id"
    say "formatting Kafka storage (cluster id $(cat "$KAFKA_DIR/cluster.id"))"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" \
      -c "$KAFKA_DIR/server.properties" --ignore-formatted >>"$INFRA_LOGS/kafka.out" 2>&1 9>&- ||
      { tail -n 20 "$INFRA_LOGS/kafka.out" >&2; die "Kafka storage format failed"; }
  fi
}

# Ready = the broker logged "Kafka Server started" (in KRaft that comes after the broker has
# registered with the controller and been unfenced, so clients can produce and join groups)
# and its port accepts connections. Only the log written since `from` (a byte offset) counts.
kafka_wait_ready() {
  local from="$1" log="$INFRA_LOGS/kafka.log" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while :; do
    # The log rolls at 20 MB: if it is now shorter than the offset, read it from the start.
    (($(stat -c %s "$log" 2>/dev/null || echo 0) >= from)) || from=0
    # (Not `tail | grep -q`: with pipefail, tail's SIGPIPE after an early grep exit reads as failure.)
    if grep -q 'Kafka Server started' < <(tail -c +"$((from + 1))" "$log" 2>/dev/null) &&
      port_open "$KAFKA_PORT"; then
      return 0
    fi
    if ! kafka_pid >/dev/null; then
      tail -n 30 "$log" "$INFRA_LOGS/kafka.out" >&2 2>/dev/null || true
      die "Kafka exited during start (logs above, full log in $log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$log" >&2 2>/dev/null || true
      die "Kafka not ready after ${KAFKA_START_TIMEOUT} s (log tail above, full log in $log); it may still come up (infra/status.sh kafka) or be stopped (infra/stop.sh kafka)"
    fi
    sleep 0.2
  done
}

start_kafka() {
  if kafka_up; then ALREADY=1 && return 0; fi
  if kafka_pid >/dev/null; then
    # Our broker is alive but not ready yet (an earlier start.sh gave up waiting): wait for the
    # start that is under way, reading the log from where that start began.
    kafka_wait_ready "$(cat "$KAFKA_DIR/log.offset" 2>/dev/null || echo 0)"
    return 0
  fi
  if port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is taken by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  fi
  [[ -f "$KAFKA_LIBS/.kafka-$KAFKA_VERSION" ]] || die "Kafka $KAFKA_VERSION jars missing in $KAFKA_LIBS: run infra/install.sh"
  kafka_config
  local from
  from="$(stat -c %s "$INFRA_LOGS/kafka.log" 2>/dev/null || echo 0)"
  echo "$from" >"$KAFKA_DIR/log.offset"
  rm -f "$KAFKA_DIR/kafka.pid"
  # The shell writes its own pid and then becomes the JVM (exec), so the pid file is right even
  # when setsid has to fork. setsid + nohup: the broker outlives this script and its terminal.
  # shellcheck disable=SC2016 # expanded by the child shell, on purpose
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-start "$KAFKA_DIR/kafka.pid" \
    "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" \
    >>"$INFRA_LOGS/kafka.out" 2>&1 </dev/null 9>&- &
  # The child writes the pid file a moment after the fork; wait for it before judging liveness.
  for _ in $(seq 50); do [[ -s "$KAFKA_DIR/kafka.pid" ]] && break; sleep 0.05; done
  kafka_wait_ready "$from"
}

# --- Redis -----------------------------------------------------------------------------------

start_redis() {
  if redis_up; then ALREADY=1 && return 0; fi
  command -v redis-server >/dev/null || die "redis-server missing: run infra/install.sh"
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by a process that does not answer PING (set REDIS_PORT)"
  mkdir -p "$REDIS_DIR"
  # Regenerated on every start (port overrides). AOF instead of RDB snapshots: every write
  # survives a restart with at most 1 s lost.
  cat >"$REDIS_DIR/redis.conf" <<CONF
# Generated by infra/start.sh; edits are overwritten.
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
dir $REDIS_DIR
daemonize yes
pidfile $REDIS_DIR/redis.pid
logfile $INFRA_LOGS/redis.log
loglevel notice
appendonly yes
appendfsync everysec
save ""
CONF
  local log="$INFRA_LOGS/redis.log" from deadline=$((SECONDS + 20))
  from="$(stat -c %s "$log" 2>/dev/null || echo 0)"
  # With daemonize the command returns at once; the daemon may still fail (port taken, bad dir).
  redis-server "$REDIS_DIR/redis.conf" 9>&- || die "redis-server refused $REDIS_DIR/redis.conf"
  until redis_up; do
    if grep -qE 'Failed listening|aborting|Fatal|FATAL' < <(tail -c +"$((from + 1))" "$log" 2>/dev/null) ||
      ((SECONDS >= deadline)); then
      tail -n 20 "$log" >&2 2>/dev/null || true
      die "Redis did not come up (log tail above)"
    fi
    sleep 0.1
  done
}

# --- PostgreSQL ------------------------------------------------------------------------------

# The data directory lives in the repo, which belongs to root: the postgres user needs search (x)
# permission on every parent directory to reach it. Only the parents that lack it get o+x.
pg_make_reachable() {
  mkdir -p "$PG_DIR"
  if ((EUID == 0)); then
    chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR" # holds the superuser password file and the socket
    local dir
    dir="$(dirname "$PG_DIR")"
    while [[ "$dir" != / ]]; do
      runuser -u postgres -- test -x "$dir" || chmod o+x "$dir"
      dir="$(dirname "$dir")"
    done
    touch "$INFRA_LOGS/postgres.log"
    chown postgres:postgres "$INFRA_LOGS/postgres.log"
  fi
}

pg_initdb() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  say "initialising PostgreSQL cluster in $PG_DATA"
  # The superuser gets a random password (kept, readable only by postgres) for TCP logins; local
  # socket logins use peer authentication, i.e. only the postgres OS user (root via runuser).
  local pw="$PG_DIR/superuser.pw"
  [[ -s "$pw" ]] || (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$pw")
  ((EUID != 0)) || chown postgres:postgres "$pw"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pw" --auth-local=peer \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  # Address, port and socket directory are given on the pg_ctl command line (so overrides work);
  # these are the settings that do not change.
  cat >>"$PG_DATA/postgresql.conf" <<CONF

# --- llmaas (infra/start.sh) ---
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 256MB
CONF
}

pg_ensure_app_db() {
  # Made once; the \gexec form makes CREATE conditional without PL/pgSQL.
  as_pg "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt <<'SQL' >/dev/null
SELECT 'CREATE ROLE llmaas LOGIN CREATEDB PASSWORD ''llmaas'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'llmaas') \gexec
SELECT 'CREATE DATABASE llmaas OWNER llmaas'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'llmaas') \gexec
SQL
}

start_postgres() {
  if pg_up; then ALREADY=1 && return 0; fi
  [[ -x "$PG_BIN/postgres" ]] || die "$PG_BIN/postgres missing: run infra/install.sh"
  port_open "$PG_PORT" && die "port $PG_PORT is taken by a process that is not PostgreSQL (set PG_PORT)"
  pg_make_reachable
  pg_initdb
  local pid
  if pid="$(pg_pid)"; then
    die "PostgreSQL (pid $pid) already runs on $PG_DATA but does not answer on port $PG_PORT: was PG_PORT changed? (infra/stop.sh postgres)"
  fi
  # -w waits until the server accepts connections. Right after a crash (kill -9) the old
  # postmaster may still be an unreaped zombie, or its children may still hold the shared memory,
  # for a few seconds; postgres then refuses to start, so retry a little.
  local log="$INFRA_LOGS/postgres.log" deadline=$((SECONDS + 20)) from out
  while :; do
    from="$(stat -c %s "$log" 2>/dev/null || echo 0)"
    out="$(as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR'" start 2>&1 9>&-)" && break
    if ((SECONDS < deadline)) && grep -qE 'lock file "postmaster.pid" already exists|pre-existing shared memory block' \
      < <(tail -c +"$((from + 1))" "$log"); then
      sleep 1
      continue
    fi
    printf '%s\n' "$out" >&2
    tail -n 20 "$log" >&2
    die "PostgreSQL did not start (pg_ctl output and log tail above)"
  done
  pg_ensure_app_db
}

# --- Prometheus and Alertmanager --------------------------------------------------------------

# Debian's binaries (infra/install.sh), on our ports and data directories; configuration rendered
# from infra/monitoring/ (render.sh). Prometheus keeps 7 days (at most 2 GB) of samples.
PROMETHEUS_CMD=("$PROMETHEUS_BIN" --config.file="$PROMETHEUS_DIR/prometheus.yml"
  --storage.tsdb.path="$PROMETHEUS_DIR/data" --storage.tsdb.retention.time=7d
  --storage.tsdb.retention.size=2GB --web.listen-address="127.0.0.1:$PROMETHEUS_PORT")
# --cluster.listen-address= switches off the HA gossip listener (0.0.0.0:9094 by default).
ALERTMANAGER_CMD=("$ALERTMANAGER_BIN" --config.file="$ALERTMANAGER_DIR/alertmanager.yml"
  --storage.path="$ALERTMANAGER_DIR/data" --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT"
  --cluster.listen-address=)

# What the running server was last (re)loaded with: the rendered config, plus the rule files.
config_sum() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
prometheus_config_sum() { config_sum "$PROMETHEUS_DIR/prometheus.yml" "$LLMAAS_ROOT"/infra/monitoring/rules/*.yml; }
alertmanager_config_sum() { config_sum "$ALERTMANAGER_DIR/alertmanager.yml"; }

# A metric of the server's own /metrics (the time of its last successful config load).
own_metric() {
  curl -fsS -m 3 "http://127.0.0.1:$1/metrics" 2>/dev/null | sed -n "s/^$2 //p" | head -n 1
}

# Launches "$@" as a daemon whose pid lands in $pidfile (the shell writes its own pid, then becomes
# the server; setsid + nohup: it outlives this script and its terminal), then waits for /-/ready.
launch_and_wait() {
  local name="$1" pidfile="$2" port="$3" log="$4"
  shift 4
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # expanded by the child shell, on purpose
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' "$name-start" "$pidfile" "$@" \
    >>"$log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && break; sleep 0.05; done
  monitoring_wait_ready "$name" "$pidfile" "$port" "$log"
}

monitoring_wait_ready() {
  local name="$1" pidfile="$2" port="$3" log="$4" deadline=$((SECONDS + MONITORING_START_TIMEOUT)) pid
  while :; do
    pid="$(cat "$pidfile" 2>/dev/null)" || pid=""
    http_ready "$port" && [[ -n "$pid" ]] && alive "$pid" && return 0
    if [[ -z "$pid" ]] || ! alive "$pid"; then
      tail -n 20 "$log" >&2 2>/dev/null || true
      die "$name exited during start (log tail above, full log in $log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 20 "$log" >&2 2>/dev/null || true
      die "$name not ready after ${MONITORING_START_TIMEOUT} s (log tail above, full log in $log); it may still come up (infra/status.sh $name) or be stopped (infra/stop.sh $name)"
    fi
    sleep 0.2
  done
}

# SIGHUP = reload, after the checker has accepted the new files; the server's own
# *_config_last_reload_success_timestamp_seconds tells whether it took them.
reload_if_changed() {
  local name="$1" pid="$2" port="$3" sumfile="$4" sum="$5" metric="$6" log="$7"
  shift 7 # the rest: the checker's command line
  [[ "$(cat "$sumfile" 2>/dev/null)" == "$sum" ]] && return 0
  local out
  out="$("$@" 2>&1)" || { printf '%s\n' "$out" >&2; die "$name: new configuration rejected by ${1##*/} (output above); the running one is kept"; }
  local before
  before="$(own_metric "$port" "$metric")"
  kill -HUP "$pid"
  local deadline=$((SECONDS + 10))
  until [[ "$(own_metric "$port" "$metric")" != "$before" ]]; do
    if ((SECONDS >= deadline)); then
      tail -n 10 "$log" >&2 2>/dev/null || true
      die "$name did not reload its configuration (log tail above)"
    fi
    sleep 0.2
  done
  echo "$sum" >"$sumfile"
  RELOADED=1
}

# Keeps $ALERTMANAGER_DIR/operator.key equal to LLMAAS_ADMIN_KEY of .data/secrets.env now and, through
# a follower that lives as long as Alertmanager, when services.sh writes or rewrites that file.
operator_key() {
  local am_pid="$1" follower
  bash "$LLMAAS_ROOT/infra/monitoring/operator-key.sh" sync
  if follower="$(operator_key_follower_pid)"; then
    # Following this Alertmanager: nothing to do. One following a previous one ends by itself.
    [[ "$(tr '\0' ' ' <"/proc/$follower/cmdline" 2>/dev/null)" == *"follow $am_pid "* ]] && return 0
    kill "$follower" 2>/dev/null || true
  fi
  nohup setsid bash "$LLMAAS_ROOT/infra/monitoring/operator-key.sh" follow "$am_pid" \
    >>"$INFRA_LOGS/alertmanager.log" 2>&1 </dev/null 9>&- &
}

start_alertmanager() {
  [[ -x "$ALERTMANAGER_BIN" ]] || die "$ALERTMANAGER_BIN missing: run infra/install.sh"
  mkdir -p "$ALERTMANAGER_DIR/data"
  bash "$LLMAAS_ROOT/infra/monitoring/render.sh" alertmanager "$ALERTMANAGER_DIR"
  local log="$INFRA_LOGS/alertmanager.log" pid sum
  sum="$(alertmanager_config_sum)"
  if pid="$(alertmanager_pid)"; then
    if http_ready "$ALERTMANAGER_PORT"; then ALREADY=1; else monitoring_wait_ready alertmanager "$ALERTMANAGER_DIR/alertmanager.pid" "$ALERTMANAGER_PORT" "$log"; fi
    reload_if_changed alertmanager "$pid" "$ALERTMANAGER_PORT" "$ALERTMANAGER_DIR/config.sum" "$sum" \
      alertmanager_config_last_reload_success_timestamp_seconds "$log" \
      "$AMTOOL_BIN" check-config "$ALERTMANAGER_DIR/alertmanager.yml"
    operator_key "$pid"
    return 0
  fi
  port_open "$ALERTMANAGER_PORT" && die "port $ALERTMANAGER_PORT is taken by another process (set ALERTMANAGER_PORT)"
  launch_and_wait alertmanager "$ALERTMANAGER_DIR/alertmanager.pid" "$ALERTMANAGER_PORT" "$log" "${ALERTMANAGER_CMD[@]}"
  echo "$sum" >"$ALERTMANAGER_DIR/config.sum"
  operator_key "$(cat "$ALERTMANAGER_DIR/alertmanager.pid")"
}

start_prometheus() {
  [[ -x "$PROMETHEUS_BIN" ]] || die "$PROMETHEUS_BIN missing: run infra/install.sh"
  mkdir -p "$PROMETHEUS_DIR/data"
  bash "$LLMAAS_ROOT/infra/monitoring/render.sh" prometheus "$PROMETHEUS_DIR"
  local log="$INFRA_LOGS/prometheus.log" pid sum
  sum="$(prometheus_config_sum)"
  if pid="$(prometheus_pid)"; then
    if http_ready "$PROMETHEUS_PORT"; then ALREADY=1; else monitoring_wait_ready prometheus "$PROMETHEUS_DIR/prometheus.pid" "$PROMETHEUS_PORT" "$log"; fi
    reload_if_changed prometheus "$pid" "$PROMETHEUS_PORT" "$PROMETHEUS_DIR/config.sum" "$sum" \
      prometheus_config_last_reload_success_timestamp_seconds "$log" \
      "$PROMTOOL_BIN" check config "$PROMETHEUS_DIR/prometheus.yml"
    return 0
  fi
  port_open "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is taken by another process (set PROMETHEUS_PORT)"
  launch_and_wait prometheus "$PROMETHEUS_DIR/prometheus.pid" "$PROMETHEUS_PORT" "$log" "${PROMETHEUS_CMD[@]}"
  echo "$sum" >"$PROMETHEUS_DIR/config.sum"
}

# --- main ------------------------------------------------------------------------------------

address() {
  case "$1" in
    kafka) echo "127.0.0.1:$KAFKA_PORT  (KAFKA_BROKERS=$KAFKA_BROKERS)" ;;
    redis) echo "127.0.0.1:$REDIS_PORT  (REDIS_URL=$REDIS_URL)" ;;
    postgres) echo "127.0.0.1:$PG_PORT  (DATABASE_URL=$DATABASE_URL)" ;;
    prometheus) echo "127.0.0.1:$PROMETHEUS_PORT  (PROMETHEUS_URL=$PROMETHEUS_URL)" ;;
    alertmanager)
      if [[ -s "$ALERTMANAGER_DIR/operator.key" ]]; then
        echo "127.0.0.1:$ALERTMANAGER_PORT  (delivers to the gateway, POST /admin/v1/alerts)"
      else
        echo "127.0.0.1:$ALERTMANAGER_PORT  (operator key written when .data/secrets.env appears)"
      fi
      ;;
  esac
}

parse_servers "$@"
mkdir -p "$INFRA_DATA" "$INFRA_LOGS"
take_lock
for server in "${SERVERS[@]}"; do
  t0=$(date +%s%N)
  # start_* sets ALREADY=1 when the server was up and healthy and it did nothing (RELOADED=1 when
  # it only reloaded a changed configuration). (Not a return code: a function called as an `if`
  # condition runs with `set -e` switched off.)
  ALREADY=0 RELOADED=0
  "start_$server"
  if ((ALREADY && RELOADED)); then
    state="config reloaded"
  elif ((ALREADY)); then
    state="already running"
  else
    state="started in $((($(date +%s%N) - t0) / 1000000)) ms"
  fi
  printf '  %-12s %-19s %s\n' "$server" "$state" "$(address "$server")"
done
