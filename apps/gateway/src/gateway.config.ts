import { redisEnv, secret } from '@llmaas/config';
import { z } from 'zod';

export const gatewayEnv = {
  ...redisEnv,
  LLMAAS_ADMIN_KEY: secret(
    z.string().min(32, 'at least 32 characters').describe('Bootstrap operator key for /admin/v1 (replaced by auth-issued operator keys)'),
  ),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024).describe('Largest accepted request body'),
};

export type GatewayConfig = z.infer<z.ZodObject<typeof gatewayEnv>>;
