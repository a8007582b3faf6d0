export { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
export { kafkaMicroserviceOptions } from './kafka-microservice-options.js';
export { ensureTopics, type EnsureTopicsReport } from './ensure-topics.js';
export { EventPublisher } from './event-publisher.js';
export { RpcCallError, RpcClient } from './rpc-client.js';
export { EventHandler, RpcHandler, RpcFailure, setConsumerName } from './handlers.js';
export { KafkaHealth } from './kafka-health.js';
export { KafkaModule, KAFKA_CLIENT, type KafkaModuleOptions } from './kafka.module.js';
export { encodeMessage, headerValue, SCHEMA_VERSION_HEADER } from './message-codec.js';
