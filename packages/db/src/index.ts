export { applyMigrations, MigrationError, PRISMA_ADVISORY_LOCK_KEY, type ApplyMigrationsOptions, type MigrationReport } from './apply-migrations.js';
export { checksumMatches, migrationChecksum } from './checksum.js';
export {
  DatabaseModule,
  defineDatabase,
  openDatabase,
  pingDatabase,
  PRISMA,
  READINESS_TIMEOUT_MS,
  type DatabaseDefinition,
  type DatabaseLog,
  type DatabaseModuleOptions,
  type PrismaLike,
} from './database.module.js';
export { createPgAdapter, type PgAdapterOptions } from './pg-adapter.js';
export { migratedScratchClient } from './testing/scratch-client.js';
