import { z } from 'zod';

import { decimalString, id, modelId, modelKind } from './primitives.js';

/** What a request would cost, priced by billing's price book for that tenant now. */
export const costEstimateRequest = z.object({
  tenantId: id,
  model: modelId,
  kind: modelKind,
  mode: z.enum(['interactive', 'batch']),
  inputTokens: z.number().int().nonnegative(),
  /** The completion's ceiling: the estimate is the most the request can cost. */
  maxOutputTokens: z.number().int().nonnegative(),
  documents: z.number().int().nonnegative().default(0),
  audioSeconds: z.number().nonnegative().default(0),
});
export type CostEstimateRequest = z.infer<typeof costEstimateRequest>;

export const costEstimate = z.object({
  model: modelId,
  currency: z.literal('EUR'),
  lines: z.array(z.object({ item: z.string(), quantity: decimalString, unit: z.string(), unitPriceEur: decimalString, unitSize: decimalString, amountEur: decimalString })),
  /** Exact; `totalEurRounded` is the same to the cent (half-up). */
  totalEur: decimalString,
  totalEurRounded: decimalString,
  priceBookVersion: z.string(),
  negotiatedVersion: z.string().nullable(),
});
export type CostEstimate = z.infer<typeof costEstimate>;
