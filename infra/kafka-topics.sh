#!/usr/bin/env bash
# kafka-topics for this checkout's broker: the real Kafka 3.9.1 TopicCommand from .data/kafka-libs,
# with --bootstrap-server already set. Examples:
#   infra/kafka-topics.sh --list
#   infra/kafka-topics.sh --describe --topic some.topic
set -euo pipefail
# shellcheck source=infra/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[[ -f "$KAFKA_LIBS/.kafka-$KAFKA_VERSION" ]] || { echo "Kafka jars missing: run infra/install.sh" >&2; exit 1; }
exec java -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j.configuration="file:$LLMAAS_ROOT/infra/kafka/tools-log4j.properties" \
  -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BROKERS" "$@"
