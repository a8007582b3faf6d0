#!/usr/bin/env bash
# One line per server: running/stopped, pid, address. Exits 0 only if all (or all named) are up.
# shellcheck disable=SC2329 # status_* are called indirectly, as "status_$server"
# Usage: infra/status.sh [postgres|redis|kafka|alertmanager|prometheus ...]
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
line() { printf '  %-12s %-8s pid %-8s %s\n' "$@"; }

status_kafka() {
  local pid
  if pid="$(kafka_pid)"; then
    if port_open "$KAFKA_PORT"; then line kafka running "$pid" "127.0.0.1:$KAFKA_PORT"; return 0; fi
    line kafka starting "$pid" "127.0.0.1:$KAFKA_PORT (process up, port not open yet)"
    return 1
  fi
  line kafka stopped - "127.0.0.1:$KAFKA_PORT"
  return 1
}

status_redis() {
  if redis_up; then line redis running "$(redis_pid || echo '?')" "127.0.0.1:$REDIS_PORT"; return 0; fi
  line redis stopped - "127.0.0.1:$REDIS_PORT"
  return 1
}

status_postgres() {
  if pg_up; then line postgres running "$(pg_pid || echo '?')" "127.0.0.1:$PG_PORT"; return 0; fi
  line postgres stopped - "127.0.0.1:$PG_PORT"
  return 1
}

# running = our process answers /-/ready; starting = our process is up but not ready yet.
status_http_server() {
  local name="$1" port="$2" pid="$3" extra="${4:-}"
  if [[ -n "$pid" ]]; then
    if http_ready "$port"; then line "$name" running "$pid" "127.0.0.1:$port$extra"; return 0; fi
    line "$name" starting "$pid" "127.0.0.1:$port (process up, /-/ready not answering yet)"
    return 1
  fi
  line "$name" stopped - "127.0.0.1:$port"
  return 1
}

status_prometheus() {
  status_http_server prometheus "$PROMETHEUS_PORT" "$(prometheus_pid || true)"
}

status_alertmanager() {
  local key="  (operator key: $ALERTMANAGER_DIR/operator.key)"
  [[ -s "$ALERTMANAGER_DIR/operator.key" ]] || key="  (no operator key yet: waits for .data/secrets.env)"
  status_http_server alertmanager "$ALERTMANAGER_PORT" "$(alertmanager_pid || true)" "$key"
}

parse_servers "$@"
for server in "${SERVERS[@]}"; do
  "status_$server" || rc=1
done
exit "$rc"
