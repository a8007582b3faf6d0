import { type DynamicModule, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@llmaas/service-kit';
import { Redis } from 'ioredis';

/** Injection token of the service's ioredis client. */
export const REDIS = Symbol('REDIS');

class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register('redis', async () => this.redis.status === 'ready' && (await this.redis.ping()) === 'PONG');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/** One Redis connection per service; it reconnects on its own, and readiness follows it. */
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(url, {
              lazyConnect: false,
              // Fail commands fast while disconnected instead of queueing them without bound.
              maxRetriesPerRequest: 2,
              enableOfflineQueue: true,
              retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
            }),
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
