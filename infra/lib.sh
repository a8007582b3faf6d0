# Helpers shared by start.sh, stop.sh and status.sh (sourced, not run).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '  infra: %s\n' "$*"; }
die() { printf '  infra: %s\n' "$*" >&2; exit 1; }

KAFKA_DIR="$INFRA_DATA/kafka"
REDIS_DIR="$INFRA_DATA/redis"
PG_DIR="$INFRA_DATA/postgres"
PG_DATA="$PG_DIR/data"
RUN_AS_PG=(runuser -u postgres --)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kafka_pid() {
  local pid
  pid="$(cat "$KAFKA_DIR/kafka.pid" 2>/dev/null)" || return 1
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}
redis_up() { [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_pid() { cat "$REDIS_DIR/redis.pid" 2>/dev/null; }
pg_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
pg_pid() { head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null; }

# Only these server names are accepted; no argument means all of them.
servers_from_args() {
  if (($# == 0)); then
    echo postgres redis kafka
    return
  fi
  local s
  for s in "$@"; do
    case "$s" in
      kafka | redis | postgres) echo "$s" ;;
      *) die "unknown server '$s' (kafka, redis, postgres)" ;;
    esac
  done
}
