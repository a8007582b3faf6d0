import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type BillingQuota, type TenantRecord } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, ReadinessRegistry, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

/**
 * What the batch service knows of each tenant, from compacted topics: its record (guard policy,
 * model patterns, status) from `auth.tenants` and its quota from `billing.quotas` (a tenant whose
 * budget is spent under a hard cap has its batches paused, not failed).
 */
@Injectable()
export class TenantTables implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('tenants');
  private readonly tenants: CompactedTable<typeof topics.authTenants.schema>;
  private readonly quotas: CompactedTable<typeof topics.billingQuotas.schema>;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly health: KafkaHealth,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.tenants = new CompactedTable(topics.authTenants, { connection: { ...connection, clientId: 'batch-tenants' }, instance: info.instance });
    this.quotas = new CompactedTable(topics.billingQuotas, { connection: { ...connection, clientId: 'batch-quotas' }, instance: info.instance });
  }

  onModuleInit(): void {
    this.health.track('auth.tenants', this.tenants.kafkaConsumer);
    this.health.track('billing.quotas', this.quotas.kafkaConsumer);
    this.readiness.register('tenants', () => Promise.resolve(this.tenants.caughtUp && this.quotas.caughtUp));
    void this.tenants.start(nestConsumerLog(this.logger));
    void this.quotas.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.tenants.stop(), this.quotas.stop()]);
  }

  tenant(tenantId: string): TenantRecord | undefined {
    return this.tenants.get(tenantId);
  }

  /** Whether the tenant's lines must wait: its monthly budget is spent and capped. */
  paused(tenantId: string): boolean {
    const quota: BillingQuota | undefined = this.quotas.get(tenantId);
    return quota?.state === 'exhausted' && quota.hardCap;
  }
}
