import 'reflect-metadata';

import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ReadinessRegistry } from '@llmaas/service-kit';
import { type PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MigrationError } from './apply-migrations.js';
import { DatabaseModule, pingDatabase, PRISMA, type PrismaLike } from './database.module.js';
import { MigrationsFixture } from './testing/migrations-fixture.js';

/** The part of a generated client the module uses, straight over the adapter. */
class AdapterClient implements PrismaLike {
  private connection?: Awaited<ReturnType<PrismaPg['connect']>>;
  constructor(private readonly adapter: PrismaPg) {}
  async $connect() {
    this.connection ??= await this.adapter.connect();
  }
  async $disconnect() {
    await this.connection?.dispose();
    this.connection = undefined;
  }
  async $queryRawUnsafe(sql: string) {
    if (!this.connection) throw new Error('not connected');
    return (await this.connection.queryRaw({ sql, args: [], argTypes: [] })).rows;
  }
}

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
class CoreModule {}

const fixture = new MigrationsFixture('db_module');
const start = (schema: string) =>
  NestFactory.createApplicationContext(
    {
      module: class Root {},
      imports: [CoreModule, DatabaseModule.forRoot({ url: fixture.url, schema, migrationsDir: fixture.dir, createClient: (adapter) => new AdapterClient(adapter) })],
    },
    { logger: false, abortOnError: false },
  );
let removeFolder: () => Promise<void>;

beforeAll(async () => {
  await fixture.open();
  removeFolder = await fixture.newFolder();
  await fixture.write('001_init', `CREATE TABLE "things" ("id" INTEGER NOT NULL);\nINSERT INTO "things" VALUES (1), (2);\n`);
}, 60_000);

afterAll(async () => {
  await fixture.close();
  await removeFolder();
}, 60_000);

describe('DatabaseModule', { timeout: 30_000 }, () => {
  it('migrates before handing out the client, reports postgres ready, disconnects on close', async () => {
    let app: INestApplicationContext | undefined = await start('svc');
    try {
      const client = app.get<AdapterClient>(PRISMA);
      // The adapter's search path is the service schema: raw SQL finds its tables unqualified.
      expect(await client.$queryRawUnsafe('SELECT count(*)::int FROM things')).toEqual([[2]]);
      expect(await app.get(ReadinessRegistry).evaluate()).toEqual({ ready: true, dependencies: { postgres: 'up' } });
      await app.close();
      app = undefined;
      await expect(client.$queryRawUnsafe('SELECT 1')).rejects.toThrow('not connected');
    } finally {
      await app?.close();
    }
  });

  it('does not start on a migration history that needs a person', async () => {
    await fixture.write('001_init', `CREATE TABLE "things" ("id" BIGINT NOT NULL);\n`);
    await expect(start('svc')).rejects.toBeInstanceOf(MigrationError);
  });

  it('reports the database down when SELECT 1 fails or outlasts the timeout', async () => {
    const failing: PrismaLike = { $connect: async () => {}, $disconnect: async () => {}, $queryRawUnsafe: () => Promise.reject(new Error('gone')) };
    const hanging: PrismaLike = { ...failing, $queryRawUnsafe: () => new Promise(() => undefined) };
    expect(await pingDatabase(failing)).toBe(false);
    expect(await pingDatabase(hanging, 50)).toBe(false);
  });
});
