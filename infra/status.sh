#!/usr/bin/env bash
# One line per server: running/stopped, pid, address. Exits 0 only if all (or all named) are up.
# shellcheck disable=SC2329 # status_* are called indirectly, as "status_$server"
# Usage: infra/status.sh [postgres|redis|kafka ...]
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
line() { printf '  %-9s %-8s pid %-8s %s\n' "$@"; }

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

parse_servers "$@"
for server in "${SERVERS[@]}"; do
  "status_$server" || rc=1
done
exit "$rc"
