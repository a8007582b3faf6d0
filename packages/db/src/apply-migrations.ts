import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export interface ApplyMigrationsOptions {
  connectionString: string;
  /** The Postgres schema the service owns; `_prisma_migrations` lives in it. */
  schema: string;
  /** A Prisma `migrations/` folder: one sub-folder per migration with its `migration.sql`. */
  migrationsDir: string;
  log?: (message: string) => void;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Applies pending migrations the way `prisma migrate deploy` does, and records them in the same
 * `_prisma_migrations` table (same columns, checksum = SHA-256 of migration.sql), so the Prisma
 * CLI sees the same history wherever its schema engine is available.
 * Differences, both safer: each migration runs in a transaction with its bookkeeping row, and an
 * advisory lock per schema serialises replicas starting at once.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const local = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  const table = `${ident(options.schema)}."_prisma_migrations"`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`llmaas:migrate:${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(options.schema)}`);
    // Prisma's own DDL for its bookkeeping table.
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM ${table} ORDER BY started_at`,
    );
    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `migration ${failed.migration_name} in schema ${options.schema} failed earlier; fix it, then mark it rolled back ` +
          `(prisma migrate resolve --rolled-back ${failed.migration_name}, or set rolled_back_at on its _prisma_migrations row)`,
      );
    }
    const applied = new Map(rows.filter((row) => row.finished_at !== null).map((row) => [row.migration_name, row.checksum]));
    for (const migration of local) {
      const recorded = applied.get(migration.name);
      if (recorded !== undefined && recorded !== migration.checksum) {
        throw new MigrationError(
          `migration ${migration.name} in schema ${options.schema} was modified after it was applied ` +
            `(checksum ${recorded.slice(0, 12)}… is now ${migration.checksum.slice(0, 12)}…); add a new migration instead`,
        );
      }
    }
    const pending = local.filter((migration) => !applied.has(migration.name));
    for (const migration of pending) {
      const id = randomUUID();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [
          id,
          migration.checksum,
          migration.name,
        ]);
        await client.query(migration.sql);
        await client.query(`UPDATE ${table} SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query('COMMIT');
        log(`applied migration ${migration.name} to schema ${options.schema}`);
      } catch (error) {
        await client.query('ROLLBACK');
        const reason = error instanceof Error ? error.message : String(error);
        // Recorded as Prisma records a failed migration, so neither we nor Prisma run past it blindly.
        await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at, logs) VALUES ($1, $2, $3, now(), $4)`, [
          id,
          migration.checksum,
          migration.name,
          reason,
        ]);
        throw new MigrationError(`migration ${migration.name} in schema ${options.schema} failed: ${reason}`);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: local.length - pending.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`llmaas:migrate:${options.schema}`]).catch(() => undefined);
    await client.end();
  }
}

async function readMigrations(dir: string): Promise<{ name: string; sql: string; checksum: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}
