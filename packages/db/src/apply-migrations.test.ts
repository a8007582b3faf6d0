import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { applyMigrations, MigrationError, PRISMA_ADVISORY_LOCK_KEY } from './apply-migrations.js';
import { MigrationsFixture } from './testing/migrations-fixture.js';

// A scratch database on the real PostgreSQL (infra/start.sh); each test migrates a schema of its own.
const fixture = new MigrationsFixture('db_runner');
const migration = (name: string, sql: string) => fixture.write(name, sql);
let schema: string;
const run = (extra: { lockTimeoutMs?: number; log?: (m: string) => void } = {}) =>
  applyMigrations({ connectionString: fixture.url, schema, migrationsDir: fixture.dir, ...extra });

beforeAll(() => fixture.open(), 60_000);
afterAll(() => fixture.close(), 60_000);
beforeEach(async (context) => {
  context.onTestFinished(await fixture.newFolder());
  schema = `s_${Math.random().toString(36).slice(2, 10)}`;
});

describe('applyMigrations', { timeout: 30_000 }, () => {
  it('applies pending migrations once, in name order, recording them as Prisma does', async () => {
    const b = `CREATE TABLE "${schema}".b (id int primary key, a_id int references "${schema}".a(id));\n`;
    await migration('20260101000000_b', b);
    await migration('20250101000000_a', `CREATE TABLE "${schema}".a (id int primary key);\n`);
    await writeFile(join(fixture.dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    expect(await run()).toEqual({ applied: ['20250101000000_a', '20260101000000_b'], alreadyApplied: 0 });
    expect(await run()).toEqual({ applied: [], alreadyApplied: 2 });

    const { rows } = await fixture.admin.query<Record<string, unknown> & { started_at: Date; finished_at: Date }>(
      `SELECT * FROM "${schema}"._prisma_migrations ORDER BY migration_name`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rows[1]).toMatchObject({
      checksum: createHash('sha256').update(b).digest('hex'),
      migration_name: '20260101000000_b',
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(rows[1]?.finished_at.getTime()).toBeGreaterThanOrEqual(rows[1]?.started_at.getTime() ?? Infinity);
  });

  it('runs unqualified statements in the service schema, as Prisma does with ?schema=', async () => {
    await migration('001_a', 'CREATE TABLE things (id int);\n');
    await run();
    const found = await fixture.admin.query<{ t: string | null }>(`SELECT to_regclass('"${schema}".things')::text AS t`);
    expect(found.rows[0]?.t).not.toBeNull();
  });

  it('refuses to start when an applied migration was edited, naming it', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);\n`);
    await run();
    await migration('001_a', `CREATE TABLE "${schema}".a (id bigint);\n`);
    await expect(run()).rejects.toThrow(new RegExp(`schema ${schema}: 001_a was modified after it was applied`));
  });

  it('accepts the same migration checked out with Windows line endings, as Prisma does', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);\nCREATE TABLE "${schema}".b (id int);\n`);
    await run();
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);\r\nCREATE TABLE "${schema}".b (id int);\r\n`);
    expect(await run()).toEqual({ applied: [], alreadyApplied: 1 });
  });

  it('leaves nothing half-applied when a migration fails, records it as Prisma does, and refuses to go on until resolved', async () => {
    await migration('001_ok', `CREATE TABLE "${schema}".ok (id int);\n`);
    await migration('002_bad', `CREATE TABLE "${schema}".half (id int);\nSELECT * FROM "${schema}".missing;\n`);
    await migration('003_later', `CREATE TABLE "${schema}".later (id int);\n`);
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 002_bad failed in schema .*\n.*42P01[\s\S]*relation .*missing" does not exist/);

    const tables = await fixture.admin.query<{ half: string | null; later: string | null }>(
      `SELECT to_regclass('"${schema}".half')::text AS half, to_regclass('"${schema}".later')::text AS later`,
    );
    expect(tables.rows[0]).toEqual({ half: null, later: null });
    const failed = await fixture.admin.query<{ logs: string }>(
      `SELECT finished_at, rolled_back_at, applied_steps_count, logs FROM "${schema}"._prisma_migrations WHERE migration_name = '002_bad'`,
    );
    expect(failed.rows).toMatchObject([{ finished_at: null, rolled_back_at: null, applied_steps_count: 0 }]);
    expect(failed.rows[0]?.logs).toMatch(/^Database error code: 42P01\n\nDatabase error:\nERROR: relation .* does not exist/);

    await expect(run()).rejects.toThrow(new RegExp(`schema ${schema} has failed migrations[\\s\\S]*- 002_bad, started at`));

    // Resolved as `prisma migrate resolve --rolled-back` does, and fixed: it runs again, then the rest.
    await fixture.admin.query(`UPDATE "${schema}"._prisma_migrations SET rolled_back_at = now() WHERE migration_name = '002_bad'`);
    await migration('002_bad', `CREATE TABLE "${schema}".half (id int);\n`);
    expect(await run()).toEqual({ applied: ['002_bad', '003_later'], alreadyApplied: 1 });
  });

  it('applies each migration once when replicas start at the same time', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int); SELECT pg_sleep(0.2);\n`);
    await migration('002_b', `CREATE TABLE "${schema}".b (id int);\n`);
    const runs = await Promise.all([1, 2, 3, 4].map(() => run()));
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(['001_a', '002_b']);
    expect(runs.map((r) => r.applied.length + r.alreadyApplied)).toEqual([2, 2, 2, 2]);
    const { rows } = await fixture.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"._prisma_migrations`);
    expect(rows[0]?.n).toBe(2);
  });

  it('waits for the lock `prisma migrate deploy` takes, and gives up with a clear error', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);\n`);
    const holder = await fixture.admin.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
      await expect(run({ lockTimeoutMs: 300 })).rejects.toThrow(/held the migration lock .* for more than 300 ms/);
      const waiting = run({ lockTimeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
      expect((await waiting).applied).toEqual(['001_a']);
    } finally {
      holder.release();
    }
  });

  it('tells of applied migrations the folder does not have (a newer release applied them) without refusing', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);\n`);
    await migration('002_b', `CREATE TABLE "${schema}".b (id int);\n`);
    await run();
    await rm(join(fixture.dir, '002_b'), { recursive: true });
    const lines: string[] = [];
    expect(await run({ log: (line) => lines.push(line) })).toEqual({ applied: [], alreadyApplied: 1 });
    expect(lines).toEqual([expect.stringMatching(/migration 002_b is applied but not in/)]);
  });

  it('says what is wrong with the folder itself', async () => {
    await expect(applyMigrations({ connectionString: fixture.url, schema, migrationsDir: join(fixture.dir, 'nope') })).rejects.toThrow(/migrations folder .*nope cannot be read/);
    await writeFile(join(fixture.dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    await expect(run()).rejects.toThrow(/says provider "mysql"/);
    await writeFile(join(fixture.dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    await mkdir(join(fixture.dir, '001_empty'));
    await expect(run()).rejects.toThrow(/001_empty has no readable migration.sql/);
  });
});
