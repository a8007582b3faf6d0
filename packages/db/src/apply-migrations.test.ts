import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import { applyMigrations, MigrationError } from './apply-migrations.js';

// The real PostgreSQL that infra/start.sh runs; each test works in a schema of its own.
const url = process.env.DATABASE_URL ?? 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas';
const admin = new pg.Pool({ connectionString: url, max: 2 });
const schemas: string[] = [];
let dir: string;
let schema: string;

async function migration(name: string, sql: string) {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  schema = `mig_test_${Math.random().toString(36).slice(2, 10)}`;
  schemas.push(schema);
});

afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

describe('applyMigrations', () => {
  it('applies pending migrations once, in name order, recording them as Prisma does', async () => {
    await migration('20260101000000_b', `CREATE TABLE "${schema}".b (id int primary key, a_id int references "${schema}".a(id));`);
    await migration('20250101000000_a', `CREATE TABLE "${schema}".a (id int primary key);`);
    const first = await applyMigrations({ connectionString: url, schema, migrationsDir: dir });
    expect(first).toEqual({ applied: ['20250101000000_a', '20260101000000_b'], alreadyApplied: 0 });
    const second = await applyMigrations({ connectionString: url, schema, migrationsDir: dir });
    expect(second).toEqual({ applied: [], alreadyApplied: 2 });

    const { rows } = await admin.query<{ id: string; checksum: string; finished_at: Date | null }>(
      `SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs, applied_steps_count FROM "${schema}"._prisma_migrations ORDER BY migration_name`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
    expect(rows[0]).toMatchObject({ rolled_back_at: null, logs: null, applied_steps_count: 1 });
  });

  it('refuses to start when an applied migration was edited', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);`);
    await applyMigrations({ connectionString: url, schema, migrationsDir: dir });
    await migration('001_a', `CREATE TABLE "${schema}".a (id bigint);`);
    await expect(applyMigrations({ connectionString: url, schema, migrationsDir: dir })).rejects.toThrow(/001_a .* was modified after it was applied/);
  });

  it('leaves nothing half-applied when a migration fails, and refuses to go on until it is resolved', async () => {
    await migration('001_ok', `CREATE TABLE "${schema}".ok (id int);`);
    await migration('002_bad', `CREATE TABLE "${schema}".half (id int); SELECT * FROM "${schema}".missing;`);
    await expect(applyMigrations({ connectionString: url, schema, migrationsDir: dir })).rejects.toBeInstanceOf(MigrationError);
    const half = await admin.query<{ t: string | null }>(`SELECT to_regclass('"${schema}".half') AS t`);
    expect(half.rows[0]?.t).toBeNull();
    const failed = await admin.query<{ logs: string }>(`SELECT logs FROM "${schema}"._prisma_migrations WHERE migration_name = '002_bad'`);
    expect(failed.rows[0]?.logs).toContain('missing');
    await expect(applyMigrations({ connectionString: url, schema, migrationsDir: dir })).rejects.toThrow(/002_bad .* failed earlier/);

    // Resolving as Prisma does (rolled back) and fixing the file lets it through.
    await admin.query(`UPDATE "${schema}"._prisma_migrations SET rolled_back_at = now() WHERE migration_name = '002_bad'`);
    await migration('002_bad', `CREATE TABLE "${schema}".half (id int);`);
    expect((await applyMigrations({ connectionString: url, schema, migrationsDir: dir })).applied).toEqual(['002_bad']);
  });

  it('applies each migration once when replicas start at the same time', async () => {
    await migration('001_a', `CREATE TABLE "${schema}".a (id int);`);
    await migration('002_b', `CREATE TABLE "${schema}".b (id int);`);
    const runs = await Promise.all([1, 2, 3].map(() => applyMigrations({ connectionString: url, schema, migrationsDir: dir })));
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(['001_a', '002_b']);
    const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}"._prisma_migrations`);
    expect(rows[0]?.n).toBe(2);
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
