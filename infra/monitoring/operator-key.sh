#!/usr/bin/env bash
# Alertmanager delivers alerts to the gateway (POST /admin/v1/alerts) with the platform operator
# key, read from a credentials file at every delivery: $ALERTMANAGER_DIR/operator.key (mode 600).
# The key itself is LLMAAS_ADMIN_KEY of .data/secrets.env, which infra/services.sh writes the first
# time the services start, i.e. *after* infra/start.sh on a fresh checkout. Hence two modes:
#   operator-key.sh sync          writes the file now if secrets.env has the key (no-op otherwise)
#   operator-key.sh follow PID    keeps it in step (checks every 2 s whether secrets.env changed)
#                                 while process PID (Alertmanager) lives; started by start.sh
# Until the file exists, deliveries fail and Alertmanager retries them (its log says why).
set -euo pipefail
# shellcheck source=infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

SECRETS="$LLMAAS_DATA/secrets.env"
KEY_FILE="$ALERTMANAGER_DIR/operator.key"

sync_key() {
  local key
  key="$(sed -n "s/^LLMAAS_ADMIN_KEY=[\"']\{0,1\}\([^\"']*\)[\"']\{0,1\}[[:space:]]*\$/\1/p" "$SECRETS" 2>/dev/null | tail -n 1)" || key=""
  [[ -n "$key" ]] || return 0
  mkdir -p "$ALERTMANAGER_DIR"
  if [[ -f "$KEY_FILE" && "$(cat "$KEY_FILE")" == "$key" ]]; then
    touch "$KEY_FILE" # newer than secrets.env again: `follow` does not re-read an unchanged key
    return 0
  fi
  (umask 077 && printf '%s' "$key" >"$KEY_FILE.tmp")
  mv "$KEY_FILE.tmp" "$KEY_FILE"
  say "Alertmanager's operator key written to $KEY_FILE (from $SECRETS)"
}

case "${1:-}" in
  sync) sync_key ;;
  follow)
    pid="${2:?usage: operator-key.sh follow ALERTMANAGER_PID}"
    echo $$ >"$ALERTMANAGER_DIR/operator-key.pid"
    while alive "$pid"; do
      if [[ -f "$SECRETS" && (! -f "$KEY_FILE" || "$SECRETS" -nt "$KEY_FILE") ]]; then sync_key || true; fi
      sleep 2
    done
    ;;
  *)
    echo "usage: infra/monitoring/operator-key.sh sync | follow ALERTMANAGER_PID" >&2
    exit 2
    ;;
esac
