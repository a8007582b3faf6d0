import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type PriorityClass } from '@llmaas/contracts';
import { CompactedTable, EventPublisher, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, SERVICE_CONFIG, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

import { type GatewayConfig } from '../gateway.config.js';
import { CreditPool, type Lease } from './credit-pool.js';

/**
 * The gateway's side of the scheduler: reports its holdings and waiting requests on
 * `scheduler.demand` (every DEMAND_INTERVAL_MS, and at once when a request finds no credit) and
 * applies the credit tables the scheduler addresses to it on `scheduler.grants`.
 */
@Injectable()
export class SchedulerLink implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('scheduler-link');
  private readonly pool = new CreditPool(() => this.reportSoon());
  private readonly table: CompactedTable<typeof topics.schedulerGrants.schema>;
  private timer: NodeJS.Timeout | undefined;
  private reportQueued = false;
  private reportFailing = false;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    private readonly events: EventPublisher,
    private readonly health: KafkaHealth,
  ) {
    this.table = new CompactedTable(topics.schedulerGrants, {
      connection,
      instance: info.instance,
      onChange: (gatewayId, grants) => {
        if (gatewayId === this.info.instance && grants) this.pool.apply(grants);
      },
    });
  }

  onModuleInit(): void {
    this.health.track('scheduler.grants', this.table.kafkaConsumer);
    void this.table.start(nestConsumerLog(this.logger));
    this.timer = setInterval(() => void this.report(), this.config.DEMAND_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.table.stop();
  }

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
      await this.events.publish(topics.schedulerDemand, this.pool.demand(this.info.instance));
      if (this.reportFailing) this.logger.log('demand reports flowing again');
      this.reportFailing = false;
    } catch (error) {
      if (!this.reportFailing) this.logger.warn({ msg: 'demand report not published', err: error instanceof Error ? error.message : String(error) });
      this.reportFailing = true;
    }
  }
}
