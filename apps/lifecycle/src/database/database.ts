import { fileURLToPath } from 'node:url';

import { DatabaseModule, migratedScratchClient, type DatabaseModuleOptions } from '@llmaas/db';

import { PrismaClient } from '../generated/prisma/client.js';

const options = (url: string): DatabaseModuleOptions<PrismaClient> => ({
  url,
  schema: 'catalog',
  // Resolved from the compiled file (dist/database/) and from the sources alike.
  migrationsDir: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)),
  createClient: (adapter) => new PrismaClient({ adapter }),
});

export const lifecycleDatabase = (url: string) => DatabaseModule.forRoot(options(url));
/** A client over a freshly migrated scratch database on the same server (schema tests). */
export const scratchClient = (url: string) => migratedScratchClient(options(url));
