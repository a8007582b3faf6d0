import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';
import { priceItems, resolvePrices, type Price, type PriceBookVersion, type PriceItem, type ResolvedPrices } from '@llmaas/pricing';

import { type PrismaClient } from '../generated/prisma/client.js';

const isItem = (item: string): item is PriceItem => (priceItems as readonly string[]).includes(item);

/**
 * The price book, held in memory (a few versions) and reloaded after every change, so that
 * pricing a batch of events reads no table.
 */
@Injectable()
export class PriceBookRepository {
  private versions: PriceBookVersion[] = [];

  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async load(): Promise<void> {
    const rows = await this.prisma.priceBookVersion.findMany({ include: { entries: true }, orderBy: { effectiveFrom: 'asc' } });
    this.versions = rows.map((v) => ({
      id: v.id,
      tenantId: v.tenantId,
      effectiveFrom: v.effectiveFrom,
      prices: Object.fromEntries(
        v.entries.filter((e) => isItem(e.item)).map((e): [PriceItem, Price] => [e.item as PriceItem, { priceEur: e.priceEur.toFixed(), unitSize: e.unitSize.toFixed(), unit: e.unit }]),
      ),
    }));
  }

  pricesAt(tenantId: string, at: Date): ResolvedPrices | null {
    return resolvePrices(this.versions, tenantId, at);
  }

  all(): readonly PriceBookVersion[] {
    return this.versions;
  }
}
