import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { testDatabaseUrl } from './scratch-client.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * For tests of migration tooling: a scratch database (with an admin pool on it) for the whole
 * file, and a fresh temporary migrations folder per test.
 */
export class MigrationsFixture {
  private database?: { db: ScratchDatabase; admin: pg.Pool };
  private folder?: string;

  constructor(private readonly label: string) {}

  get url(): string {
    return this.opened().db.url;
  }

  get admin(): pg.Pool {
    return this.opened().admin;
  }

  /** The current test's migrations folder. */
  get dir(): string {
    if (!this.folder) throw new Error('MigrationsFixture: call newFolder() first (in beforeEach)');
    return this.folder;
  }

  async open(): Promise<void> {
    const db = await createScratchDatabase(testDatabaseUrl(), this.label);
    this.database = { db, admin: new pg.Pool({ connectionString: db.url, max: 3 }) };
  }

  async close(): Promise<void> {
    if (!this.database) return;
    const { db, admin } = this.database;
    this.database = undefined;
    await admin.end();
    await db.drop();
  }

  /** A new empty migrations folder; the returned function removes it. */
  async newFolder(): Promise<() => Promise<void>> {
    const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
    this.folder = dir;
    return () => rm(dir, { recursive: true, force: true });
  }

  /** Writes `<dir>/<name>/migration.sql`. */
  async write(name: string, sql: string): Promise<void> {
    await mkdir(join(this.dir, name), { recursive: true });
    await writeFile(join(this.dir, name, 'migration.sql'), sql);
  }

  private opened(): { db: ScratchDatabase; admin: pg.Pool } {
    if (!this.database) throw new Error('MigrationsFixture: call open() first (in beforeAll)');
    return this.database;
  }
}
