import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type TenantRecord } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, ReadinessRegistry, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

/** Billing's copy of `auth.tenants`: tiers for quotas, legal identities for invoices. */
@Injectable()
export class TenantDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('tenants');
  private readonly table: CompactedTable<typeof topics.authTenants.schema>;
  private readonly listeners: ((tenant: TenantRecord) => void)[] = [];

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly health: KafkaHealth,
    private readonly readiness: ReadinessRegistry,
  ) {
    this.table = new CompactedTable(topics.authTenants, {
      connection: { ...connection, clientId: 'billing-tenants' },
      instance: info.instance,
      onChange: (_key, tenant) => {
        if (tenant) for (const listener of this.listeners) listener(tenant);
      },
    });
  }

  onModuleInit(): void {
    this.health.track('auth.tenants', this.table.kafkaConsumer);
    this.readiness.register('tenants', () => Promise.resolve(this.table.caughtUp));
    void this.table.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.stop();
  }

  onChange(listener: (tenant: TenantRecord) => void): void {
    this.listeners.push(listener);
  }

  get(tenantId: string): TenantRecord | undefined {
    return this.table.get(tenantId);
  }

  all(): IterableIterator<TenantRecord> {
    return this.table.values();
  }
}
