/** Injection token of the service's Nest Kafka client (producer + RPC reply consumer). */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
