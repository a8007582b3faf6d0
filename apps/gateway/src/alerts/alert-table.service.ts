import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type PlatformAlert } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

/**
 * The platform's alerts as Alertmanager last reported them, from the compacted
 * `monitoring.alerts` (the record: every gateway replica sees the same, and it survives restarts).
 */
@Injectable()
export class AlertTable implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('alerts');
  private readonly table: CompactedTable<typeof topics.monitoringAlerts.schema>;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly health: KafkaHealth,
  ) {
    this.table = new CompactedTable(topics.monitoringAlerts, { connection: { ...connection, clientId: 'gateway-alerts' }, instance: info.instance });
  }

  onModuleInit(): void {
    this.health.track('monitoring.alerts', this.table.kafkaConsumer);
    void this.table.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.stop();
  }

  all(): PlatformAlert[] {
    return [...this.table.values()];
  }
}
