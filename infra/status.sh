#!/usr/bin/env bash
# One line per server; exits 0 only when all are up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rc=0
line() { printf '%-13s %-10s pid %-8s %s\n' "$1" "$2" "${3:-}" "$4"; }
if pid="$(kafka_pid)" && port_open "$KAFKA_PORT"; then line kafka running "$pid" "127.0.0.1:$KAFKA_PORT"; else line kafka stopped '' "127.0.0.1:$KAFKA_PORT"; rc=1; fi
if redis_up; then line redis running "$(redis_pid)" "127.0.0.1:$REDIS_PORT"; else line redis stopped '' "127.0.0.1:$REDIS_PORT"; rc=1; fi
if pg_up; then line postgres running "$(pg_pid)" "127.0.0.1:$PG_PORT"; else line postgres stopped '' "127.0.0.1:$PG_PORT"; rc=1; fi
exit "$rc"
