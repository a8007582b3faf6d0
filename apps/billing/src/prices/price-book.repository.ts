import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';
import { priceItems, resolvePrices, type Price, type PriceBookVersion, type PriceItem, type ResolvedPrices } from '@llmaas/pricing';

import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

const isItem = (item: string): item is PriceItem => (priceItems as readonly string[]).includes(item);

/**
 * The price book, held in memory (a few versions) and reloaded after every change, so that
 * pricing a batch of events reads no table.
 */
@Injectable()
export class PriceBookRepository implements OnModuleInit, OnApplicationShutdown {
  private versions: PriceBookVersion[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Other billing replicas learn a new version within a minute (versions start in the future). */
  onModuleInit(): void {
    this.timer = setInterval(() => void this.load().catch(() => undefined), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** A new version; false when the id is taken. */
  async create(version: PriceBookVersion & { note: string | null }): Promise<boolean> {
    try {
      await this.prisma.priceBookVersion.create({
        data: {
          id: version.id,
          tenantId: version.tenantId,
          effectiveFrom: version.effectiveFrom,
          note: version.note,
          entries: { create: Object.entries(version.prices).map(([item, p]) => ({ item, unit: p.unit, unitSize: p.unitSize, priceEur: p.priceEur })) },
        },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
      throw error;
    }
    await this.load();
    return true;
  }

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
