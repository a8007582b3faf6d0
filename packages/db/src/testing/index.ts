// Helpers for tests against the real PostgreSQL: scratch databases, migrated clients, and the
// check that a service's migrations build what its schema.prisma describes.
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { migratedScratchClient, ScratchClient, scratchClient, testDatabaseUrl, type SuiteHooks } from './scratch-client.js';
export { assertMigrationsMatchSchema, compareMigrationsWithSchema, describeSchema, type SchemaSnapshot, type TableSnapshot } from './schema-snapshot.js';
export { prismaMigrateDeploy, prismaMigrateStatus, prismaMigrationSql, type PrismaSchemaFile } from '../schema-engine.js';
export { MigrationsFixture } from './migrations-fixture.js';
