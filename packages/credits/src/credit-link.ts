import { topics, type PriorityClass } from '@llmaas/contracts';
import { CompactedTable, type Consumer, type ConsumerLog, type EventPublisher, type KafkaConnection } from '@llmaas/kafka';

import { CreditPool, type Lease } from './credit-pool.js';

export interface CreditLinkOptions {
  connection: KafkaConnection;
  /** Unique per process: the key of its demand reports and of its credit table. */
  holderId: string;
  /** 'interactive' for a gateway; 'batch' for the batch service (capped by the scheduler, served last). */
  holderClass: PriorityClass;
  publisher: EventPublisher;
  /** How often holdings and waiting requests are reported when nothing runs short. */
  demandIntervalMs: number;
  logger: { log(msg: unknown): void; warn(msg: unknown): void };
}

/**
 * A credit holder's side of the scheduler (ADR 0006): reports its holdings and waiting requests
 * on `scheduler.demand` (every `demandIntervalMs`, and at once when a request finds no credit) and
 * applies the credit tables the scheduler addresses to it on `scheduler.grants`. Framework-free:
 * the gateway and the batch service wrap it in their own lifecycle.
 */
export class CreditLink {
  private readonly pool: CreditPool;
  private readonly table: CompactedTable<typeof topics.schedulerGrants.schema>;
  private readonly consumerLog: ConsumerLog;
  private timer: NodeJS.Timeout | undefined;
  private reportQueued = false;
  private reportFailing = false;

  constructor(private readonly options: CreditLinkOptions) {
    const { logger } = options;
    this.consumerLog = (level, msg, extra) => (level === 'warn' ? logger.warn({ msg, ...extra }) : logger.log({ msg, ...extra }));
    this.pool = new CreditPool(() => this.reportSoon(), options.holderClass);
    this.table = new CompactedTable(topics.schedulerGrants, {
      connection: options.connection,
      instance: options.holderId,
      onChange: (holderId, grants) => {
        if (holderId === options.holderId && grants) this.pool.apply(grants);
      },
    });
  }

  /** The grants table's consumer, for the caller's health tracking (group membership). */
  get consumer(): Consumer {
    return this.table.kafkaConsumer;
  }

  /** Requests waiting here for a slot. */
  get waiting(): number {
    return this.pool.waiting;
  }

  /**
   * Starts reporting at once; resolves when the grants table's consumer runs (it retries until
   * then, so callers that must not block on Kafka leave it running in the background).
   */
  async start(): Promise<void> {
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.report(), this.options.demandIntervalMs);
      this.timer.unref();
    }
    await this.table.start(this.consumerLog);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.table.stop();
  }

  /** A slot now if one is free; otherwise waits up to `waitMs` (then NoCapacityError). */
  acquire(model: string, priority: PriorityClass, tenantId: string, waitMs: number): Promise<Lease> {
    return this.pool.acquire(model, priority, tenantId, waitMs);
  }

  private reportSoon(): void {
    if (this.reportQueued) return;
    this.reportQueued = true;
    setImmediate(() => {
      this.reportQueued = false;
      void this.report();
    });
  }

  private async report(): Promise<void> {
    try {
      await this.options.publisher.publish(topics.schedulerDemand, this.pool.demand(this.options.holderId));
      if (this.reportFailing) this.options.logger.log('demand reports flowing again');
      this.reportFailing = false;
    } catch (error) {
      if (!this.reportFailing) this.options.logger.warn({ msg: 'demand report not published', err: error instanceof Error ? error.message : String(error) });
      this.reportFailing = true;
    }
  }
}
