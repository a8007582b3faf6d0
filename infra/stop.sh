#!/usr/bin/env bash
# Stops Kafka, Redis and PostgreSQL cleanly (data kept). Usage: infra/stop.sh [kafka|redis|postgres ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stop_kafka() {
  local pid
  pid="$(kafka_pid)" || return 0
  kill -TERM "$pid"
  # A controlled shutdown flushes logs; give it 30 s before forcing.
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" || true
  rm -f "$KAFKA_DIR/kafka.pid"
}

stop_redis() {
  redis_up || return 0
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do redis_up || break; sleep 0.1; done
}

stop_postgres() {
  [[ -f "$PG_DATA/postmaster.pid" ]] || return 0
  "${RUN_AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null || true
}

# Reverse of the start order.
for server in $(servers_from_args "$@" | tr ' ' '\n' | tac); do
  "stop_$server"
  say "$server stopped"
done
