#!/usr/bin/env bash
# Installs what the local servers need, and only what is missing:
#   - Redis, PostgreSQL 15, Prometheus, Alertmanager and Chromium (the console's e2e tests) from
#     Debian 12's own packages (apt),
#   - the Apache Kafka 3.9.1 broker's jars from Maven Central (infra/kafka/pom.xml).
# Idempotent: when everything is there it does no network I/O and takes well under a second.
set -euo pipefail
# shellcheck source=infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '  infra: %s\n' "$*"; }
die() {
  printf '  infra: %s\n' "$*" >&2
  exit 1
}

as_root() {
  if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# --- Debian packages -------------------------------------------------------------------------

missing_packages() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || echo redis-server
  [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/pg_isready" ]] ||
    echo postgresql-15
  [[ -x "$PG_BIN/psql" ]] || echo postgresql-client-15
  # Only the binaries are used (infra/start.sh runs them on our ports); the packages' own
  # services are never started (no systemd, and policy-rc.d below).
  [[ -x "$PROMETHEUS_BIN" && -x "$PROMTOOL_BIN" ]] || echo prometheus
  [[ -x "$ALERTMANAGER_BIN" && -x "$AMTOOL_BIN" ]] || echo prometheus-alertmanager
  command -v curl >/dev/null || echo curl # readiness checks (start.sh, services.sh)
  command -v java >/dev/null || echo openjdk-17-jre-headless
  command -v mvn >/dev/null || echo maven
  command -v python3 >/dev/null || echo python3
  # Debian's python3 lacks venv's ensurepip until python3-venv is installed.
  python3 -c 'import ensurepip, venv' 2>/dev/null || echo python3-venv
  # The web console's end-to-end tests drive Debian's Chromium headless (playwright-core).
  command -v chromium >/dev/null || echo chromium
  return 0
}

# We run our own instances on our own ports and data directories. Without an init system, the
# packages' maintainer scripts would otherwise start the stock ones (PostgreSQL on 5432, Redis on
# 6379, Prometheus on 9090, Alertmanager on 9093) that nothing uses: a temporary policy-rc.d that
# answers 101 ("action forbidden") is Debian's way to say no. One already there (e.g. in container images) is left as it is.
apt_install() {
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e "$policy" ]]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy"
    added_policy=1
    trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  say "apt-get update"
  as_root apt-get update -qq
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  if ((added_policy)); then
    as_root rm -f "$policy"
    trap - EXIT
  fi
}

# --- Kafka jars --------------------------------------------------------------------------------

# The marker holds a checksum of the pom: editing the pom (another exclusion, another logging
# version) re-resolves the jars even when the Kafka version stays the same.
pom_sum() { sha256sum "$LLMAAS_ROOT/infra/kafka/pom.xml" | cut -d' ' -f1; }

# Complete = the marker (written last, after a successful copy) for this pom, plus the two
# classes we start. A jar keeps its file names uncompressed in its central directory, so grep -a
# finds them without unzip.
kafka_libs_complete() {
  local core="$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar"
  [[ "$(cat "$KAFKA_LIBS/.kafka-$KAFKA_VERSION" 2>/dev/null)" == "$(pom_sum)" && -f "$core" ]] &&
    grep -qaF 'kafka/Kafka.class' "$core" &&
    grep -qaF 'kafka/tools/StorageTool.class' "$core" &&
    compgen -G "$KAFKA_LIBS/slf4j-reload4j-*.jar" >/dev/null
}

install_kafka_libs() {
  say "resolving Apache Kafka $KAFKA_VERSION and its runtime dependencies from Maven Central"
  # Into a fresh folder next to the target, then swapped in: an interrupted run never leaves a
  # half-filled folder that looks complete.
  local tmp="$KAFKA_LIBS.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  local log="$LLMAAS_DATA/kafka-libs.mvn.log"
  if ! mvn -B -Dstyle.color=never -f "$LLMAAS_ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$log" 2>&1; then
    grep -E 'ERROR|FAIL' "$log" | head -n 20 >&2
    die "mvn could not resolve Kafka $KAFKA_VERSION (is Maven Central reachable?); full output in $log"
  fi
  # Two log4j 1.2 implementations on one classpath would fight over org.apache.log4j.
  rm -f "$tmp"/log4j-1.2.*.jar "$tmp"/slf4j-log4j12-*.jar
  pom_sum >"$tmp/.kafka-$KAFKA_VERSION"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  kafka_libs_complete || die "Kafka jars in $KAFKA_LIBS lack kafka.Kafka / kafka.tools.StorageTool / slf4j-reload4j"
}

# --- Python client for the end-to-end tests (the official `openai` package) --------------------

PY_ENV="$LLMAAS_ROOT/.data/pyenv"
PY_REQUIREMENTS="$LLMAAS_ROOT/test/python/requirements.txt"

python_client_current() {
  [[ -x "$PY_ENV/bin/python" ]] && cmp -s "$PY_REQUIREMENTS" "$PY_ENV/.requirements" 2>/dev/null
}

install_python_client() {
  say "Python venv with $(tr '\n' ' ' <"$PY_REQUIREMENTS")from PyPI"
  rm -rf "$PY_ENV"
  python3 -m venv "$PY_ENV"
  "$PY_ENV/bin/python" -m pip install -q --disable-pip-version-check -r "$PY_REQUIREMENTS"
  cp "$PY_REQUIREMENTS" "$PY_ENV/.requirements"
}

# --- main --------------------------------------------------------------------------------------

mapfile -t need < <(missing_packages)
if ((${#need[@]} > 0)); then
  apt_install "${need[@]}"
else
  say "Redis, PostgreSQL 15, Prometheus and Alertmanager already installed"
fi

if kafka_libs_complete; then
  say "Kafka $KAFKA_VERSION jars already in $KAFKA_LIBS"
else
  install_kafka_libs
fi

if python_client_current; then
  say "Python client already in $PY_ENV"
else
  install_python_client
fi

say "ready: Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')," \
  "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}')," \
  "Kafka $KAFKA_VERSION ($(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$KAFKA_LIBS" | cut -f1))," \
  "Prometheus $("$PROMETHEUS_BIN" --version 2>&1 | sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p')," \
  "Alertmanager $("$ALERTMANAGER_BIN" --version 2>&1 | sed -n '1s/^alertmanager, version \([^ ]*\).*/\1/p')"
