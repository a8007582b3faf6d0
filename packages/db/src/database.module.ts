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

export interface DatabaseModuleOptions<T extends PrismaLike> {
  url: string;
  /** The Postgres schema the service owns. */
  schema: string;
  migrationsDir: string;
  createClient: (adapter: PrismaPg) => T;
}

/** Injection token of the service's Prisma client (typed by the service that provides it). */
export const PRISMA = Symbol('PRISMA');

const PING_TIMEOUT_MS = 1500;

class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaLike,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('postgres', async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
      const ping = this.prisma.$queryRawUnsafe('SELECT 1').then(() => true);
      try {
        return await Promise.race([ping, timeout]);
      } finally {
        clearTimeout(timer);
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

/**
 * A service's own database: migrations applied before anything else starts (the client is only
 * handed out once the schema is current), a `postgres` readiness check, a clean disconnect.
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
          useFactory: async () => {
            const logger = new Logger('database');
            await applyMigrations({ connectionString: options.url, schema: options.schema, migrationsDir: options.migrationsDir, log: (m) => logger.log(m) });
            const client = options.createClient(createPgAdapter(options.url, options.schema));
            await client.$connect();
            return client;
          },
        },
        DatabaseLifecycle,
      ],
      exports: [PRISMA],
    };
  }
}
