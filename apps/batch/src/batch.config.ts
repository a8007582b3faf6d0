import { databaseEnv, redisEnv, secret } from '@llmaas/config';
import { type BaseConfig } from '@llmaas/service-kit';
import { z } from 'zod';

const MB = 1024 * 1024;
const bool = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

export const batchEnv = {
  ...databaseEnv,
  ...redisEnv,
  BATCH_DATA_DIR: z.string().min(1).describe('Where the encrypted file bodies are stored'),
  BATCH_MASTER_KEYS: secret(z.string().min(1).describe('Master keys wrapping the tenants\' data keys, "id:<64 hex>[,old-id:<64 hex>…]": the first wraps, the others are kept to re-wrap after a rotation')),
  SERVICE_AUTH_SECRET: secret(z.string().min(32).describe('Shared with the gateway: signs the caller identity it forwards over HTTP')),
  BATCH_MAX_FILE_BYTES: z.coerce.number().int().positive().default(512 * MB),
  BATCH_MAX_INPUT_BYTES: z.coerce.number().int().positive().default(200 * MB).describe('Largest file with purpose=batch'),
  BATCH_MAX_REQUESTS: z.coerce.number().int().positive().default(50_000),
  BATCH_CHUNK_LINES: z.coerce.number().int().positive().default(100).describe('Input lines per BullMQ job'),
  BATCH_CHUNK_CONCURRENCY: z.coerce.number().int().positive().default(16).describe('Chunk jobs run at once by this instance'),
  BATCH_LINE_CONCURRENCY: z.coerce.number().int().positive().default(8).describe('Lines of one chunk in flight at once'),
  BATCH_LINE_ATTEMPTS: z.coerce.number().int().positive().default(4).describe('Tries of a line on a transient failure (worker gone, 5xx, no capacity)'),
  BATCH_SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(5_000).describe('How often expiry, recovery and file retention run'),
  BATCH_DRAIN_MS: z.coerce.number().int().positive().default(30_000).describe('How long a cancelled or expired batch waits for its running lines'),
  BATCH_OUTPUT_RETENTION_SECONDS: z.coerce.number().int().min(3600).default(30 * 86_400).describe('Default life of batch files (inputs and outputs), as OpenAI'),
  BATCH_WEBHOOK_ATTEMPTS: z.coerce.number().int().positive().default(8),
  BATCH_WEBHOOK_BACKOFF_MS: z.coerce.number().int().positive().default(2_000),
  DEMAND_INTERVAL_MS: z.coerce.number().int().positive().default(250),
  BATCH_TEST_CLOCK: bool.describe('Lets tests move this service\'s clock (POST /internal/test-clock); never in production'),
};

export type BatchConfig = z.infer<z.ZodObject<typeof batchEnv>> & BaseConfig;
