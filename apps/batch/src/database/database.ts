import { defineDatabase, migratedScratchClient } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

/** Postgres schema `batch`, migrated from apps/batch/prisma/migrations (found from src/ and dist/ alike). */
export const batchDb = defineDatabase('batch', new URL('../../prisma/migrations', import.meta.url), (adapter) => new PrismaClient({ adapter }));

/** The batch service's database module: migrations at start-up, `PRISMA` client, `postgres` readiness. */
export const batchDatabase = (url: string) => batchDb.forRoot(url);

/** A client over a freshly migrated scratch database on the server of `url` (tests); `close` drops it. */
export const scratchClient = (url: string) => migratedScratchClient({ ...batchDb, url });
