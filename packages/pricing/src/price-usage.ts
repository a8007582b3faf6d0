import { type InferenceUsage } from '@llmaas/contracts';

import { Decimal, sum, ZERO } from './money.js';
import { amountOf, type PriceItem, type ResolvedPrices } from './price-book.js';

export interface PricedQuantity {
  item: PriceItem;
  /** Tokens, documents or minutes. */
  quantity: Decimal;
  /** Unrounded: cents are rounded once, on the invoice line priced from the summed quantities. */
  amountEur: Decimal;
}

export interface PricedUsage {
  quantities: PricedQuantity[];
  amountEur: Decimal;
}

/** Audio is billed per second started: 61.2 s is 62 s (at 0.01 € per 60 s). */
export const billableSeconds = (audioSeconds: number): Decimal => new Decimal(Math.ceil(Math.max(0, audioSeconds) - 1e-9));

/**
 * What one usage event is billed, item by item. OpenAI's `completion_tokens` includes the
 * reasoning tokens: output is billed as completion minus reasoning, reasoning apart, so no token
 * is billed twice. A request that failed on our side is not billed; a cancelled one is billed for
 * what it consumed (usually nothing: a guard block or a client that left before any token).
 */
export function quantitiesOf(usage: InferenceUsage): { item: PriceItem; quantity: Decimal }[] {
  if (usage.status === 'failed') return [];
  const input = new Decimal(usage.inputTokens);
  const reasoning = new Decimal(Math.min(usage.reasoningTokens, usage.outputTokens));
  const visibleOutput = new Decimal(usage.outputTokens).minus(reasoning);
  const batch = usage.mode === 'batch';
  switch (usage.kind) {
    // Every text-generating kind is billed by its tokens like chat (OCR and translation models
    // answer through chat completions; the document prices no other unit for them).
    case 'chat':
    case 'chat-vision':
    case 'guard':
    case 'translation':
    case 'ocr':
    case 'image-generation':
      return batch
        ? [
            { item: 'batch_input', quantity: input },
            // In batch mode reasoning is priced as batch output: one line for all completion tokens.
            { item: 'batch_output', quantity: visibleOutput.plus(reasoning) },
          ]
        : [
            { item: 'chat_input', quantity: input },
            { item: 'chat_output', quantity: visibleOutput },
            { item: 'reasoning_output', quantity: reasoning },
          ];
    case 'embedding':
      return [{ item: batch ? 'batch_input' : 'embedding_input', quantity: input }];
    case 'rerank':
      return [{ item: 'rerank_document', quantity: new Decimal(usage.documents) }];
    case 'audio-transcription':
      return [{ item: 'audio_second', quantity: billableSeconds(usage.audioSeconds) }];
  }
}

export function priceUsage(usage: InferenceUsage, prices: ResolvedPrices): PricedUsage {
  const quantities = quantitiesOf(usage)
    .filter((q) => !q.quantity.isZero())
    .map((q) => ({ ...q, amountEur: amountOf(q.quantity, prices.prices[q.item]) }));
  return { quantities, amountEur: quantities.length ? sum(quantities.map((q) => q.amountEur)) : ZERO };
}
