import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { topics, type TopicDefinition } from '@llmaas/contracts';
import { extractTraceContext, tracer } from '@llmaas/telemetry';
import { type z } from 'zod';

import { consumerLag } from './consumer-lag.js';
import { superviseConsumer, type ConsumerLog } from './consumer-supervisor.js';
import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { Kafka, Partitioners, type Consumer, type Producer } from './kafkajs-runtime.js';
import { SCHEMA_VERSION_HEADER, encodeMessage, headerValue } from './message-codec.js';
import { retryUntilDone } from './retry.js';

export interface BatchConsumerOptions<T> {
  connection: KafkaConnection;
  groupId: string;
  /**
   * Handles one fetched batch of valid messages, typically in one database transaction. Offsets
   * are committed only after it resolves; if it throws, the batch is delivered again, so it must
   * be idempotent (e.g. keyed by event id).
   */
  handle: (messages: readonly T[]) => Promise<void>;
  concurrency?: number;
}

/**
 * High-throughput consumption for ledgers and audit trails: whole fetched batches at once
 * (kafkajs eachBatch), invalid messages dead-lettered, offsets committed after the handler's commit.
 * Nest's Kafka transport hands over one message at a time, which caps a transactional consumer
 * at a few hundred messages per second.
 */
export class BatchConsumer<S extends z.ZodType> {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private started = false;

  constructor(
    private readonly topic: TopicDefinition<S>,
    private readonly options: BatchConsumerOptions<z.infer<S>>,
  ) {
    const kafka = new Kafka(kafkaClientConfig(options.connection));
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 4 * 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    this.producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  get kafkaConsumer(): Consumer {
    return this.consumer;
  }

  /** Resolves once the consumer runs; retries until then. */
  async start(log: ConsumerLog): Promise<void> {
    await retryUntilDone(`consuming ${this.topic.name}`, async () => {
      await this.producer.connect();
      await this.consumer.connect();
      await this.run();
    }, log);
    superviseConsumer(this.consumer, () => this.run(), log);
    consumerLag.watch(this.options.groupId);
    this.started = true;
  }

  private async run(): Promise<void> {
    await this.consumer.subscribe({ topic: this.topic.name, fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency ?? 3,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const valid: z.infer<S>[] = [];
        const traced: Context[] = [];
        const rejected: { offset: string; reason: string; bytes: Buffer }[] = [];
        for (const message of batch.messages) {
          const bytes = message.value ?? Buffer.alloc(0);
          const version = headerValue(message.headers, SCHEMA_VERSION_HEADER);
          if (version !== undefined && Number(version) > this.topic.version) {
            rejected.push({ offset: message.offset, reason: `schema version ${version} is newer than ${this.topic.version}`, bytes });
            continue;
          }
          let json: unknown;
          try {
            json = JSON.parse(bytes.toString());
          } catch {
            rejected.push({ offset: message.offset, reason: 'not JSON', bytes });
            continue;
          }
          const parsed = this.topic.schema.safeParse(json);
          if (parsed.success) {
            valid.push(parsed.data);
            if (message.headers?.traceparent !== undefined) traced.push(extractTraceContext(message.headers));
          }
          else rejected.push({ offset: message.offset, reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), bytes });
        }
        if (rejected.length > 0) await this.deadLetter(batch.topic, batch.partition, rejected);
        const spans = traced.map((parent) => tracer().startSpan(`consume ${this.topic.name}`, { kind: SpanKind.CONSUMER, attributes: { 'messaging.consumer.group.name': this.options.groupId } }, parent));
        try {
          if (valid.length > 0) await this.options.handle(valid);
        } catch (error) {
          for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          for (const span of spans) span.end();
        }
        const last = batch.messages.at(-1);
        if (last) payload.resolveOffset(last.offset);
        await payload.commitOffsetsIfNecessary();
        await payload.heartbeat();
      },
    });
  }

  private async deadLetter(topic: string, partition: number, rejected: { offset: string; reason: string; bytes: Buffer }[]): Promise<void> {
    const at = new Date().toISOString();
    const records = rejected.map((r) =>
      encodeMessage(topics.deadLetters, { topic, partition, offset: r.offset, consumer: this.options.groupId, reason: r.reason, payloadBase64: r.bytes.toString('base64'), at }),
    );
    await this.producer.send({
      topic: topics.deadLetters.name,
      messages: records.map((r) => ({ key: r.key, value: JSON.stringify(r.value), headers: r.headers })),
    });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    consumerLag.unwatch(this.options.groupId);
    await this.consumer.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}
