import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { topics, type AuditEvent } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';

const FLUSH_EVERY_MS = 10;
const FLUSH_AT = 500;
/** Past this many unsent events (Kafka down for long) the oldest are dropped, and counted. */
const MAX_PENDING = 200_000;

/**
 * Audit events of requests leave in batches, off the response path: a request never waits for
 * its audit record, and one produce carries many records. Unsent events are retried.
 */
@Injectable()
export class AuditBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private pending: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly dropped = metrics.getMeter('llmaas.gateway').createCounter('llmaas_audit_events_dropped_total', { description: 'Audit events dropped because Kafka stayed unreachable' });

  constructor(private readonly events: EventPublisher) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  add(event: AuditEvent): void {
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING) {
      const excess = this.pending.length - MAX_PENDING;
      this.pending.splice(0, excess);
      this.dropped.add(excess);
    }
    if (this.pending.length >= FLUSH_AT) void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, FLUSH_AT * 4);
    try {
      await this.events.publishMany(topics.auditEvents, batch);
    } catch (error) {
      this.pending.unshift(...batch);
      this.logger.warn({ msg: 'audit events not published yet', pending: this.pending.length, err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.flushing = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (let i = 0; i < 20 && this.pending.length > 0; i++) await this.flush();
  }
}
