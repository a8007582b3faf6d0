import { Transport, type KafkaOptions } from '@nestjs/microservices';

import { kafkaClientConfig, type KafkaConnection } from './kafka-client-config.js';
import { Partitioners } from './kafkajs-runtime.js';

/**
 * Options for a service's Nest Kafka server (the consumer side of events and RPC).
 * `postfixId: ''` keeps the group id exactly as given, so every replica of a service shares it.
 */
export function kafkaMicroserviceOptions(connection: KafkaConnection, groupId: string, concurrency = 4): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: kafkaClientConfig(connection),
      consumer: {
        groupId,
        // A replica killed without leaving its group blocks the partitions for one session
        // timeout; 10 s is the broker's floor (6 s) plus margin.
        sessionTimeout: 10_000,
        heartbeatInterval: 1000,
        rebalanceTimeout: 10_000,
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 8 },
      },
      producer: { allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
      run: { partitionsConsumedConcurrently: concurrency },
      subscribe: { fromBeginning: false },
    },
  };
}
