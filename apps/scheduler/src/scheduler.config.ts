import { z } from 'zod';

export const schedulerEnv = {
  WORKER_DOWN_AFTER_MS: z.coerce.number().int().positive().default(3500).describe('A worker silent this long is marked down'),
  WORKER_FORGET_AFTER_MS: z.coerce.number().int().positive().default(600_000).describe('A worker silent this long leaves the fleet view'),
  ALLOCATION_INTERVAL_MS: z.coerce.number().int().min(20).default(250).describe('How often credits are recomputed without a trigger'),
  GATEWAY_EXPIRE_MS: z.coerce.number().int().min(500).default(3000).describe('A gateway silent this long loses its credits'),
  GRANT_REFRESH_MS: z.coerce.number().int().min(100).default(1000).describe('An unchanged credit table is re-sent this often (keep-alive)'),
  BATCH_RESERVE_FRACTION: z.coerce.number().min(0).max(0.9).default(0.25).describe('Share of each worker\'s slots per model kept from batch-class holders for interactive requests (at least 1 slot when above 0)'),
  LOAD_TIMEOUT_MS: z.coerce.number().int().min(1000).default(120_000).describe('A load not seen in heartbeats after this long is given up'),
};

export type SchedulerConfig = z.infer<z.ZodObject<typeof schedulerEnv>>;
