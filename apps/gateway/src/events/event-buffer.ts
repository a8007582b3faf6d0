import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics } from '@llmaas/contracts';
import { BufferedPublisher, EventPublisher } from '@llmaas/kafka';

/** One audit event per authenticated request. Bounded: a long Kafka outage drops the oldest (counted). */
@Injectable()
export class AuditBuffer extends BufferedPublisher<typeof topics.auditEvents.schema> implements OnModuleInit, OnApplicationShutdown {
  constructor(events: EventPublisher) {
    super(events, topics.auditEvents, { maxPending: 200_000, meter: 'llmaas.gateway' });
  }

  onModuleInit(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}

/** One usage event per finished, failed or cancelled inference: money, so never dropped. */
@Injectable()
export class UsageBuffer extends BufferedPublisher<typeof topics.inferenceUsage.schema> implements OnModuleInit, OnApplicationShutdown {
  constructor(events: EventPublisher) {
    super(events, topics.inferenceUsage, { maxPending: null, meter: 'llmaas.gateway' });
  }

  onModuleInit(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
