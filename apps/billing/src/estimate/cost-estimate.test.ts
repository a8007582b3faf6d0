import { documentPrices, resolvePrices } from '@llmaas/pricing';
import { describe, expect, it } from 'vitest';

import { estimateCost } from './cost-estimate.js';

const prices = resolvePrices([{ id: 'pb-1', tenantId: null, effectiveFrom: new Date('2025-01-01T00:00:00Z'), prices: documentPrices }], 't', new Date('2026-11-27T00:00:00Z'))!;
const now = new Date('2026-11-27T10:00:00Z');

describe('estimateCost', () => {
  it('prices the document\'s example: "Expliquez la photosynthèse" (6 tokens) with 200 output tokens at most', () => {
    // 6 × 1.8 / 1e6 + 200 × 8 / 1e6 = 0.0000108 + 0.0016 = 0.0016108 €
    const estimate = estimateCost({ tenantId: 't', model: 'qwen3:14b', kind: 'chat', mode: 'interactive', inputTokens: 6, maxOutputTokens: 200, documents: 0, audioSeconds: 0 }, prices, now);
    expect(estimate).toMatchObject({ totalEur: '0.0016108', totalEurRounded: '0.00', priceBookVersion: 'pb-1', negotiatedVersion: null });
    expect(estimate.lines).toEqual([
      { item: 'chat_input', quantity: '6', unit: '1M tokens', unitPriceEur: '1.8', unitSize: '1000000', amountEur: '0.0000108' },
      { item: 'chat_output', quantity: '200', unit: '1M tokens', unitPriceEur: '8', unitSize: '1000000', amountEur: '0.0016' },
    ]);
  });

  it('uses batch prices in batch mode, and per-document prices for rerank', () => {
    expect(estimateCost({ tenantId: 't', model: 'm', kind: 'chat', mode: 'batch', inputTokens: 1_000_000, maxOutputTokens: 1_000_000, documents: 0, audioSeconds: 0 }, prices, now).totalEur).toBe('4.9');
    expect(estimateCost({ tenantId: 't', model: 'r', kind: 'rerank', mode: 'interactive', inputTokens: 0, maxOutputTokens: 0, documents: 500_000, audioSeconds: 0 }, prices, now).totalEurRounded).toBe('2.00');
  });
});
