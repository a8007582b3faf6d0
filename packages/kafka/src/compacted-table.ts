import { type TopicDefinition } from '@llmaas/contracts';
import { type z } from 'zod';

import { superviseConsumer, type ConsumerLog } from './consumer-supervisor.js';
import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { Kafka, type Consumer } from './kafkajs-runtime.js';
import { retryUntilDone } from './retry.js';

export interface CompactedTableOptions<T> {
  connection: KafkaConnection;
  /** Unique per process: every replica reads the whole table. */
  instance: string;
  /** Called after each change is applied (null = deleted). */
  onChange?: (key: string, value: T | null) => void;
}

/**
 * An in-memory copy of a compacted topic: read from the beginning at start, kept current after.
 * The hot path reads it with a map lookup; nothing waits on a remote read. `caughtUp` turns true
 * once everything that was in the topic at start has been applied (readiness waits for it).
 */
export class CompactedTable<S extends z.ZodType> {
  private readonly rows = new Map<string, z.infer<S>>();
  private readonly consumer: Consumer;
  private readonly kafka: InstanceType<typeof Kafka>;
  private pendingPartitions = new Set<number>();
  private started = false;
  private caughtUpAt: number | null = null;

  constructor(
    private readonly topic: TopicDefinition<S>,
    private readonly options: CompactedTableOptions<z.infer<S>>,
  ) {
    this.kafka = new Kafka(kafkaClientConfig(options.connection));
    this.consumer = this.kafka.consumer({
      groupId: `${options.instance}.table.${topic.name}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
  }

  get caughtUp(): boolean {
    return this.caughtUpAt !== null;
  }

  get(key: string): z.infer<S> | undefined {
    return this.rows.get(key);
  }

  values(): IterableIterator<z.infer<S>> {
    return this.rows.values();
  }

  /** Resolves once the consumer runs; retries until then (the table stays not caught up meanwhile). */
  async start(log: ConsumerLog): Promise<void> {
    await retryUntilDone(`reading ${this.topic.name}`, async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(this.topic.name);
        this.pendingPartitions = new Set(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => o.partition));
      } finally {
        await admin.disconnect();
      }
      if (this.pendingPartitions.size === 0) this.caughtUpAt = Date.now();
      await this.consumer.connect();
      await this.run();
    }, log);
    superviseConsumer(this.consumer, () => this.run(), log);
    this.started = true;
  }

  private async run(): Promise<void> {
    await this.consumer.subscribe({ topic: this.topic.name, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const key = message.key?.toString();
          if (key === undefined) continue;
          if (message.value === null) {
            this.rows.delete(key);
            this.options.onChange?.(key, null);
            continue;
          }
          const parsed = this.topic.schema.safeParse(JSON.parse(message.value.toString()));
          // Every replica reads every row: the producer validated it, so a bad row is skipped here
          // rather than dead-lettered once per replica.
          if (!parsed.success) continue;
          this.rows.set(key, parsed.data);
          this.options.onChange?.(key, parsed.data);
        }
        if (this.caughtUpAt === null && Number(batch.lastOffset()) + 1 >= Number(batch.highWatermark)) {
          this.pendingPartitions.delete(batch.partition);
          if (this.pendingPartitions.size === 0) this.caughtUpAt = Date.now();
        }
        return Promise.resolve();
      },
    });
  }

  /** Consumers are tracked by the caller's health (group membership). */
  get kafkaConsumer(): Consumer {
    return this.consumer;
  }

  async stop(): Promise<void> {
    if (this.started) await this.consumer.disconnect().catch(() => undefined);
  }
}
