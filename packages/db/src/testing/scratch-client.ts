import { applyMigrations } from '../apply-migrations.js';
import { type DatabaseDefinition, type DatabaseModuleOptions, type PrismaLike } from '../database.module.js';
import { createPgAdapter } from '../pg-adapter.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/** The platform's local PostgreSQL (infra/start.sh), unless DATABASE_URL names another. */
export const testDatabaseUrl = (): string => process.env.DATABASE_URL || 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas';

/**
 * A Prisma client over a scratch database migrated with the service's own migrations: what the
 * schema tests use to prove the SQL migrations and the Prisma schema describe the same tables.
 * `open` in beforeAll, `close` (drops the database) in afterAll, `client` in between.
 */
export class ScratchClient<T extends PrismaLike> {
  private opened?: { client: T; db: ScratchDatabase };

  constructor(
    private readonly definition: DatabaseDefinition<T>,
    private readonly baseUrl: string = testDatabaseUrl(),
  ) {}

  get client(): T {
    if (!this.opened) throw new Error('ScratchClient: call open() first (in beforeAll)');
    return this.opened.client;
  }

  /** The scratch database's URL. */
  get url(): string {
    if (!this.opened) throw new Error('ScratchClient: call open() first (in beforeAll)');
    return this.opened.db.url;
  }

  async open(): Promise<T> {
    const { schema, migrationsDir, createClient } = this.definition;
    const db = await createScratchDatabase(this.baseUrl, schema);
    try {
      await applyMigrations({ connectionString: db.url, schema, migrationsDir });
      const client = createClient(createPgAdapter(db.url, schema, { max: 4 }));
      await client.$connect();
      this.opened = { client, db };
      return client;
    } catch (error) {
      await db.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    const { client, db } = this.opened;
    this.opened = undefined;
    await client.$disconnect();
    await db.drop();
  }
}

/** Vitest's (or any runner's) suite hooks. */
export interface SuiteHooks {
  beforeAll(fn: () => Promise<unknown>, timeout?: number): void;
  afterAll(fn: () => Promise<unknown>, timeout?: number): void;
}

/**
 * The usual way for a schema test: `const prisma = scratchClient(authDb, { beforeAll, afterAll })`
 * gives a client usable inside the tests, over a scratch database created before them and dropped
 * after them.
 */
export function scratchClient<T extends PrismaLike>(definition: DatabaseDefinition<T>, hooks: SuiteHooks, baseUrl?: string): T {
  const scratch = new ScratchClient(definition, baseUrl);
  // Creating and migrating a database takes a while on a busy machine running every suite at once.
  hooks.beforeAll(() => scratch.open(), 60_000);
  hooks.afterAll(() => scratch.close(), 60_000);
  return new Proxy({} as T, {
    get(_target, property) {
      const client = scratch.client as object;
      const value: unknown = Reflect.get(client, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
}

/** A migrated scratch database on the server of `options.url`, opened at once; `close` drops it. */
export async function migratedScratchClient<T extends PrismaLike>(options: DatabaseModuleOptions<T>): Promise<{ client: T; close: () => Promise<void> }> {
  const scratch = new ScratchClient(options, options.url);
  const client = await scratch.open();
  return { client, close: () => scratch.close() };
}
