import { Kafka, type Admin, type Consumer } from './kafkajs-runtime.js';

import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { withTimeout } from './retry.js';

const PING_TIMEOUT_MS = 1500;
const PING_CACHE_MS = 1000;

/**
 * Whether this process can use Kafka right now: the broker answers a metadata request, and every
 * consumer it depends on has joined its group (a crashed consumer that kafkajs is restarting
 * makes the service unready until it rejoins).
 */
export class KafkaHealth {
  private readonly admin: Admin;
  private adminConnected = false;
  private lastPing = { at: 0, ok: false };
  private inflight: Promise<boolean> | null = null;
  private readonly consumers = new Map<string, boolean>();

  constructor(connection: KafkaConnection) {
    const config = kafkaClientConfig({ ...connection, clientId: `${connection.clientId}-health` });
    // Health pings must fail fast, not retry for seconds.
    this.admin = new Kafka({ ...config, retry: { retries: 0 }, connectionTimeout: 1000, requestTimeout: PING_TIMEOUT_MS }).admin();
  }

  /** Follows a kafkajs consumer's group membership. */
  track(name: string, consumer: Consumer, joined = false): void {
    this.consumers.set(name, joined);
    consumer.on(consumer.events.GROUP_JOIN, () => this.consumers.set(name, true));
    for (const event of [consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT]) {
      consumer.on(event, () => this.consumers.set(name, false));
    }
  }

  async isReady(): Promise<boolean> {
    const brokerUp = await this.ping();
    return brokerUp && [...this.consumers.values()].every(Boolean);
  }

  async ping(): Promise<boolean> {
    if (Date.now() - this.lastPing.at < PING_CACHE_MS) return this.lastPing.ok;
    this.inflight ??= this.doPing().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async doPing(): Promise<boolean> {
    let ok = false;
    try {
      if (!this.adminConnected) {
        await this.admin.connect();
        this.adminConnected = true;
      }
      await withTimeout(this.admin.describeCluster(), PING_TIMEOUT_MS);
      ok = true;
    } catch {
      // Reconnect from scratch next time: kafkajs keeps a dead socket otherwise.
      await this.admin.disconnect().catch(() => undefined);
      this.adminConnected = false;
    }
    this.lastPing = { at: Date.now(), ok };
    return ok;
  }

  async close(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
