import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { topics } from '@llmaas/contracts';
import { BatchConsumer, EventPublisher, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION } from '@llmaas/service-kit';
import { metrics } from '@opentelemetry/api';

import { PriceBookRepository } from '../prices/price-book.repository.js';
import { QuotaService } from '../quotas/quota.service.js';
import { newestEnd, priceBatch } from './ledger-rows.js';
import { LedgerRepository } from './ledger.repository.js';

/**
 * `inference.usage` into the ledger, a fetched batch at a time: priced in memory, written in one
 * statement, offsets committed after it (BatchConsumer), so redelivery, restarts and replays
 * neither drop nor double-bill. An event no price covers goes to the dead-letter topic with why.
 */
@Injectable()
export class UsageIngestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ledger');
  private readonly consumer: BatchConsumer<typeof topics.inferenceUsage.schema>;
  /** Seconds between the end of the newest event of the last batch and its write to the ledger; null until one is written. */
  private lagSeconds: number | null = null;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly prices: PriceBookRepository,
    private readonly quotas: QuotaService,
    private readonly events: EventPublisher,
    private readonly health: KafkaHealth,
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
  ) {
    this.consumer = new BatchConsumer(topics.inferenceUsage, {
      connection: { ...connection, clientId: 'billing-ledger' },
      groupId: 'billing.ledger',
      handle: async (usage) => {
        const batch = priceBatch(usage, (tenantId, at) => this.prices.pricesAt(tenantId, at));
        if (batch.unpriced.length > 0) {
          this.logger.error({ msg: 'usage with no price book version in force: dead-lettered', count: batch.unpriced.length });
          await this.events.publishMany(
            topics.deadLetters,
            batch.unpriced.map((u) => ({ topic: topics.inferenceUsage.name, partition: -1, offset: '-1', consumer: 'billing.ledger', reason: `no price book version in force at ${u.finishedAt}`, payloadBase64: Buffer.from(JSON.stringify(u)).toString('base64'), at: new Date().toISOString() })),
          );
        }
        const { spend } = await this.ledger.ingest(batch);
        const newest = newestEnd(usage);
        if (newest !== null) this.lagSeconds = Math.max(0, (Date.now() - newest) / 1000);
        await this.quotas.spendChanged(spend);
      },
    });
    // How far behind the ledger is, in time, when it writes: quotas (and so hard caps) are as
    // late as this. Measured at each write, so an idle platform keeps its last (small) value
    // instead of a lag that grows with the silence; a stuck consumer shows as consumer lag.
    metrics
      .getMeter('llmaas.billing')
      .createObservableGauge('llmaas_billing_ingest_lag_seconds', { description: 'When the last batch was written to the ledger, minus the end time of its newest usage event', unit: 's' })
      .addCallback((result) => {
        if (this.lagSeconds !== null) result.observe(this.lagSeconds);
      });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.prices.load();
    this.health.track('ledger', this.consumer.kafkaConsumer);
    void this.consumer.start(nestConsumerLog(this.logger));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
