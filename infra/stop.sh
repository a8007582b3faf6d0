#!/usr/bin/env bash
# Stops Prometheus, Alertmanager, Kafka, Redis and PostgreSQL cleanly; data is kept (wipe it with
# `rm -rf .data/infra`).
# Usage: infra/stop.sh [postgres|redis|kafka|alertmanager|prometheus ...]     (no argument: all)
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
MONITORING_STOP_TIMEOUT="${MONITORING_STOP_TIMEOUT:-30}"

# SIGTERM makes the broker shut down in order (flush logs, checkpoint, close the metadata log),
# so the next start needs no log recovery. SIGKILL only if that takes too long.
stop_kafka() {
  local pid
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_DIR/kafka.pid"
    port_open "$KAFKA_PORT" && say "warning: something listens on $KAFKA_PORT but it is not this checkout's Kafka; left alone"
    STATE="not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    say "Kafka did not exit within ${KAFKA_STOP_TIMEOUT} s of SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$KAFKA_DIR/kafka.pid"
}

# SHUTDOWN makes Redis fsync the append-only file before it exits.
stop_redis() {
  if ! redis_up; then
    STATE="not running"
    return 0
  fi
  local pid
  pid="$(redis_pid)" || pid=""
  redis_cli shutdown >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 20))
  while { redis_up || { [[ -n "$pid" ]] && alive "$pid"; }; } && ((SECONDS < deadline)); do
    sleep 0.1
  done
  redis_up && die "Redis still answering on $REDIS_PORT after SHUTDOWN (see $INFRA_LOGS/redis.log)"
  return 0
}

# Fast mode: roll back open transactions, disconnect clients, checkpoint, exit.
stop_postgres() {
  local pid
  if ! pid="$(pg_pid)"; then
    STATE="not running"
    return 0
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 9>&-; then
    # pg_ctl also fails when the postmaster died on its own meanwhile (lock file left behind;
    # the next start copes with that). Only a live postmaster is an error.
    alive "$pid" && die "pg_ctl stop failed (see $INFRA_LOGS/postgres.log)"
  fi
  return 0
}

# SIGTERM: Prometheus finishes its rule evaluations and closes the TSDB (the next start replays
# less WAL); Alertmanager saves its silences and notification log. SIGKILL only if that hangs.
term_and_wait() {
  local name="$1" pid="$2"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + MONITORING_STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$pid"; then
    say "$name did not exit within ${MONITORING_STOP_TIMEOUT} s of SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
}

stop_prometheus() {
  local pid
  if ! pid="$(prometheus_pid)"; then
    rm -f "$PROMETHEUS_DIR/prometheus.pid"
    port_open "$PROMETHEUS_PORT" && say "warning: something listens on $PROMETHEUS_PORT but it is not this checkout's Prometheus; left alone"
    STATE="not running"
    return 0
  fi
  term_and_wait Prometheus "$pid"
  rm -f "$PROMETHEUS_DIR/prometheus.pid"
}

stop_alertmanager() {
  local pid follower
  # The operator-key follower ends with Alertmanager anyway; stopped first so that it never
  # outlives it by its 2 s poll.
  if follower="$(operator_key_follower_pid)"; then
    kill -TERM "$follower" 2>/dev/null || true
  fi
  rm -f "$ALERTMANAGER_DIR/operator-key.pid"
  if ! pid="$(alertmanager_pid)"; then
    rm -f "$ALERTMANAGER_DIR/alertmanager.pid"
    port_open "$ALERTMANAGER_PORT" && say "warning: something listens on $ALERTMANAGER_PORT but it is not this checkout's Alertmanager; left alone"
    STATE="not running"
    return 0
  fi
  term_and_wait Alertmanager "$pid"
  rm -f "$ALERTMANAGER_DIR/alertmanager.pid"
}

parse_servers "$@"
take_lock
# Reverse of the start order: Prometheus first, PostgreSQL last.
for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do
  server="${SERVERS[$i]}"
  t0=$(date +%s%N)
  STATE=""
  "stop_$server"
  [[ -n "$STATE" ]] || STATE="stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
  printf '  %-12s %s\n' "$server" "$STATE"
done
