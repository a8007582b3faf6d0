import { defineDatabase } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

/** Postgres schema `catalog`, migrated from apps/lifecycle/prisma/migrations (found from src/ and dist/ alike). */
export const lifecycleDb = defineDatabase('catalog', new URL('../../prisma/migrations', import.meta.url), (adapter) => new PrismaClient({ adapter }));

/** The lifecycle service's database module: migrations at start-up, `PRISMA` client, `postgres` readiness. */
export const lifecycleDatabase = (url: string) => lifecycleDb.forRoot(url);
