import { z } from 'zod';

export const schedulerEnv = {
  WORKER_DOWN_AFTER_MS: z.coerce.number().int().positive().default(3500).describe('A worker silent this long is marked down'),
  WORKER_FORGET_AFTER_MS: z.coerce.number().int().positive().default(600_000).describe('A worker silent this long leaves the fleet view'),
};

export type SchedulerConfig = z.infer<z.ZodObject<typeof schedulerEnv>>;
