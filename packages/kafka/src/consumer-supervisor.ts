import { type Logger } from '@nestjs/common';

import { type Consumer } from './kafkajs-runtime.js';

/** How consumers outside Nest's transport report their restarts and retries. */
export type ConsumerLog = (level: 'warn' | 'info', message: string, extra?: Record<string, unknown>) => void;

/** A ConsumerLog writing to a Nest logger. */
export const nestConsumerLog =
  (logger: Logger): ConsumerLog =>
  (level, msg, extra) =>
    logger[level === 'warn' ? 'warn' : 'log']({ msg, ...extra });

interface CrashEvent {
  payload: { restart: boolean; error: Error };
}

/**
 * kafkajs restarts a crashed consumer only when the error was retriable. Some errors seen while
 * the broker restarts are not (e.g. "Failed to find group coordinator"), and the consumer then
 * stays dead for good. This brings such a consumer back: reconnect, then `rebind` (subscribe and
 * run again with the same handler), retrying with backoff until it holds.
 */
export function superviseConsumer(
  consumer: Consumer,
  rebind: () => Promise<void>,
  log: ConsumerLog,
): void {
  let restarting = false;
  consumer.on(consumer.events.CRASH, (event: CrashEvent) => {
    if (event.payload.restart || restarting) return;
    restarting = true;
    log('warn', 'kafka consumer crashed for good; restarting it', { error: event.payload.error.message });
    void (async () => {
      for (let attempt = 1; ; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 500, 5000)));
        try {
          await consumer.connect();
          await rebind();
          log('info', 'kafka consumer restarted', { attempt });
          break;
        } catch (error) {
          log('warn', 'kafka consumer restart failed, retrying', { attempt, error: error instanceof Error ? error.message : String(error) });
          await consumer.disconnect().catch(() => undefined);
        }
      }
      restarting = false;
    })();
  });
}
