# Sourced by every infra script and by the service runner: where things live and listen.
# Ports are not the defaults, so the platform never collides with a server already on the box.
LLMAAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LLMAAS_ROOT
export LLMAAS_DATA="$LLMAAS_ROOT/.data"
export INFRA_DATA="$LLMAAS_DATA/infra"
export INFRA_LOGS="$LLMAAS_DATA/logs"
export KAFKA_LIBS="$LLMAAS_DATA/kafka-libs"
export KAFKA_VERSION="3.9.1"

export KAFKA_PORT="${KAFKA_PORT:-19092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export REDIS_PORT="${REDIS_PORT:-16379}"
export PG_PORT="${PG_PORT:-15432}"
export PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"
export DATABASE_URL="${DATABASE_URL:-postgresql://llmaas:llmaas@127.0.0.1:$PG_PORT/llmaas}"
