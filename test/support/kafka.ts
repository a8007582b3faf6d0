import { Kafka } from '@llmaas/kafka';

import { eventually, kafkaBrokers } from './platform.js';

export const kafka = new Kafka({ clientId: 'e2e', brokers: kafkaBrokers, logLevel: 1 });

/**
 * Reads `topic` with a throwaway group, keeps the values `pick` returns (undefined = skip), and
 * resolves once `done` holds or the time is up. `act` runs once the consumer is in. Reading starts
 * at the beginning and skips messages older than the call: a group that starts "from the latest
 * offset" resolves that offset only after joining, and would miss what `act` produced meanwhile.
 */
export async function collectFrom<T>(
  topic: string,
  pick: (value: unknown) => T | undefined,
  done: (found: readonly T[]) => boolean,
  options: { timeoutMs: number; act?: () => Promise<void> },
): Promise<T[]> {
  const consumer = kafka.consumer({ groupId: `e2e-${topic}-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const since = Date.now();
  const found: T[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (Number(message.timestamp) < since) return Promise.resolve();
        const value = pick(JSON.parse(message.value?.toString() ?? 'null'));
        if (value !== undefined) found.push(value);
        return Promise.resolve();
      },
    });
    await eventually(() => Promise.resolve(joined), Boolean, 15_000);
    await options.act?.();
    await eventually(() => Promise.resolve(found), done, options.timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return found;
}
