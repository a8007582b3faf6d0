import { defineDatabase, migratedScratchClient } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

/** Postgres schema `auth`, migrated from apps/auth/prisma/migrations (found from src/ and dist/ alike). */
export const authDb = defineDatabase('auth', new URL('../../prisma/migrations', import.meta.url), (adapter) => new PrismaClient({ adapter }));

/** The auth service's database module: migrations at start-up, `PRISMA` client, `postgres` readiness. */
export const authDatabase = (url: string) => authDb.forRoot(url);

/** A client over a freshly migrated scratch database on the server of `url` (tests); `close` drops it. */
export const scratchClient = (url: string) => migratedScratchClient({ ...authDb, url });
