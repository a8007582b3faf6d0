import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type GuardVerdict } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';

/** Verdicts leave for `guard.verdicts` in batches, off the answer's path; kept while Kafka is away. */
@Injectable()
export class VerdictLog implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('verdicts');
  private pending: GuardVerdict[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(private readonly events: EventPublisher) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), 20);
    this.timer.unref();
  }

  add(verdict: GuardVerdict): void {
    // Bounded: verdicts are a record, not money; a long outage drops the oldest.
    if (this.pending.length >= 100_000) this.pending.shift();
    this.pending.push(verdict);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, 2000);
    try {
      await this.events.publishMany(topics.guardVerdicts, batch);
    } catch (error) {
      this.pending.unshift(...batch);
      this.logger.warn({ msg: 'verdicts not published yet', pending: this.pending.length, err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.flushing = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
