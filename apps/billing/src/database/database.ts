import { defineDatabase, migratedScratchClient } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

/** Postgres schema `billing`, migrated from apps/billing/prisma/migrations (found from src/ and dist/ alike). */
export const billingDb = defineDatabase('billing', new URL('../../prisma/migrations', import.meta.url), (adapter) => new PrismaClient({ adapter }));

/** The billing service's database module: migrations at start-up, `PRISMA` client, `postgres` readiness. */
export const billingDatabase = (url: string) => billingDb.forRoot(url);

/** A client over a freshly migrated scratch database on the server of `url` (tests); `close` drops it. */
export const scratchClient = (url: string) => migratedScratchClient({ ...billingDb, url });
