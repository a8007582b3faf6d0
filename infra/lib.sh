# shellcheck shell=bash
# Helpers shared by start.sh, stop.sh and status.sh (sourced, not run).
# shellcheck source=infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Start order; stop runs it backwards. Alertmanager before Prometheus, so that the first alerts
# have somewhere to go.
ALL_SERVERS=(postgres redis kafka alertmanager prometheus)

say() { printf '  infra: %s\n' "$*"; }
die() {
  printf '  infra: %s\n' "$*" >&2
  exit 1
}

# Sets SERVERS from the arguments (none = all). Runs in the calling shell so that `die` really
# stops the script (inside $(...) it would only end a subshell and the script would go on).
parse_servers() {
  SERVERS=()
  (($# > 0)) || { SERVERS=("${ALL_SERVERS[@]}"); return 0; }
  local s
  for s in "${ALL_SERVERS[@]}"; do # keep the canonical order whatever the argument order
    [[ " $* " == *" $s "* ]] && SERVERS+=("$s")
  done
  for s in "$@"; do
    [[ " ${ALL_SERVERS[*]} " == *" $s "* ]] || die "unknown server '$s' (expected: ${ALL_SERVERS[*]})"
  done
}

# Serialises start.sh/stop.sh runs of this checkout (two `./llmaas up` at once, a test restarting
# Kafka while another start is under way). Every server we launch gets `9>&-` so that a
# long-running child never inherits the lock.
take_lock() {
  mkdir -p "$INFRA_DATA"
  exec 9>"$INFRA_DATA/.lock"
  flock -w 180 9 || die "another infra start/stop has held $INFRA_DATA/.lock for 3 minutes"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Alive = exists and is not a zombie. Our servers are daemons whose parent is pid 1, and pid 1 in
# a container may be slow to reap them: `kill -0` would still succeed on the dead process.
alive() {
  local state
  state="$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# A pid from a pid file counts only if that process is alive and is still what we started: after
# a reboot or a crash the number may belong to something else entirely.
pid_running() {
  local pid="$1" expect="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *"$expect"* ]]
}

kafka_pid() {
  local pid
  pid="$(cat "$KAFKA_DIR/kafka.pid" 2>/dev/null)" || return 1
  pid_running "$pid" "kafka.Kafka $KAFKA_DIR/server.properties" && echo "$pid"
}
kafka_up() { kafka_pid >/dev/null && port_open "$KAFKA_PORT"; }

redis_cli() { timeout 10 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
# Bounded: a process on the port that accepts but never answers would hang redis-cli forever.
redis_up() { [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
redis_pid() {
  local pid
  pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null)" || return 1
  pid_running "$pid" redis-server && echo "$pid"
}

# initdb and postgres refuse to run as root: as root, run them as the postgres system user
# (created by the Debian package); as anyone else, run them as that user.
as_pg() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_up() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
# The postmaster of this checkout's cluster, from its lock file (absent or stale after a crash).
pg_pid() {
  local pid
  pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null)" || return 1
  pid_running "$pid" "-D $PG_DATA" && echo "$pid"
}

# Prometheus and Alertmanager: ours = the pid file's process runs with this checkout's config;
# up = it also answers 200 on /-/ready (Prometheus: once its TSDB and WAL are loaded).
http_ready() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$1/-/ready" 2>/dev/null; }
prometheus_pid() {
  local pid
  pid="$(cat "$PROMETHEUS_DIR/prometheus.pid" 2>/dev/null)" || return 1
  pid_running "$pid" "--config.file=$PROMETHEUS_DIR/prometheus.yml" && echo "$pid"
}
alertmanager_pid() {
  local pid
  pid="$(cat "$ALERTMANAGER_DIR/alertmanager.pid" 2>/dev/null)" || return 1
  pid_running "$pid" "--config.file=$ALERTMANAGER_DIR/alertmanager.yml" && echo "$pid"
}
# The helper that keeps Alertmanager's credentials file equal to the operator key
# (infra/monitoring/operator-key.sh follow): it lives as long as Alertmanager.
operator_key_follower_pid() {
  local pid
  pid="$(cat "$ALERTMANAGER_DIR/operator-key.pid" 2>/dev/null)" || return 1
  pid_running "$pid" "operator-key.sh follow" && echo "$pid"
}
