#!/usr/bin/env bash
# Starts Kafka (KRaft), Redis and PostgreSQL on loopback, each only if it is not already up.
# Usage: infra/start.sh [kafka|redis|postgres ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mkdir -p "$INFRA_DATA" "$INFRA_LOGS"

start_kafka() {
  if kafka_pid >/dev/null && port_open "$KAFKA_PORT"; then return 0; fi
  [[ -f "$KAFKA_LIBS/.kafka-$KAFKA_VERSION" ]] || die "Kafka jars missing: run infra/install.sh"
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@KAFKA_DATA@|$KAFKA_DIR/data|g" "$LLMAAS_ROOT/infra/kafka/server.properties.template" >"$KAFKA_DIR/server.properties"
  local cp="$KAFKA_LIBS/*"
  local jvm=(java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    -Dkafka.logs.dir="$INFRA_LOGS" -Dlog4j.configuration="file:$LLMAAS_ROOT/infra/kafka/log4j.properties" -cp "$cp")
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    # The cluster id is made once and kept: the storage is formatted with it.
    [[ -f "$KAFKA_DIR/cluster.id" ]] || "${jvm[@]}" kafka.tools.StorageTool random-uuid >"$KAFKA_DIR/cluster.id"
    "${jvm[@]}" kafka.tools.StorageTool format -t "$(cat "$KAFKA_DIR/cluster.id")" -c "$KAFKA_DIR/server.properties" --ignore-formatted >/dev/null
  fi
  local log="$INFRA_LOGS/kafka.log"
  local mark
  mark=$(wc -l <"$log" 2>/dev/null || echo 0)
  nohup setsid "${jvm[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" >>"$INFRA_LOGS/kafka.out" 2>&1 </dev/null &
  echo $! >"$KAFKA_DIR/kafka.pid"
  local deadline=$((SECONDS + 60))
  until tail -n +"$((mark + 1))" "$log" 2>/dev/null | grep -q 'Kafka Server started'; do
    if ! kafka_pid >/dev/null; then
      tail -n 30 "$INFRA_LOGS/kafka.out" "$log" >&2 2>/dev/null || true
      die "Kafka exited during start"
    fi
    ((SECONDS < deadline)) || { tail -n 30 "$log" >&2; die "Kafka not started after 60 s"; }
    sleep 0.2
  done
}

start_redis() {
  if redis_up; then return 0; fi
  mkdir -p "$REDIS_DIR"
  cat >"$REDIS_DIR/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
dir $REDIS_DIR
daemonize yes
pidfile $REDIS_DIR/redis.pid
logfile $INFRA_LOGS/redis.log
appendonly yes
appendfsync everysec
save ""
CONF
  redis-server "$REDIS_DIR/redis.conf"
  local deadline=$((SECONDS + 20))
  until redis_up; do
    ((SECONDS < deadline)) || { tail -n 20 "$INFRA_LOGS/redis.log" >&2; die "Redis not up after 20 s"; }
    sleep 0.1
  done
}

start_postgres() {
  if pg_up; then return 0; fi
  # initdb and postgres refuse to run as root: the data directory belongs to the postgres user,
  # who must be able to walk down to it from the repository root.
  mkdir -p "$PG_DIR"
  local dir="$PG_DIR"
  while [[ "$dir" != / ]]; do chmod o+x "$dir" 2>/dev/null || true; dir="$(dirname "$dir")"; done
  chown postgres:postgres "$PG_DIR"
  touch "$INFRA_LOGS/postgres.log" && chown postgres:postgres "$INFRA_LOGS/postgres.log"
  if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    local pw="$PG_DIR/superuser.pw"
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$pw"
    chown postgres:postgres "$pw" && chmod 600 "$pw"
    "${RUN_AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --pwfile="$pw" --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
  fi
  "${RUN_AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$INFRA_LOGS/postgres.log" -w -t 30 start >/dev/null
  # The application role and database, made once.
  "${RUN_AS_PG[@]}" psql -h "$PG_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
SELECT 'CREATE ROLE llmaas LOGIN CREATEDB PASSWORD ''llmaas'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'llmaas') \gexec
SELECT 'CREATE DATABASE llmaas OWNER llmaas'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'llmaas') \gexec
SQL
}

for server in $(servers_from_args "$@"); do
  "start_$server"
  case "$server" in
    kafka) say "Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT" ;;
    redis) say "Redis on 127.0.0.1:$REDIS_PORT" ;;
    postgres) say "PostgreSQL on 127.0.0.1:$PG_PORT (database llmaas)" ;;
  esac
done
