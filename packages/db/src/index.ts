export { applyMigrations, MigrationError, type MigrationReport } from './apply-migrations.js';
export { DatabaseModule, PRISMA, type DatabaseModuleOptions, type PrismaLike } from './database.module.js';
export { createPgAdapter } from './pg-adapter.js';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { migratedScratchClient } from './migrated-client.js';
