import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type BillingQuota } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

/**
 * The gateway's copy of `billing.quotas`: each tenant's limits and budget state, read with a map
 * lookup on every request. Readiness does not wait for it: a tenant billing has not published
 * yet is served under the default tier's limits (see `limitsOf`).
 */
@Injectable()
export class QuotaDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('quota-directory');
  private readonly table: CompactedTable<typeof topics.billingQuotas.schema>;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly health: KafkaHealth,
  ) {
    this.table = new CompactedTable(topics.billingQuotas, { connection, instance: info.instance });
  }

  onModuleInit(): void {
    this.health.track('billing.quotas', this.table.kafkaConsumer);
    void this.table.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.stop();
  }

  quota(tenantId: string): BillingQuota | undefined {
    return this.table.get(tenantId);
  }
}
