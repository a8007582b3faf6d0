import { type InferenceUsage } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { billableSeconds, Decimal, documentPrices, priceUsage, resolvePrices, toCents, type PriceBookVersion } from './index.js';

const publicV1: PriceBookVersion = { id: 'pb-1', tenantId: null, effectiveFrom: new Date('2025-01-01T00:00:00Z'), prices: documentPrices };
const publicV2: PriceBookVersion = { id: 'pb-2', tenantId: null, effectiveFrom: new Date('2026-07-01T00:00:00Z'), prices: { chat_input: { priceEur: '2', unitSize: '1000000', unit: '1M tokens' } } };
const acme: PriceBookVersion = { id: 'acme-1', tenantId: 'acme', effectiveFrom: new Date('2026-03-01T00:00:00Z'), prices: { chat_output: { priceEur: '6.5', unitSize: '1000000', unit: '1M tokens' } } };
const books = [publicV1, publicV2, acme];

const usage = (over: Partial<InferenceUsage>): InferenceUsage => ({
  requestId: 'r1', tenantId: 't1', keyId: 'k1', model: 'm', kind: 'chat', mode: 'interactive', status: 'completed',
  inputTokens: 0, outputTokens: 0, reasoningTokens: 0, documents: 0, audioSeconds: 0, workerId: null,
  startedAt: '2026-11-26T10:00:00.000Z', finishedAt: '2026-11-26T10:00:01.000Z', timeToFirstTokenMs: null, ...over,
});
const at = new Date('2026-11-26T10:00:00Z');
const price = (u: Partial<InferenceUsage>, tenant = 't1', when = at) => {
  const prices = resolvePrices(books, tenant, when);
  if (!prices) throw new Error('no price book');
  return priceUsage(usage({ tenantId: tenant, ...u }), prices);
};
const items = (u: ReturnType<typeof price>) => Object.fromEntries(u.quantities.map((q) => [q.item, [q.quantity.toFixed(), q.amountEur.toFixed()]]));

describe('pricing one usage event (amounts computed by hand)', () => {
  it('chat: input, output without the reasoning tokens, reasoning apart — never a token twice', () => {
    // 1,234 in at 2 €/M (v2 in force) = 0.002468; completion 1,000 of which 300 reasoning:
    // 700 × 8/M = 0.0056; 300 × 8/M = 0.0024.
    const p = price({ inputTokens: 1234, outputTokens: 1000, reasoningTokens: 300 });
    expect(items(p)).toEqual({ chat_input: ['1234', '0.002468'], chat_output: ['700', '0.0056'], reasoning_output: ['300', '0.0024'] });
    expect(p.amountEur.toFixed()).toBe('0.010468');
  });

  it('uses the version in force at the event time, and the tenant\'s negotiated items', () => {
    expect(price({ inputTokens: 1_000_000 }, 't1', new Date('2026-06-30T23:59:59.999Z')).amountEur.toFixed()).toBe('1.8');
    expect(price({ inputTokens: 1_000_000 }, 't1', new Date('2026-07-01T00:00:00Z')).amountEur.toFixed()).toBe('2');
    // acme: output at 6.5 €/M from March; input still the public price.
    expect(items(price({ inputTokens: 1_000_000, outputTokens: 2_000_000 }, 'acme'))).toEqual({ chat_input: ['1000000', '2'], chat_output: ['2000000', '13'] });
    expect(resolvePrices(books, 'acme', at)).toMatchObject({ versionId: 'pb-2', overrideVersionId: 'acme-1' });
    expect(resolvePrices(books, 'acme', new Date('2024-12-31T00:00:00Z'))).toBeNull();
  });

  it('batch: input 0.9, all completion tokens (reasoning included) at 4; embeddings as batch input; rerank keeps its price', () => {
    expect(items(price({ mode: 'batch', inputTokens: 2_000_000, outputTokens: 500_000, reasoningTokens: 100_000 }))).toEqual({ batch_input: ['2000000', '1.8'], batch_output: ['500000', '2'] });
    expect(items(price({ mode: 'batch', kind: 'embedding', inputTokens: 1_000_000 }))).toEqual({ batch_input: ['1000000', '0.9'] });
    expect(items(price({ mode: 'batch', kind: 'rerank', documents: 250 }))).toEqual({ rerank_document: ['250', '0.001'] });
  });

  it('embeddings as input tokens, rerank per document, audio per second started', () => {
    expect(items(price({ kind: 'embedding', inputTokens: 10 }))).toEqual({ embedding_input: ['10', '0.000018'] });
    expect(items(price({ kind: 'rerank', documents: 3 }))).toEqual({ rerank_document: ['3', '0.000012'] });
    // 61.2 s → 62 s; 120 s → 0.02 €.
    expect(billableSeconds(61.2).toFixed()).toBe('62');
    expect(billableSeconds(60).toFixed()).toBe('60');
    expect(items(price({ kind: 'audio-transcription', audioSeconds: 120 }))).toEqual({ audio_second: ['120', '0.02'] });
  });

  it('bills nothing for a request that failed on our side, and what a cancelled one consumed', () => {
    expect(price({ status: 'failed', inputTokens: 100, outputTokens: 10 }).quantities).toEqual([]);
    expect(price({ status: 'cancelled', inputTokens: 0, outputTokens: 0 }).amountEur.toFixed()).toBe('0');
    expect(price({ status: 'cancelled', inputTokens: 1000, outputTokens: 5 }).amountEur.toFixed()).toBe('0.00204');
  });

  it('is exact where floats are not, and rounds cents half-up', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004.
    expect(new Decimal('0.1').plus('0.2').toFixed()).toBe('0.3');
    // 3,000 events of 1 input token at 1.8 €/M: 0.0054 € exactly.
    let total = new Decimal(0);
    const one = price({ inputTokens: 1 }, 't1', new Date('2026-01-01T00:00:00Z')).amountEur;
    for (let i = 0; i < 3000; i++) total = total.plus(one);
    expect(total.toFixed()).toBe('0.0054');
    expect(toCents(new Decimal('2.665')).toFixed(2)).toBe('2.67');
    expect(toCents(new Decimal('2.6649999')).toFixed(2)).toBe('2.66');
  });
});
