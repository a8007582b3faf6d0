#!/usr/bin/env bash
# Starts, stops and reports the platform's own processes (the NestJS services), each as a
# background process with a pid file under .data/run and a JSON log under .data/logs.
# Usage: infra/services.sh start|stop|status [service ...]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=infra/env.sh
source "$ROOT/infra/env.sh"

RUN_DIR="$ROOT/.data/run"
LOG_DIR="$ROOT/.data/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

# name:port — the order is the start order (the gateway last: it fronts the others).
ALL_SERVICES=(auth:9101 prompt-guard:9102 scheduler:9103 billing:9104 lifecycle:9105 batch:9106 worker:9107 gateway:8080)

port_of() {
  local entry
  for entry in "${ALL_SERVICES[@]}"; do
    [[ "${entry%%:*}" == "$1" ]] && { echo "${entry##*:}"; return 0; }
  done
  echo "unknown service: $1" >&2
  return 1
}

pid_of() {
  local file="$RUN_DIR/$1.pid"
  [[ -f "$file" ]] || return 1
  local pid
  pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Secrets are generated once per checkout, kept out of git (.data/secrets.env, mode 600), and
# exported to the services: the bootstrap operator key (llm_… format, registered by auth at first
# start), the HMAC secret of key hashes (auth and gateway), the key sealing auto-rotated secrets and
# the one signing audit checkpoints (auth).
ensure_secrets() {
  local file="$ROOT/.data/secrets.env"
  local random_hex='head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n"'
  if [[ ! -f "$file" ]] || ! grep -q '^LLMAAS_ADMIN_KEY=llm_' "$file"; then
    (
      umask 077
      echo "LLMAAS_ADMIN_KEY=$(node "$ROOT/packages/api-keys/dist/bin/generate-key.js")"
      echo "KEY_HASH_SECRET=$(eval "$random_hex")"
      echo "SECRET_BOX_KEY=$(eval "$random_hex")"
      echo "AUDIT_SIGNING_SECRET=$(eval "$random_hex")"
    ) >"$file.tmp" && mv "$file.tmp" "$file"
  fi
  # Secrets added by later versions are appended to an existing file (never regenerated: the
  # master key wraps the tenants' data keys of every stored batch file).
  if ! grep -q '^BATCH_MASTER_KEYS=' "$file"; then
    (umask 077; echo "BATCH_MASTER_KEYS=mk1:$(eval "$random_hex")" >>"$file")
  fi
  if ! grep -q '^SERVICE_AUTH_SECRET=' "$file"; then
    (umask 077; echo "SERVICE_AUTH_SECRET=$(eval "$random_hex")" >>"$file")
  fi
  set -a
  # shellcheck disable=SC1090
  source "$file"
  set +a
  export BOOTSTRAP_OPERATOR_KEY="$LLMAAS_ADMIN_KEY"
}

# A 4 MB young generation instead of V8's default 16 MB: idle services are mostly old-space
# (Nest, Prisma's query compiler), and this keeps each under 150 MB RSS for a few more
# scavenges per second under load. NODE_FLAGS replaces it (e.g. add --enable-source-maps).
NODE_FLAGS="${NODE_FLAGS:---max-semi-space-size=4}"

start_one() {
  local name="$1" port
  port="$(port_of "$name")"
  if pid_of "$name" >/dev/null; then
    return 0
  fi
  local entry="$ROOT/apps/$name/dist/main.js"
  [[ -f "$entry" ]] || { echo "$name is not built ($entry missing): run pnpm build" >&2; return 1; }
  (
    cd "$ROOT/apps/$name"
    HTTP_PORT="$port" setsid node $NODE_FLAGS "$entry" >>"$LOG_DIR/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
  )
}

wait_ready() {
  local name="$1" port deadline
  port="$(port_of "$name")"
  deadline=$((SECONDS + ${READY_TIMEOUT_S:-120}))
  while ((SECONDS < deadline)); do
    if ! pid_of "$name" >/dev/null; then
      echo "$name exited during start; last log lines:" >&2
      tail -n 20 "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      return 0
    fi
    sleep 0.25
  done
  echo "$name not ready after ${READY_TIMEOUT_S:-120}s; last log lines:" >&2
  tail -n 20 "$LOG_DIR/$name.log" >&2 || true
  return 1
}

stop_one() {
  local name="$1" pid
  pid="$(pid_of "$name")" || { rm -f "$RUN_DIR/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/$name.pid"
}

selected() {
  if (($# > 0)); then
    printf '%s\n' "$@"
  else
    local entry
    for entry in "${ALL_SERVICES[@]}"; do echo "${entry%%:*}"; done
  fi
}

cmd="${1:-status}"
shift || true
case "$cmd" in
  start)
    ensure_secrets
    mapfile -t names < <(selected "$@")
    for name in "${names[@]}"; do start_one "$name"; done
    for name in "${names[@]}"; do wait_ready "$name"; done
    ;;
  stop)
    mapfile -t names < <(selected "$@")
    # Reverse order: the gateway stops taking traffic first.
    for ((i = ${#names[@]} - 1; i >= 0; i--)); do stop_one "${names[$i]}"; done
    ;;
  status)
    rc=0
    while read -r name; do
      port="$(port_of "$name")"
      if pid="$(pid_of "$name")"; then
        # (Not curl -w: it prints even when -f fails on a 503, giving "readynot ready".)
        state="$(curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && echo ready || echo 'not ready')"
        printf '%-13s %-10s pid %-8s http://127.0.0.1:%s\n' "$name" "$state" "$pid" "$port"
        [[ "$state" == ready ]] || rc=1
      else
        printf '%-13s %-10s %-12s http://127.0.0.1:%s\n' "$name" stopped '' "$port"
        rc=1
      fi
    done < <(selected "$@")
    exit "$rc"
    ;;
  *)
    echo "usage: infra/services.sh start|stop|status [service ...]" >&2
    exit 2
    ;;
esac
