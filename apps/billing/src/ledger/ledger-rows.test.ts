import { type InferenceUsage } from '@llmaas/contracts';
import { documentPrices, resolvePrices } from '@llmaas/pricing';
import { describe, expect, it } from 'vitest';

import { newestEnd, priceBatch } from './ledger-rows.js';

const books = [{ id: 'pb-1', tenantId: null, effectiveFrom: new Date('2026-01-01T00:00:00Z'), prices: documentPrices }];
const pricesAt = (tenantId: string, at: Date) => resolvePrices(books, tenantId, at);
const usage = (over: Partial<InferenceUsage>): InferenceUsage => ({
  requestId: 'r1', tenantId: 't1', keyId: 'k1', model: 'm', kind: 'chat', mode: 'interactive', status: 'completed',
  inputTokens: 100, outputTokens: 10, reasoningTokens: 0, documents: 0, audioSeconds: 0, workerId: null,
  startedAt: '2026-11-30T23:59:59.000Z', finishedAt: '2026-12-01T00:00:00.500Z', timeToFirstTokenMs: null, ...over,
});

describe('priceBatch', () => {
  it('prices at the event\'s end, counts it in that UTC day and month, and keeps one copy of an id', () => {
    const batch = priceBatch([usage({}), usage({}), usage({ requestId: 'r2', inputTokens: 0, outputTokens: 0 })], pricesAt);
    expect(batch.records.map((r) => [r.usage.requestId, r.amountEur, r.day, r.period, r.versionId])).toEqual([
      ['r1', '0.00026', '2026-12-01', '2026-12', 'pb-1'],
      ['r2', '0', '2026-12-01', '2026-12', 'pb-1'],
    ]);
    expect(batch.items.map((i) => [i.requestId, i.item, i.quantity, i.amountEur])).toEqual([
      ['r1', 'chat_input', '100', '0.00018'],
      ['r1', 'chat_output', '10', '0.00008'],
    ]);
  });

  it('sets aside, never drops, an event no price book version covers', () => {
    const early = usage({ finishedAt: '2025-06-01T00:00:00.000Z' });
    const batch = priceBatch([early], pricesAt);
    expect(batch.records).toEqual([]);
    expect(batch.unpriced).toEqual([early]);
  });
});

describe('newestEnd', () => {
  it('is the end of the latest event of a batch, whatever their order', () => {
    const ends = ['2026-12-01T00:00:01.000Z', '2026-12-01T00:00:03.250Z', '2026-12-01T00:00:02.000Z'];
    expect(newestEnd(ends.map((finishedAt, i) => usage({ requestId: `r${i}`, finishedAt })))).toBe(Date.parse('2026-12-01T00:00:03.250Z'));
    expect(newestEnd([])).toBeNull();
  });
});
