import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { type TopicDefinition } from '@llmaas/contracts';
import { traceparentOf } from '@llmaas/telemetry';
import { type z } from 'zod';

import { type EventPublisher } from './event-publisher.js';

export interface BufferedPublisherOptions {
  /** Past this many unsent events (Kafka away for long) the oldest are dropped and counted; null = never drop. */
  maxPending: number | null;
  flushEveryMs?: number;
  /** Counter name for dropped events (per service meter). */
  meter?: string;
}

/**
 * Events published off a request's path, in batches: a request never waits for them and one
 * produce carries many. Unsent events are kept and retried at the next flush. Subclass it as a
 * Nest provider (a constructor naming the topic): Nest starts and drains it with the module.
 */
export class BufferedPublisher<S extends z.ZodType> implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private pending: z.input<S>[] = [];
  /** The trace of the request each pending event describes (same index). */
  private traces: (string | undefined)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private readonly dropped;
  private static readonly BATCH = 2000;

  constructor(
    private readonly events: EventPublisher,
    private readonly topic: TopicDefinition<S>,
    private readonly options: BufferedPublisherOptions,
  ) {
    this.logger = new Logger(topic.name);
    this.dropped = metrics.getMeter(options.meter ?? 'llmaas.kafka').createCounter('llmaas_events_dropped_total', { description: 'Events dropped because Kafka stayed unreachable' });
  }

  onModuleInit(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushEveryMs ?? 10);
    this.timer.unref();
  }

  add(event: z.input<S>): void {
    this.pending.push(event);
    this.traces.push(traceparentOf());
    const max = this.options.maxPending;
    if (max !== null && this.pending.length > max) {
      const excess = this.pending.length - max;
      this.pending.splice(0, excess);
      this.traces.splice(0, excess);
      this.dropped.add(excess, { topic: this.topic.name });
    }
    if (this.pending.length >= BufferedPublisher.BATCH / 4) void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, BufferedPublisher.BATCH);
    const traces = this.traces.splice(0, BufferedPublisher.BATCH);
    try {
      await this.events.publishMany(this.topic, batch, traces);
    } catch (error) {
      this.pending.unshift(...batch);
      this.traces.unshift(...traces);
      this.logger.warn({ msg: 'events not published yet', pending: this.pending.length, err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.flushing = false;
    }
  }

  /** Stops the timer and sends what is left (a few tries). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (let i = 0; i < 20 && this.pending.length > 0; i++) await this.flush();
  }
}
