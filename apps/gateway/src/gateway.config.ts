import { redisEnv, secret } from '@llmaas/config';
import { type BaseConfig } from '@llmaas/service-kit';
import { z } from 'zod';

export const gatewayEnv = {
  ...redisEnv,
  KEY_HASH_SECRET: secret(z.string().min(32).describe('HMAC secret of API key hashes (the same as auth)')),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024).describe('Largest accepted request body'),
  CAPACITY_WAIT_MS: z.coerce.number().int().min(100).default(60_000).describe('How long a request waits for a batch slot (a cold model loads meanwhile) before 503'),
  DEMAND_INTERVAL_MS: z.coerce.number().int().min(20).default(250).describe('How often the gateway reports its credits and waiting requests to the scheduler'),
  GUARD_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:9102').describe('The prompt-guard service, called over HTTP on the hot path'),
  GUARD_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(2000).describe('How long a request waits for the guard before failing (closed or open)'),
  GUARD_FAIL_OPEN: z.stringbool().default(false).describe('When the prompt guard cannot answer: serve the request anyway (true) or 503 (false, the default)'),
  BATCH_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:9106').describe('The batch service, where file uploads and downloads are streamed'),
  SERVICE_AUTH_SECRET: secret(z.string().min(32).describe('Shared with the batch service: signs the caller identity forwarded with file requests')),
  INVALID_KEY_LIMIT: z.coerce.number().int().positive().default(20).describe('Failed authentications per address per minute before 429'),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayEnv>> & BaseConfig;
