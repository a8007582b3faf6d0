import { deadLetter, topics } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { collectFrom, kafka } from '../support/kafka.js';

describe('a malformed event', () => {
  it('is dead-lettered with its reason and original bytes, and consumption goes on', async () => {
    const marker = `bogus-${Date.now()}`;
    const producer = kafka.producer();
    await producer.connect();
    try {
      const found = await collectFrom(
        topics.deadLetters.name,
        (value) => {
          const record = deadLetter.safeParse(value);
          return record.success && Buffer.from(record.data.payloadBase64, 'base64').toString().includes(marker) ? record.data : undefined;
        },
        (records) => records.length > 0,
        {
          timeoutMs: 20_000,
          act: async () => {
            await producer.send({ topic: topics.fleetHeartbeats.name, messages: [{ key: marker, value: JSON.stringify({ workerId: marker, queueDepth: -5 }) }] });
          },
        },
      );
      expect(found[0]).toMatchObject({ topic: 'fleet.heartbeats', consumer: 'scheduler' });
      expect(found[0]?.reason).toContain('queueDepth');
    } finally {
      await producer.disconnect();
    }
  });
});
