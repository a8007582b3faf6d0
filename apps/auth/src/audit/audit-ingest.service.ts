import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { topics } from '@llmaas/contracts';
import { BatchConsumer, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION } from '@llmaas/service-kit';

import { AuditRepository } from './audit.repository.js';

/** Consumes `audit.events` a fetched batch at a time into the hash-chained trail. */
@Injectable()
export class AuditIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('audit-ingest');
  private readonly consumer: BatchConsumer<typeof topics.auditEvents.schema>;

  constructor(
    private readonly records: AuditRepository,
    private readonly health: KafkaHealth,
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
  ) {
    this.consumer = new BatchConsumer(topics.auditEvents, {
      connection: { ...connection, clientId: 'auth-audit' },
      groupId: 'auth.audit',
      handle: async (events) => {
        await this.records.append(events);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.health.track('audit-ingest', this.consumer.kafkaConsumer);
    void this.consumer.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
