import { fileURLToPath } from 'node:url';

import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@llmaas/service-kit';
import { type PrismaPg } from '@prisma/adapter-pg';

import { applyMigrations } from './apply-migrations.js';
import { createPgAdapter } from './pg-adapter.js';

/** What this module needs of a generated Prisma client. */
export interface PrismaLike {
  $connect(): Promise<void>;
  $disconnect(): Promise<void>;
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** What a service knows of its database before it has a URL: the app-specific part. */
export interface DatabaseDefinition<T extends PrismaLike> {
  /** The Postgres schema the service owns (`@@schema` of every model). */
  schema: string;
  /** The service's Prisma `migrations/` folder (its `schema.prisma` sits beside it). */
  migrationsDir: string;
  /** Builds the generated client over the adapter, e.g. `(adapter) => new PrismaClient({ adapter })`. */
  createClient: (adapter: PrismaPg) => T;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

export interface DatabaseModuleOptions<T extends PrismaLike> extends DatabaseDefinition<T> {
  url: string;
}

/** Injection token of the service's Prisma client: `@Inject(PRISMA) prisma: PrismaClient`. */
export const PRISMA = Symbol('PRISMA');

/** Readiness reports the database down when `SELECT 1` takes longer than this. */
export const READINESS_TIMEOUT_MS = 1500;

/** `SELECT 1` through the client, false when it fails or outlasts the timeout. */
export async function pingDatabase(client: PrismaLike, timeoutMs = READINESS_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const ping = client.$queryRawUnsafe('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaLike,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgres', () => pingDatabase(this.prisma));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

export interface DatabaseLog {
  log(message: string): void;
  warn(message: string): void;
}

/** Migrates, then connects: the client is only handed out once the schema is current. */
export async function openDatabase<T extends PrismaLike>(options: DatabaseModuleOptions<T>, logger: DatabaseLog): Promise<T> {
  const log = (message: string) => logger.log(message);
  if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`schema name ${JSON.stringify(options.schema)}: lower-case letters, digits and _ only`);
  const report = await applyMigrations({ connectionString: options.url, schema: options.schema, migrationsDir: options.migrationsDir, log });
  log(`schema ${options.schema}: ${report.applied.length} migration(s) applied now, ${report.alreadyApplied} before`);
  const adapter = createPgAdapter(options.url, options.schema, {
    max: options.poolSize,
    onError: (error) => logger.warn(`postgres connection error: ${error.message}`),
  });
  const client = options.createClient(adapter);
  await client.$connect();
  return client;
}

/**
 * A service's own database, global: migrations applied at start-up (a failed or edited
 * migration stops the start), the Prisma client under {@link PRISMA}, a `postgres` readiness
 * check, a clean disconnect on shutdown.
 */
@Module({})
export class DatabaseModule {
  static forRoot<T extends PrismaLike>(options: DatabaseModuleOptions<T>): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: PRISMA,
          useFactory: () => openDatabase(options, new Logger('database')),
        },
        DatabaseLifecycle,
      ],
      exports: [PRISMA],
    };
  }
}

/**
 * A service's database definition, built once in its `database/database.ts`:
 * `defineDatabase('auth', new URL('../../prisma/migrations', import.meta.url), (adapter) => new PrismaClient({ adapter }))`.
 * The URL is resolved from the calling file, so it holds from `src/` (tests) and `dist/` alike.
 */
export function defineDatabase<T extends PrismaLike>(
  schema: string,
  migrations: URL | string,
  createClient: (adapter: PrismaPg) => T,
): DatabaseDefinition<T> & { forRoot(url: string): DynamicModule } {
  const definition: DatabaseDefinition<T> = {
    schema,
    migrationsDir: migrations instanceof URL ? fileURLToPath(migrations) : migrations,
    createClient,
  };
  return { ...definition, forRoot: (url: string) => DatabaseModule.forRoot({ ...definition, url }) };
}
