import { isWellFormedApiKey } from '@llmaas/api-keys';
import { databaseEnv, secret } from '@llmaas/config';
import { type BaseConfig } from '@llmaas/service-kit';
import { z } from 'zod';

export const authEnv = {
  ...databaseEnv,
  KEY_HASH_SECRET: secret(z.string().min(32).describe('HMAC secret for API key hashes (shared with the gateway)')),
  SECRET_BOX_KEY: secret(z.string().regex(/^[0-9a-f]{64}$/, '32 bytes, hex').describe('AES-256 key sealing auto-rotated secrets until fetched')),
  AUDIT_SIGNING_SECRET: secret(z.string().min(32).describe('HMAC secret signing audit retention checkpoints')),
  BOOTSTRAP_OPERATOR_KEY: secret(
    z.string().refine(isWellFormedApiKey, 'not a well-formed llm_… key').describe('Operator key registered at first start (llm_… format)'),
  ),
  KEY_ROTATION_OVERLAP_HOURS: z.coerce.number().min(0).max(720).default(24).describe('How long a rotated key keeps working'),
  ROTATION_CHECK_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  RETENTION_CHECK_INTERVAL_MS: z.coerce.number().int().min(1000).default(86_400_000),
  TABLE_RESYNC_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000).describe('Full republish of tenants and keys to their compacted topics'),
};

export type AuthConfig = z.infer<z.ZodObject<typeof authEnv>> & BaseConfig;

/** Now, injectable: rotation and retention are tested against a moving clock. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
