import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { metrics, type Attributes } from '@opentelemetry/api';
import { Queue, Worker, type Job, type JobsOptions, type Processor, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';

import { type BatchConfig } from '../batch.config.js';

export interface ChunkJob {
  batchId: string;
  index: number;
}
export interface BatchJob {
  batchId: string;
}
export interface WebhookJob {
  batchId: string;
  tenantId: string;
  url: string;
  eventId: string;
  type: string;
  createdAt: number;
}

const QUEUES = ['validate', 'chunks', 'finalize', 'webhooks'] as const;
type QueueName = (typeof QUEUES)[number];

/** The states `llmaas_batch_queue_jobs` reports (finished jobs are removed: those two read 0 but for a moment). */
const COUNTED_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
/** A scrape waits this long for Redis at most: the SDK would wait for ever. */
const COUNT_TIMEOUT_MS = 2000;

/**
 * The BullMQ queues of batch execution, on Redis. Job ids are derived from what they do (a batch,
 * a chunk of it), so adding a job that is already waiting or running is a no-op: the sweeper can
 * re-add everything a batch still needs after a crash or a Redis restart, and nothing runs twice.
 * Finished jobs are removed; their effect is in Postgres.
 */
@Injectable()
export class BatchQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('queues');
  private readonly connections: Redis[] = [];
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];

  constructor(@Inject(SERVICE_CONFIG) private readonly config: BatchConfig) {
    for (const name of QUEUES) this.queues.set(name, new Queue(name, { connection: this.connection(), prefix: 'llmaas:batch' }));
    this.countJobs();
  }

  /**
   * `llmaas_batch_queue_jobs{queue,state}`, read from Redis when Prometheus scrapes (one
   * getJobCounts per queue). Counts Redis cannot give in time read NaN, a gap rather than a stale
   * number or a scrape that hangs.
   */
  private countJobs(): void {
    const attributes = new Map(QUEUES.map((queue) => [queue, COUNTED_STATES.map((state): Attributes => ({ queue, state }))]));
    metrics
      .getMeter('llmaas.batch')
      .createObservableGauge('llmaas_batch_queue_jobs', { description: 'Batch execution jobs in BullMQ, by queue and state' })
      .addCallback(async (result) => {
        await Promise.all(
          QUEUES.map(async (queue) => {
            const counts = await withTimeout(this.queue(queue).getJobCounts(...COUNTED_STATES), COUNT_TIMEOUT_MS).catch(() => null);
            COUNTED_STATES.forEach((state, i) => result.observe(counts ? (counts[state] ?? 0) : NaN, attributes.get(queue)![i]));
          }),
        );
      });
  }

  private connection(): Redis {
    // BullMQ's blocking commands need ioredis to retry forever rather than fail a request.
    const redis = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    redis.on('error', () => undefined);
    this.connections.push(redis);
    return redis;
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  add(name: QueueName, jobId: string, data: object, options: JobsOptions = {}): Promise<Job> {
    return this.queue(name).add(name, data, { jobId, removeOnComplete: true, removeOnFail: true, ...options });
  }

  addBulk(name: QueueName, jobs: { jobId: string; data: object }[]): Promise<Job[]> {
    return this.queue(name).addBulk(jobs.map((j) => ({ name, data: j.data, opts: { jobId: j.jobId, removeOnComplete: true, removeOnFail: true } })));
  }

  /** Starts consuming a queue; stalled jobs (a crashed instance's) come back after `lockDuration`. */
  work<T>(name: QueueName, processor: Processor<T>, options: Partial<WorkerOptions> = {}): Worker<T> {
    const worker = new Worker<T>(name, processor, { connection: this.connection(), prefix: 'llmaas:batch', lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 100, ...options });
    worker.on('failed', (job, error) => this.logger.warn({ msg: 'batch job failed', queue: name, jobId: job?.id, err: error.message }));
    worker.on('error', (error) => this.logger.warn({ msg: 'batch queue error', queue: name, err: error.message }));
    this.workers.push(worker as Worker);
    return worker;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    for (const c of this.connections) c.disconnect();
  }
}
