import { Inject, Injectable } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { type TopicDefinition } from '@llmaas/contracts';
import { lastValueFrom } from 'rxjs';
import { type z } from 'zod';

import { KAFKA_CLIENT } from './kafka.tokens.js';
import { encodeMessage } from './message-codec.js';

/** Publishes validated, keyed, traced events. The only way services write to an event topic. */
@Injectable()
export class EventPublisher {
  constructor(@Inject(KAFKA_CLIENT) private readonly client: ClientKafka) {}

  async publish<T extends TopicDefinition>(topic: T, message: z.input<T['schema']>): Promise<void> {
    await lastValueFrom(this.client.emit(topic.name, encodeMessage(topic, message)));
  }

  /** One produce request for many events of a topic (e.g. a burst of audit records). */
  async publishMany<T extends TopicDefinition>(topic: T, messages: readonly z.input<T['schema']>[], traceparents?: readonly (string | undefined)[]): Promise<void> {
    if (messages.length === 0) return;
    const encoded = messages.map((message, i) => encodeMessage(topic, message, traceparents?.[i]));
    await lastValueFrom(this.client.emitBatch(topic.name, { messages: encoded }));
  }
}
