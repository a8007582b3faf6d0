import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { type RpcDefinition } from '@llmaas/contracts';
import { Partitioners, type Consumer } from './kafkajs-runtime.js';

import { consumerLag } from './consumer-lag.js';
import { nestConsumerLog, superviseConsumer } from './consumer-supervisor.js';
import { EventPublisher } from './event-publisher.js';
import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { KafkaHealth } from './kafka-health.js';
import { KAFKA_CLIENT } from './kafka.tokens.js';
import { RpcClient } from './rpc-client.js';

export { KAFKA_CLIENT };

export interface KafkaModuleOptions {
  readonly connection: KafkaConnection;
  /**
   * Group id of this replica's RPC reply consumer. Unique per process: a replica restarted after
   * a crash then reads its replies at once instead of waiting a session timeout for the old
   * member of a shared group to be evicted.
   */
  readonly replyGroupId: string;
  /** The RPCs this service calls: their reply topics are subscribed before connecting. */
  readonly calls: readonly RpcDefinition[];
}

const OPTIONS = Symbol('KAFKA_MODULE_OPTIONS');
const RETRY_MS = 1000;

/** Connects the client in the background, retrying: a service starts even while Kafka is down. */
class KafkaClientLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('kafka');
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly client: ClientKafka,
    @Inject(OPTIONS) private readonly options: KafkaModuleOptions,
    private readonly health: KafkaHealth,
  ) {}

  onModuleInit(): void {
    for (const call of this.options.calls) this.client.subscribeToResponseOf(call.pattern);
    void this.connect();
  }

  private async connect(): Promise<void> {
    try {
      await this.client.connect();
      if (this.options.calls.length > 0) {
        const consumer = (this.client as unknown as { _consumer: Consumer | null })._consumer;
        // The group join happened during connect(); track from here on and mark joined now.
        if (consumer) this.trackJoined(consumer);
      }
    } catch (error) {
      if (this.stopped) return;
      this.logger.warn({ msg: 'kafka client not connected yet, retrying', err: error instanceof Error ? error.message : String(error) });
      this.retryTimer = setTimeout(() => void this.connect(), RETRY_MS);
    }
  }

  private trackJoined(consumer: Consumer): void {
    // connect() resolves after the first join, so that GROUP_JOIN event has already fired.
    this.health.track('rpc-replies', consumer, true);
    const client = this.client as unknown as { bindTopics: () => Promise<void> };
    superviseConsumer(consumer, () => client.bindTopics(), nestConsumerLog(this.logger));
    consumerLag.watch(this.options.replyGroupId);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    consumerLag.unwatch(this.options.replyGroupId);
    await this.client.close().catch(() => undefined);
    await this.health.close();
  }
}

@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: () =>
            new ClientKafka({
              postfixId: '',
              client: kafkaClientConfig(options.connection),
              consumer: {
                groupId: options.replyGroupId,
                sessionTimeout: 10_000,
                heartbeatInterval: 1000,
                rebalanceTimeout: 10_000,
                maxWaitTimeInMs: 250,
                allowAutoTopicCreation: false,
              },
              producer: { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
              producerOnlyMode: options.calls.length === 0,
            }),
        },
        { provide: KafkaHealth, useFactory: () => new KafkaHealth(options.connection) },
        EventPublisher,
        RpcClient,
        KafkaClientLifecycle,
      ],
      exports: [KAFKA_CLIENT, EventPublisher, RpcClient, KafkaHealth],
    };
  }
}
