import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { commonEnv, databaseEnv, httpEnv, kafkaEnv } from './env-fragments.js';
import { ConfigError, loadConfig, redactConfig } from './load-config.js';

const schema = z.object({ ...commonEnv, ...kafkaEnv, ...databaseEnv, ...httpEnv(9100) });
const good = { KAFKA_BROKERS: '127.0.0.1:19092', DATABASE_URL: 'postgresql://u:p@127.0.0.1:15432/db' };

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(schema, { ...good, HTTP_PORT: '9200' });
    expect(config.HTTP_PORT).toBe(9200);
    expect(config.HTTP_HOST).toBe('127.0.0.1');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('names every missing variable with its description', () => {
    try {
      loadConfig(schema, {});
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('missing required environment variable KAFKA_BROKERS (Kafka bootstrap servers');
      expect(message).toContain('missing required environment variable DATABASE_URL');
    }
  });

  it('treats an empty value as missing', () => {
    expect(() => loadConfig(schema, { ...good, KAFKA_BROKERS: '' })).toThrow(/missing required environment variable KAFKA_BROKERS/);
  });

  it('reports a malformed value as invalid, not missing', () => {
    expect(() => loadConfig(schema, { ...good, KAFKA_BROKERS: 'not a broker' })).toThrow(
      /KAFKA_BROKERS is invalid: expected host:port/,
    );
    expect(() => loadConfig(schema, { ...good, HTTP_PORT: '70000' })).toThrow(/HTTP_PORT is invalid/);
  });

  it('redacts secrets for logging', () => {
    const config = loadConfig(schema, good);
    const shown = redactConfig(schema, config);
    expect(shown.DATABASE_URL).toBe('[redacted]');
    expect(shown.KAFKA_BROKERS).toBe('127.0.0.1:19092');
  });
});
