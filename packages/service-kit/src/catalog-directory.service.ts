import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type CatalogModel } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';

import { ReadinessRegistry } from './readiness.registry.js';
import { KAFKA_CONNECTION, SERVICE_INFO, type ServiceInfo } from './service-context.js';

/** A service's in-memory copy of `catalog.models` (gateway, scheduler): model lookups are map reads. */
@Injectable()
export class CatalogDirectory implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('catalog');
  private readonly table: CompactedTable<typeof topics.catalogModels.schema>;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly readiness: ReadinessRegistry,
    private readonly health: KafkaHealth,
  ) {
    this.table = new CompactedTable(topics.catalogModels, { connection, instance: info.instance });
  }

  onModuleInit(): void {
    this.readiness.register('catalog', () => Promise.resolve(this.table.caughtUp));
    this.health.track('catalog.models', this.table.kafkaConsumer);
    void this.table.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.table.stop();
  }

  get(id: string): CatalogModel | undefined {
    return this.table.get(id);
  }

  all(): CatalogModel[] {
    return [...this.table.values()];
  }
}
