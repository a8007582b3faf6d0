import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type PriorityClass } from '@llmaas/contracts';
import { CreditLink, type Lease } from '@llmaas/credits';
import { EventPublisher, KafkaHealth, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, SERVICE_CONFIG, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

import { type GatewayConfig } from '../gateway.config.js';

/**
 * The gateway's side of the scheduler, as an interactive-class credit holder: a Nest lifecycle
 * around @llmaas/credits' CreditLink (demand reports out, credit tables in).
 */
@Injectable()
export class SchedulerLink implements OnModuleInit, OnApplicationShutdown {
  private readonly link: CreditLink;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
    events: EventPublisher,
    private readonly health: KafkaHealth,
  ) {
    this.link = new CreditLink({
      connection,
      holderId: info.instance,
      holderClass: 'interactive',
      publisher: events,
      demandIntervalMs: config.DEMAND_INTERVAL_MS,
      logger: new Logger('scheduler-link'),
    });
  }

  onModuleInit(): void {
    this.health.track('scheduler.grants', this.link.consumer);
    void this.link.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link.stop();
  }

  acquire(model: string, priority: PriorityClass, tenantId: string, waitMs: number): Promise<Lease> {
    return this.link.acquire(model, priority, tenantId, waitMs);
  }
}
