import { applyMigrations } from './apply-migrations.js';
import { type DatabaseModuleOptions, type PrismaLike } from './database.module.js';
import { createPgAdapter } from './pg-adapter.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * A Prisma client over a scratch database (on the server of `options.url`) migrated with the
 * service's own migrations: what the schema tests use to prove the SQL migrations and the Prisma
 * schema describe the same tables.
 */
export async function migratedScratchClient<T extends PrismaLike>(options: DatabaseModuleOptions<T>): Promise<{ client: T; close: () => Promise<void> }> {
  const db = await createScratchDatabase(options.url, options.schema);
  await applyMigrations({ connectionString: db.url, schema: options.schema, migrationsDir: options.migrationsDir });
  const client = options.createClient(createPgAdapter(db.url, options.schema));
  await client.$connect();
  return {
    client,
    close: async () => {
      await client.$disconnect();
      await db.drop();
    },
  };
}
