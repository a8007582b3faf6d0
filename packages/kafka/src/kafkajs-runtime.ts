// kafkajs is CommonJS: Node's ESM loader cannot see its named exports, so its values are taken
// from the default export here, once, and the rest of the repo imports them from this package.
import kafkajs from 'kafkajs';

export const { Kafka, logLevel, ConfigResourceTypes, Partitioners } = kafkajs;
export type { Admin, Consumer, KafkaConfig, LogEntry, Producer } from 'kafkajs';
