import { deadLetter, topics } from '@llmaas/contracts';
import { Kafka } from '@llmaas/kafka';
import { describe, expect, it } from 'vitest';

import { eventually, kafkaBrokers } from '../support/platform.js';

describe('a malformed event', () => {
  it('is dead-lettered with its reason and original bytes, and consumption goes on', async () => {
    const kafka = new Kafka({ clientId: 'e2e-dead-letter', brokers: kafkaBrokers, logLevel: 1 });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `e2e-dlq-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    const marker = `bogus-${Date.now()}`;
    const found: unknown[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: topics.deadLetters.name, fromBeginning: false });
      await consumer.run({
        eachMessage: ({ message }) => {
          const record = deadLetter.safeParse(JSON.parse(message.value?.toString() ?? 'null'));
          if (record.success && Buffer.from(record.data.payloadBase64, 'base64').toString().includes(marker)) found.push(record.data);
          return Promise.resolve();
        },
      });
      await producer.connect();
      // Give the new group a moment to get its partition before producing.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await producer.send({
        topic: topics.fleetHeartbeats.name,
        messages: [{ key: marker, value: JSON.stringify({ workerId: marker, queueDepth: -5 }) }],
      });
      await eventually(() => Promise.resolve(found.length), (n) => n > 0, 20_000);
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
    expect(found[0]).toMatchObject({ topic: 'fleet.heartbeats', consumer: 'scheduler' });
    expect((found[0] as { reason: string }).reason).toContain('queueDepth');
  });
});
