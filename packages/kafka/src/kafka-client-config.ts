import { logLevel, type KafkaConfig, type LogEntry } from './kafkajs-runtime.js';

export interface KafkaConnection {
  readonly clientId: string;
  readonly brokers: readonly string[];
  /** Where kafkajs's own log lines go (warnings and errors only: it is chatty). */
  readonly log?: (level: 'error' | 'warn', message: string, extra: Record<string, unknown>) => void;
}

/**
 * kafkajs settings shared by every client. Retries are short and frequent so that a broker
 * restart costs seconds, not the default minute of exponential backoff.
 */
export function kafkaClientConfig(connection: KafkaConnection): KafkaConfig {
  return {
    clientId: connection.clientId,
    brokers: [...connection.brokers],
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!connection.log) return;
      const { message, ...extra } = entry.log;
      connection.log(entry.level === logLevel.ERROR ? 'error' : 'warn', `kafkajs: ${message}`, { ...extra, namespace: entry.namespace });
    },
  };
}
