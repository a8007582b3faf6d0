import { type CostEstimate, type CostEstimateRequest } from '@llmaas/contracts';
import { decimalText, priceUsage, sum, toCents, type ResolvedPrices } from '@llmaas/pricing';

/**
 * The most a request can cost: its input and the completion's ceiling priced as one usage event
 * of that tenant now (so negotiated prices and batch prices apply, reasoning included in output).
 */
export function estimateCost(request: CostEstimateRequest, prices: ResolvedPrices, now: Date): CostEstimate {
  const priced = priceUsage(
    {
      requestId: 'estimate', tenantId: request.tenantId, keyId: 'estimate', model: request.model, kind: request.kind, mode: request.mode, status: 'completed',
      inputTokens: request.inputTokens, outputTokens: request.maxOutputTokens, reasoningTokens: 0, documents: request.documents, audioSeconds: request.audioSeconds,
      workerId: null, startedAt: now.toISOString(), finishedAt: now.toISOString(), timeToFirstTokenMs: null,
    },
    prices,
  );
  const total = sum(priced.quantities.map((q) => q.amountEur));
  return {
    model: request.model,
    currency: 'EUR',
    lines: priced.quantities.map((q) => {
      const price = prices.prices[q.item];
      return { item: q.item, quantity: decimalText(q.quantity), unit: price.unit, unitPriceEur: price.priceEur, unitSize: price.unitSize, amountEur: decimalText(q.amountEur) };
    }),
    totalEur: decimalText(total),
    totalEurRounded: toCents(total).toFixed(2),
    priceBookVersion: prices.versionId,
    negotiatedVersion: prices.overrideVersionId,
  };
}
