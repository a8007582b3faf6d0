# shellcheck shell=bash
# Where the local servers live and listen. Sourced by every infra script, by infra/services.sh and
# by developers (`source infra/env.sh`), so it only sets variables: no `set -e`, no exit, no output.
#
# Paths are derived from this file's location, so a checkout anywhere (or a copy of the repo)
# gets its own .data/ and never touches another checkout's servers.
# Ports are not the defaults (9092, 6379, 5432), so the platform never collides with a server that
# is already on the box; each can be overridden from the environment.

LLMAAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LLMAAS_ROOT
export LLMAAS_DATA="$LLMAAS_ROOT/.data"          # git-ignored by the root .gitignore
export INFRA_DATA="$LLMAAS_DATA/infra"           # all server data: `rm -rf .data/infra` wipes it
export INFRA_LOGS="$INFRA_DATA/logs"             # kafka.log, kafka.out, redis.log, postgres.log
export KAFKA_LIBS="$LLMAAS_DATA/kafka-libs"      # jars from infra/kafka/pom.xml (kept on a wipe)
export KAFKA_VERSION="3.9.1"                     # must match infra/kafka/pom.xml

export KAFKA_DIR="$INFRA_DATA/kafka"             # server.properties, cluster.id, kafka.pid, data/
export REDIS_DIR="$INFRA_DATA/redis"             # redis.conf, redis.pid, appendonly files
export PG_DIR="$INFRA_DATA/postgres"             # owned by the postgres user; also the socket dir
export PG_DATA="$PG_DIR/data"
# Debian's own layout, not whatever `postgres` is first on PATH (/usr/local/bin may hold links).
export PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# Monitoring: Debian's prometheus and prometheus-alertmanager packages, run by infra/start.sh with
# configuration rendered from infra/monitoring/ (the packages' own services are never used).
export PROMETHEUS_DIR="$INFRA_DATA/prometheus"     # prometheus.yml (generated), prometheus.pid, data/
export ALERTMANAGER_DIR="$INFRA_DATA/alertmanager" # alertmanager.yml (generated), operator.key, data/
export PROMETHEUS_BIN="${PROMETHEUS_BIN:-/usr/bin/prometheus}"
export PROMTOOL_BIN="${PROMTOOL_BIN:-/usr/bin/promtool}"
export ALERTMANAGER_BIN="${ALERTMANAGER_BIN:-/usr/bin/prometheus-alertmanager}"
export AMTOOL_BIN="${AMTOOL_BIN:-/usr/bin/amtool}"

export KAFKA_PORT="${KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export REDIS_PORT="${REDIS_PORT:-16379}"
export PG_PORT="${PG_PORT:-15432}"
export PROMETHEUS_PORT="${PROMETHEUS_PORT:-19090}"
# Not 19093: that is Kafka's controller. The cluster (gossip) listener is switched off.
export ALERTMANAGER_PORT="${ALERTMANAGER_PORT:-19094}"

# What the applications read.
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
export DATABASE_URL="${DATABASE_URL:-postgresql://llmaas:llmaas@127.0.0.1:$PG_PORT/llmaas}"
export PROMETHEUS_URL="${PROMETHEUS_URL:-http://127.0.0.1:$PROMETHEUS_PORT}"
export ALERTMANAGER_URL="${ALERTMANAGER_URL:-http://127.0.0.1:$ALERTMANAGER_PORT}"
# The product's model tables, read where they live beside the repository (never copied into it).
export CATALOG_SEED_DIR="${CATALOG_SEED_DIR:-$LLMAAS_ROOT/../shared/data}"
# Traces (OTLP/HTTP): the local platform sends them here; run any OTLP collector on this port
# (Jaeger all-in-one, the OpenTelemetry Collector) to read them — the tracing test listens here.
# Nothing listening costs a refused connection every 5 s per service. Set it empty to send none.
export OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT-http://127.0.0.1:14318}"
# Batch file bodies (encrypted) and where the gateway reaches the batch service's file API.
export BATCH_DATA_DIR="${BATCH_DATA_DIR:-$LLMAAS_DATA/batch-files}"
export BATCH_URL="${BATCH_URL:-http://127.0.0.1:9106}"
# The operator's legal identity printed on every invoice (billing refuses to start without it).
# These are the local platform's fictitious values; an operator sets its own.
export BILLING_SELLER_NAME="${BILLING_SELLER_NAME:-LLMaaS Démo SAS}"
export BILLING_SELLER_ADDRESS="${BILLING_SELLER_ADDRESS:-12 rue de la Paix}"
export BILLING_SELLER_POSTCODE="${BILLING_SELLER_POSTCODE:-75002}"
export BILLING_SELLER_CITY="${BILLING_SELLER_CITY:-Paris}"
export BILLING_SELLER_VAT="${BILLING_SELLER_VAT:-FR44732829320}"
export BILLING_SELLER_SIREN="${BILLING_SELLER_SIREN:-732829320}"
export BILLING_SELLER_IBAN="${BILLING_SELLER_IBAN:-FR7630006000011234567890189}"
