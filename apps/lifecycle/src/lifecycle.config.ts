import { databaseEnv } from '@llmaas/config';
import { type BaseConfig } from '@llmaas/service-kit';
import { z } from 'zod';

export const lifecycleEnv = {
  ...databaseEnv,
  CATALOG_SEED_DIR: z.string().min(1).describe('Folder with model-catalog.csv and deprecated-models.csv, imported once'),
  PHASE_CHECK_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000).describe('How often phases are recomputed and changes published'),
};

export type LifecycleConfig = z.infer<z.ZodObject<typeof lifecycleEnv>> & BaseConfig;

/** Today, injectable: phases are tested against a moving clock. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
