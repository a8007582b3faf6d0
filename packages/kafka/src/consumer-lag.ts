import { metrics, type Attributes } from '@opentelemetry/api';

import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { Kafka, type Admin } from './kafkajs-runtime.js';

/** A group's committed offsets on one topic, as the admin client's fetchOffsets gives them. */
export interface CommittedOffsets {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly offset: string }[];
}

/** A partition's high watermark (the offset the next message will get). */
export interface PartitionEnd {
  readonly partition: number;
  readonly high: string;
}

/**
 * A group's lag per topic: Σ over its partitions of (high watermark − committed offset). A
 * partition without a committed offset (-1) is left out: where the group would start there
 * (earliest or latest) is the consumer's setting, not the broker's, so no number would be right.
 * A topic whose ends are unknown is left out; a committed offset past the end (a topic recreated)
 * counts as no lag.
 */
export function lagByTopic(committed: readonly CommittedOffsets[], ends: ReadonlyMap<string, readonly PartitionEnd[]>): Map<string, number> {
  const lags = new Map<string, number>();
  for (const { topic, partitions } of committed) {
    const topicEnds = ends.get(topic);
    if (!topicEnds) continue;
    let lag = 0;
    let known = false;
    for (const { partition, offset } of partitions) {
      const position = Number(offset);
      const end = topicEnds.find((e) => e.partition === partition);
      if (position < 0 || !end) continue;
      known = true;
      lag += Math.max(0, Number(end.high) - position);
    }
    if (known) lags.set(topic, lag);
  }
  return lags;
}

const POLL_MS = 15_000;
/** The first reading comes soon after start, not a whole period later, and off the start path. */
const FIRST_POLL_MS = 3_000;

interface Series {
  value: number;
  readonly attributes: Attributes;
}

/**
 * `llmaas_kafka_consumer_lag{group,topic}` for the consumer groups of this process: an admin client
 * reads committed offsets and high watermarks every 15 s, and the gauge reports the last reading
 * (a scrape never waits on Kafka). Groups are added where they are created (the Nest server's,
 * the RPC reply consumer's, each BatchConsumer's); compacted-table readers are not groups that
 * commit, so they have no lag to report. A series that cannot be read (Kafka away, group no longer
 * watched) reads NaN, a gap on graphs that no threshold matches: the SDK keeps exporting a gauge
 * series' last value once seen (cumulative temporality), so leaving it out would repeat a stale number.
 */
export class ConsumerLagMonitor {
  private readonly groups = new Set<string>();
  private readonly series = new Map<string, Series>();
  private admin: Admin | null = null;
  private connected = false;
  private firstTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private failing = false;
  private gauge = false;
  private log: KafkaConnection['log'];

  /** Reports this group's lag from the next reading on. */
  watch(groupId: string): void {
    this.groups.add(groupId);
  }

  unwatch(groupId: string): void {
    this.groups.delete(groupId);
    for (const s of this.series.values()) if (s.attributes.group === groupId) s.value = NaN;
  }

  /** Starts the readings (once per process; after telemetry, whose meter provider the gauge needs). */
  start(connection: KafkaConnection, pollMs = POLL_MS, firstPollMs = FIRST_POLL_MS): void {
    if (this.admin) return;
    this.log = connection.log;
    // Its own quiet client: a reading that fails is reported once below, not by every kafkajs retry.
    const config = kafkaClientConfig({ clientId: `${connection.clientId}-lag`, brokers: connection.brokers });
    this.admin = new Kafka({ ...config, retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 } }).admin();
    if (!this.gauge) {
      this.gauge = true;
      metrics
        .getMeter('llmaas.kafka')
        .createObservableGauge('llmaas_kafka_consumer_lag', { description: 'Messages not yet consumed by a consumer group: Σ over partitions of (high watermark − committed offset)' })
        .addCallback((result) => {
          for (const s of this.series.values()) result.observe(s.value, s.attributes);
        });
    }
    // Unref'd: readings never keep a process (or a test run) alive; `polling` keeps them apart.
    this.firstTimer = setTimeout(() => void this.poll(), firstPollMs).unref();
    this.timer = setInterval(() => void this.poll(), pollMs).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.firstTimer);
    clearInterval(this.timer);
    const admin = this.admin;
    this.admin = null;
    this.unknown();
    if (admin && this.connected) await admin.disconnect().catch(() => undefined);
    this.connected = false;
  }

  /** One reading of every watched group; exposed for tests. */
  async poll(): Promise<void> {
    const admin = this.admin;
    if (!admin || this.polling || this.groups.size === 0) return;
    this.polling = true;
    try {
      if (!this.connected) {
        await admin.connect();
        this.connected = true;
      }
      const groups = [...this.groups];
      const committed = await Promise.allSettled(groups.map((groupId) => admin.fetchOffsets({ groupId })));
      const topics = new Set(committed.flatMap((c) => (c.status === 'fulfilled' ? c.value.map((t) => t.topic) : [])));
      const ends = new Map<string, PartitionEnd[]>();
      await Promise.all(
        [...topics].map(async (topic) => {
          // A topic deleted since the group committed on it has no ends: it is left out.
          const offsets = await admin.fetchTopicOffsets(topic).catch(() => null);
          if (offsets) ends.set(topic, offsets);
        }),
      );
      this.unknown();
      groups.forEach((group, i) => {
        const offsets = committed[i];
        if (offsets?.status !== 'fulfilled') return;
        for (const [topic, lag] of lagByTopic(offsets.value, ends)) this.set(group, topic, lag);
      });
      const failed = committed.find((c) => c.status === 'rejected');
      this.report(failed ? failed.reason : null);
    } catch (error) {
      this.unknown();
      await admin.disconnect().catch(() => undefined);
      this.connected = false;
      this.report(error);
    } finally {
      this.polling = false;
    }
  }

  private set(group: string, topic: string, lag: number): void {
    const key = `${group}\n${topic}`;
    const known = this.series.get(key);
    if (known) known.value = lag;
    else this.series.set(key, { value: lag, attributes: { group, topic } });
  }

  /** Every series unknown until the next reading says otherwise. */
  private unknown(): void {
    for (const s of this.series.values()) s.value = NaN;
  }

  /** A failure once when it starts, and the recovery: not one line every 15 s while Kafka is away. */
  private report(error: unknown): void {
    if (error === null) {
      if (this.failing) this.log?.('warn', 'consumer lag readable again', {});
      this.failing = false;
      return;
    }
    if (!this.failing) this.log?.('warn', 'consumer lag could not be read', { err: error instanceof Error ? error.message : JSON.stringify(error) });
    this.failing = true;
  }
}

/**
 * The process's one monitor: consumer groups are created in several places (run-service, the
 * Kafka module, BatchConsumers built by apps), and all of them report through one admin client.
 */
export const consumerLag = new ConsumerLagMonitor();
