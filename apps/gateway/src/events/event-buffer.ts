import { Injectable } from '@nestjs/common';
import { topics } from '@llmaas/contracts';
import { BufferedPublisher, EventPublisher } from '@llmaas/kafka';

/** One audit event per authenticated request. Bounded: a long Kafka outage drops the oldest (counted). */
@Injectable()
export class AuditBuffer extends BufferedPublisher<typeof topics.auditEvents.schema> {
  constructor(events: EventPublisher) {
    super(events, topics.auditEvents, { maxPending: 200_000, meter: 'llmaas.gateway' });
  }
}

/** One usage event per finished, failed or cancelled inference: money, so never dropped. */
@Injectable()
export class UsageBuffer extends BufferedPublisher<typeof topics.inferenceUsage.schema> {
  constructor(events: EventPublisher) {
    super(events, topics.inferenceUsage, { maxPending: null, meter: 'llmaas.gateway' });
  }
}
