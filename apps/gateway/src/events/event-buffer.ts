import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { topics, type TopicDefinition } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { type z } from 'zod';

const FLUSH_EVERY_MS = 10;
const FLUSH_AT = 500;

/**
 * Events of requests leave in batches, off the response path: a request never waits for its
 * events, and one produce carries many. Unsent events are kept and retried.
 */
class EventBuffer<S extends z.ZodType> implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private pending: z.input<S>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly dropped;

  constructor(
    private readonly events: EventPublisher,
    private readonly topic: TopicDefinition<S>,
    /** Past this many unsent events (Kafka down for long) the oldest are dropped and counted; null = never drop. */
    private readonly maxPending: number | null,
  ) {
    this.logger = new Logger(topic.name);
    this.dropped = metrics.getMeter('llmaas.gateway').createCounter('llmaas_events_dropped_total', { description: 'Events dropped because Kafka stayed unreachable' });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  add(event: z.input<S>): void {
    this.pending.push(event);
    if (this.maxPending !== null && this.pending.length > this.maxPending) {
      const excess = this.pending.length - this.maxPending;
      this.pending.splice(0, excess);
      this.dropped.add(excess, { topic: this.topic.name });
    }
    if (this.pending.length >= FLUSH_AT) void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, FLUSH_AT * 4);
    try {
      await this.events.publishMany(this.topic, batch);
    } catch (error) {
      this.pending.unshift(...batch);
      this.logger.warn({ msg: 'events not published yet', pending: this.pending.length, err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.flushing = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let i = 0; i < 20 && this.pending.length > 0; i++) await this.flush();
  }
}

/** One audit event per authenticated request. Bounded: a long Kafka outage drops the oldest (counted). */
@Injectable()
export class AuditBuffer extends EventBuffer<typeof topics.auditEvents.schema> {
  constructor(events: EventPublisher) {
    super(events, topics.auditEvents, 200_000);
  }
}

/** One usage event per finished, failed or cancelled inference: money, so never dropped. */
@Injectable()
export class UsageBuffer extends EventBuffer<typeof topics.inferenceUsage.schema> {
  constructor(events: EventPublisher) {
    super(events, topics.inferenceUsage, null);
  }
}
