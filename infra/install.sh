#!/usr/bin/env bash
# Installs what the platform's servers need, only what is missing: Redis and PostgreSQL 15 from
# Debian's packages, the Kafka broker's jars from Maven Central. A second run does no network I/O.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { printf '  infra: %s\n' "$*"; }

apt_updated=0
apt_install() {
  if ((apt_updated == 0)); then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || need+=(redis-server)
[[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || need+=(postgresql-15)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v curl >/dev/null || need+=(curl)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
((${#need[@]} == 0)) || apt_install "${need[@]}"

marker="$KAFKA_LIBS/.kafka-$KAFKA_VERSION"
if [[ ! -f "$marker" ]]; then
  say "resolving Apache Kafka $KAFKA_VERSION from Maven Central"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  mvn -q -B -f "$LLMAAS_ROOT/infra/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" -DincludeScope=runtime
  # log4j 1 and reload4j both provide org.apache.log4j; keep reload4j (the maintained one).
  rm -f "$KAFKA_LIBS"/log4j-1.2.*.jar "$KAFKA_LIBS"/slf4j-log4j12-*.jar
  touch "$marker"
fi
say "Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p'), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), Kafka $KAFKA_VERSION ($(ls "$KAFKA_LIBS"/*.jar | wc -l) jars)"
