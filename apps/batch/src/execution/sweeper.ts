import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type BatchConfig } from '../batch.config.js';
import { FilesService } from '../files/files.service.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { DataKeys } from '../storage/data-keys.service.js';
import { BatchExecutor } from './batch-executor.js';
import { ResultStore } from './result-store.js';

/**
 * The periodic pass that makes batch execution survive crashes and Redis restarts: it expires
 * batches past their window, re-adds every step an unfinished batch still owes (job ids make that
 * a no-op when the job is there), publishes usage a crash left behind, and deletes expired files.
 */
@Injectable()
export class Sweeper implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('sweeper');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    private readonly executor: BatchExecutor,
    private readonly results: ResultStore,
    private readonly files: FilesService,
    private readonly keys: DataKeys,
  ) {}

  onModuleInit(): void {
    void this.keys.rewrapAll().catch((error: unknown) => this.logger.error({ msg: 'data keys not re-wrapped', err: error instanceof Error ? error.message : String(error) }));
    this.timer = setInterval(() => void this.sweep(), this.config.BATCH_SWEEP_INTERVAL_MS);
    this.timer.unref();
    setTimeout(() => void this.sweep(), 1000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.executor.expireDue();
      const open = await this.prisma.batch.findMany({ where: { status: { in: ['validating', 'in_progress', 'finalizing', 'cancelling'] } } });
      for (const batch of open) await this.executor.resume(batch);
      await this.results.republish(10_000);
      await this.files.expire();
    } catch (error) {
      this.logger.warn({ msg: 'sweep failed; next one retries', err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = false;
    }
  }
}
