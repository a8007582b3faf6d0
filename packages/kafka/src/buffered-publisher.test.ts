import { topics, type AuditEvent } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { BufferedPublisher } from './buffered-publisher.js';
import { type EventPublisher } from './event-publisher.js';

const event = (n: number): AuditEvent => ({
  eventId: `e${n}`, at: '2026-11-26T00:00:00.000Z', tenantId: 't', keyId: null, actor: 'system:gateway', source: 'gateway', action: 'x', resource: 'r',
  model: null, httpStatus: null, requestId: null, clientAddress: null, userAgent: null, tokens: null, latencyMs: null,
});
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

// The buffer's own logic (batching, retry, bounds) against a recording publisher; the Kafka path
// itself is covered by the e2e tests on the real broker.
describe('BufferedPublisher', () => {
  it('sends in batches and keeps what failed for the next flush, in order', async () => {
    const sent: string[][] = [];
    let fail = true;
    const publisher = { publishMany: (_t: unknown, batch: AuditEvent[]) => (fail ? Promise.reject(new Error('broker away')) : (sent.push(batch.map((e) => e.eventId)), Promise.resolve())) } as unknown as EventPublisher;
    const buffer = new BufferedPublisher(publisher, topics.auditEvents, { maxPending: null, flushEveryMs: 5 });
    buffer.start();
    for (let i = 0; i < 3; i++) buffer.add(event(i));
    await new Promise((r) => setTimeout(r, 30));
    fail = false;
    await until(() => sent.flat().length === 3);
    await buffer.stop();
    expect(sent.flat()).toEqual(['e0', 'e1', 'e2']);
  });

  it('drops the oldest past its bound', async () => {
    const sent: string[] = [];
    const publisher = { publishMany: (_t: unknown, batch: AuditEvent[]) => (sent.push(...batch.map((e) => e.eventId)), Promise.resolve()) } as unknown as EventPublisher;
    const buffer = new BufferedPublisher(publisher, topics.auditEvents, { maxPending: 2 });
    for (let i = 0; i < 5; i++) buffer.add(event(i));
    await buffer.stop();
    expect(sent).toEqual(['e3', 'e4']);
  });
});
