import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';

import { checksumMatches, migrationChecksum } from './checksum.js';

/** Why a service refuses to start: its migration history or files need a person's attention. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  /** Migrations this run applied, in order. */
  applied: string[];
  /** Migrations of the folder that were already applied. */
  alreadyApplied: number;
}

export interface ApplyMigrationsOptions {
  connectionString: string;
  /** The Postgres schema the service owns; `_prisma_migrations` lives in it. */
  schema: string;
  /** A Prisma `migrations/` folder: one sub-folder per migration with its `migration.sql`. */
  migrationsDir: string;
  log?: (message: string) => void;
  /** How long to wait while another runner (a replica, or `prisma migrate deploy`) holds the lock. */
  lockTimeoutMs?: number;
  /** How long to keep trying while the server refuses connections (it may still be starting). */
  connectTimeoutMs?: number;
}

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/**
 * The key `prisma migrate deploy` itself locks on (Postgres connector), so this runner, other
 * replicas and the Prisma CLI never migrate the same database at once.
 */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Applies pending migrations the way `prisma migrate deploy` does, and records them in the same
 * `_prisma_migrations` table (same DDL, same rows, checksum = SHA-256 of migration.sql), so the
 * Prisma CLI sees the same history wherever its schema engine is available, and the reverse.
 * Stricter than Prisma in two ways: an applied migration whose file changed stops the start, and
 * each migration runs in one transaction with its bookkeeping row, so a failure leaves no half.
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const { schema } = options;
  const local = await readMigrations(options.migrationsDir);
  const client = await connect(options.connectionString, options.connectTimeoutMs ?? 30_000);
  const table = `${ident(schema)}."_prisma_migrations"`;
  let locked = false;
  try {
    await lock(client, options.lockTimeoutMs ?? 300_000);
    locked = true;
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    // As Prisma with `?schema=`: unqualified names in a migration land in the service's schema.
    await client.query(`SET search_path TO ${ident(schema)}`);
    // Prisma's own DDL for its bookkeeping table.
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`);
    const { rows } = await client.query<HistoryRow>(
      `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs FROM ${table} ORDER BY started_at`,
    );
    refuseFailed(rows, schema);
    // As Prisma: a migration counts as applied when it has a row that was not rolled back.
    const history = new Map(rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]));
    refuseEdited(local, history, schema);
    const known = new Set(local.map((m) => m.name));
    for (const name of history.keys()) {
      if (!known.has(name)) log(`schema ${schema}: migration ${name} is applied but not in ${options.migrationsDir} (applied by a newer version?)`);
    }

    const pending = local.filter((migration) => !history.has(migration.name));
    for (const migration of pending) {
      await applyOne(client, table, migration, schema);
      log(`schema ${schema}: applied migration ${migration.name}`);
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: local.length - pending.length };
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function applyOne(client: pg.Client, table: string, migration: LocalMigration, schema: string): Promise<void> {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())`, [
      id,
      migration.checksum,
      migration.name,
    ]);
    // No parameters: the simple query protocol, so a file may hold many statements.
    await client.query(migration.sql);
    await client.query(`UPDATE ${table} SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = describeDatabaseError(error);
    // Recorded as Prisma records a failed migration, so neither we nor Prisma run past it blindly.
    await client.query(`INSERT INTO ${table} (id, checksum, migration_name, started_at, logs) VALUES ($1, $2, $3, now(), $4)`, [
      id,
      migration.checksum,
      migration.name,
      logs,
    ]);
    throw new MigrationError(
      `migration ${migration.name} failed in schema ${schema}; nothing of it was applied. Fix the migration, then mark it ` +
        `rolled back (see "refuses to start" in DEVELOPERS.md):\n${logs}`,
    );
  }
}

function refuseFailed(rows: HistoryRow[], schema: string): void {
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed
    .map((row) => `- ${row.migration_name}, started at ${row.started_at.toISOString()}${row.logs?.trim() ? `: ${row.logs.trim()}` : ''}`)
    .join('\n');
  throw new MigrationError(
    `schema ${schema} has failed migrations; the service will not start until they are resolved:\n${details}\n` +
      `Fix the database (or the migration), then mark each one rolled back: ` +
      `UPDATE ${ident(schema)}._prisma_migrations SET rolled_back_at = now() WHERE migration_name = '…' AND finished_at IS NULL ` +
      `(or \`prisma migrate resolve --rolled-back <name>\` where the schema engine exists).`,
  );
}

function refuseEdited(local: LocalMigration[], history: Map<string, HistoryRow>, schema: string): void {
  const edited = local.filter((migration) => {
    const row = history.get(migration.name);
    return row !== undefined && !checksumMatches(migration.sql, row.checksum);
  });
  if (edited.length === 0) return;
  throw new MigrationError(
    `schema ${schema}: ${edited.map((m) => m.name).join(', ')} ${edited.length === 1 ? 'was' : 'were'} modified after ${edited.length === 1 ? 'it was' : 'they were'} applied ` +
      `(the checksum in _prisma_migrations no longer matches migration.sql). Restore the file and add a new migration instead.`,
  );
}

async function readMigrations(dir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(`migrations folder ${dir} cannot be read: ${(error as Error).message}`);
  }
  const lock = await readFile(join(dir, 'migration_lock.toml'), 'utf8').catch(() => null);
  const provider = lock?.match(/^\s*provider\s*=\s*"([^"]*)"/m)?.[1];
  if (provider !== undefined && provider !== 'postgresql') {
    throw new MigrationError(`${join(dir, 'migration_lock.toml')} says provider "${provider}"; these migrations are not for PostgreSQL`);
  }
  // Prisma's order: folder names, sorted (they start with a timestamp).
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name, 'migration.sql');
      const sql = await readFile(file, 'utf8').catch((error: Error) => {
        throw new MigrationError(`migration ${name} has no readable migration.sql (${error.message})`);
      });
      return { name, sql, checksum: migrationChecksum(sql) };
    }),
  );
}

/** Waits for the server while it is starting or not yet listening; any other error is final. */
async function connect(connectionString: string, timeoutMs: number): Promise<pg.Client> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString, application_name: 'llmaas-migrate' });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      const transient = code === 'ECONNREFUSED' || code === '57P03' || code === 'ETIMEDOUT' || code === 'ECONNRESET';
      if (!transient || Date.now() + 500 > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2000)));
    }
  }
}

async function lock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new MigrationError(
        `another migration runner held the migration lock (pg_advisory_lock(${PRISMA_ADVISORY_LOCK_KEY})) for more than ${timeoutMs} ms; ` +
          `is a long migration running elsewhere? Look at pg_stat_activity for application_name = 'llmaas-migrate'`,
      );
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}

/** The shape of the `logs` Prisma writes for a failed migration. */
function describeDatabaseError(error: unknown): string {
  const e = error as { code?: string; message?: string; position?: string };
  if (!e.code) return String(e.message ?? error);
  return `Database error code: ${e.code}\n\nDatabase error:\nERROR: ${e.message ?? ''}${e.position ? `\n\nPosition: ${e.position}` : ''}`;
}
