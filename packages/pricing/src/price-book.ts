import { type Decimal } from './money.js';

/**
 * What the price book prices. Interactive and batch are separate items because their prices
 * differ; reasoning output has its own item so that it can be priced apart (the product document
 * prices it like output, today).
 */
export const priceItems = ['chat_input', 'chat_output', 'reasoning_output', 'embedding_input', 'rerank_document', 'batch_input', 'batch_output', 'audio_second'] as const;
export type PriceItem = (typeof priceItems)[number];

export interface Price {
  /** Euros per `unitSize` units (per 1,000,000 tokens, per 1,000,000 documents, per 60 seconds). */
  priceEur: string;
  unitSize: string;
  unit: string;
}

export interface PriceBookVersion {
  id: string;
  /** null: the public price book; a tenant id: that tenant's negotiated prices (any subset of items). */
  tenantId: string | null;
  effectiveFrom: Date;
  prices: Partial<Record<PriceItem, Price>>;
}

const perMillionTokens = (eur: string): Price => ({ priceEur: eur, unitSize: '1000000', unit: '1M tokens' });

/** The product document's prices ("Cost Calculation"), the first public version. */
export const documentPrices: Record<PriceItem, Price> = {
  chat_input: perMillionTokens('1.8'),
  chat_output: perMillionTokens('8'),
  reasoning_output: perMillionTokens('8'),
  // Not in the document: embeddings are input tokens only, priced as chat input.
  embedding_input: perMillionTokens('1.8'),
  rerank_document: { priceEur: '4', unitSize: '1000000', unit: '1M documents' },
  batch_input: perMillionTokens('0.9'),
  batch_output: perMillionTokens('4'),
  // 0.01 € a minute, billed per second started: quantities are seconds, 60 of them per price.
  audio_second: { priceEur: '0.01', unitSize: '60', unit: 'minute' },
};

export interface ResolvedPrices {
  prices: Record<PriceItem, Price>;
  /** The public version in force, and the tenant's override in force (if any). */
  versionId: string;
  overrideVersionId: string | null;
}

/** The version of `versions` (one tenant, or the public ones) in force at `at`: the latest that started by then. */
function inForce(versions: readonly PriceBookVersion[], at: Date): PriceBookVersion | null {
  let best: PriceBookVersion | null = null;
  for (const v of versions) if (v.effectiveFrom.getTime() <= at.getTime() && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

/**
 * The prices for a tenant at an instant: the public version in force then, each item the tenant
 * negotiated replaced by its own version in force then. Null when no public version had started.
 */
export function resolvePrices(versions: readonly PriceBookVersion[], tenantId: string, at: Date): ResolvedPrices | null {
  const base = inForce(versions.filter((v) => v.tenantId === null), at);
  if (!base) return null;
  const override = inForce(versions.filter((v) => v.tenantId === tenantId), at);
  const prices = { ...documentPrices, ...base.prices, ...(override?.prices ?? {}) } as Record<PriceItem, Price>;
  return { prices, versionId: base.id, overrideVersionId: override?.id ?? null };
}

/**
 * What `quantity` units cost: multiplied before divided, so that a sum of quantities priced once
 * (an invoice line) is exact whenever it can be (seconds at 0.01 € per 60 are not, per event).
 */
export const amountOf = (quantity: Decimal, price: Price): Decimal => quantity.mul(price.priceEur).div(price.unitSize);
