import { type InferenceUsage } from '@llmaas/contracts';
import { decimalText, priceUsage, type ResolvedPrices } from '@llmaas/pricing';

/** One event as the ledger stores it: the event's quantities, its price and the versions used. */
export interface LedgerRecord {
  usage: InferenceUsage;
  amountEur: string;
  versionId: string;
  overrideVersionId: string | null;
  /** The UTC day (YYYY-MM-DD) and month (YYYY-MM) the event counts in: those of its end. */
  day: string;
  period: string;
}

/** One priced item of an event, summed into `usage_aggregates` (tenant, day, model, key, item, mode). */
export interface LedgerItem {
  requestId: string;
  tenantId: string;
  day: string;
  model: string;
  keyId: string;
  item: string;
  mode: InferenceUsage['mode'];
  priceEur: string;
  unitSize: string;
  quantity: string;
  amountEur: string;
}

export interface PricedBatch {
  records: LedgerRecord[];
  items: LedgerItem[];
  /** Events no price book version covered (their time is before the first one): never dropped silently. */
  unpriced: InferenceUsage[];
}

/**
 * Prices a fetched batch at the versions in force at each event's time (its end: when its usage
 * is known). A request id seen twice in the batch counts once. Pure: the repository writes it.
 */
export function priceBatch(events: readonly InferenceUsage[], pricesAt: (tenantId: string, at: Date) => ResolvedPrices | null): PricedBatch {
  const unique = [...new Map(events.map((e) => [e.requestId, e])).values()];
  const out: PricedBatch = { records: [], items: [], unpriced: [] };
  for (const usage of unique) {
    const at = new Date(usage.finishedAt);
    const prices = pricesAt(usage.tenantId, at);
    if (!prices) {
      out.unpriced.push(usage);
      continue;
    }
    const priced = priceUsage(usage, prices);
    const day = usage.finishedAt.slice(0, 10);
    out.records.push({ usage, amountEur: decimalText(priced.amountEur), versionId: prices.versionId, overrideVersionId: prices.overrideVersionId, day, period: day.slice(0, 7) });
    for (const q of priced.quantities) {
      const price = prices.prices[q.item];
      out.items.push({ requestId: usage.requestId, tenantId: usage.tenantId, day, model: usage.model, keyId: usage.keyId, item: q.item, mode: usage.mode, priceEur: price.priceEur, unitSize: price.unitSize, quantity: decimalText(q.quantity), amountEur: decimalText(q.amountEur) });
    }
  }
  return out;
}

/** When the newest event of a batch ended (ms since the epoch); null for none. */
export function newestEnd(usage: readonly InferenceUsage[]): number | null {
  let newest: number | null = null;
  for (const u of usage) {
    const end = Date.parse(u.finishedAt);
    if (!Number.isNaN(end) && (newest === null || end > newest)) newest = end;
  }
  return newest;
}
