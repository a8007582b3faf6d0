import { fileURLToPath } from 'node:url';

import { DatabaseModule } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

export { PrismaClient };
export const DB_SCHEMA = 'auth';
/** Resolved from the compiled file (dist/database/) and from the sources alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export const authDatabase = (url: string) =>
  DatabaseModule.forRoot({ url, schema: DB_SCHEMA, migrationsDir: MIGRATIONS_DIR, createClient: (adapter) => new PrismaClient({ adapter }) });
