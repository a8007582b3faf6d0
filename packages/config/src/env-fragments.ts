import { z } from 'zod';

import { secret } from './load-config.js';

const port = z.coerce.number().int().min(1).max(65535);

/** Every service: its name in logs and metrics, and the log level. */
export const commonEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional().describe('OTLP/HTTP endpoint for traces; unset = no export'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1).describe('Share of new traces recorded (parent-based: a request keeps its caller\'s decision)'),
};

export const kafkaEnv = {
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'expected host:port[,host:port...]')
    .describe('Kafka bootstrap servers, e.g. 127.0.0.1:19092'),
};

export const redisEnv = {
  REDIS_URL: secret(z.url().describe('Redis URL, e.g. redis://127.0.0.1:16379')),
};

export const databaseEnv = {
  DATABASE_URL: secret(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// URL')
      .describe('PostgreSQL URL, e.g. postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas'),
  ),
};

/** The port of the service's own HTTP listener (health, readiness, metrics; the API for the gateway). */
export function httpEnv(defaultPort: number) {
  return {
    HTTP_HOST: z.string().default('127.0.0.1'),
    HTTP_PORT: port.default(defaultPort),
  };
}
