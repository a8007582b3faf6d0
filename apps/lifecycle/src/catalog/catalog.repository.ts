import { Inject, Injectable } from '@nestjs/common';
import { type ModelKind } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';

import { Prisma, type CatalogModel, type PrismaClient } from '../generated/prisma/client.js';
import { type SeedModel } from './catalog-seed.js';

// Prisma enum names cannot hold dashes; the database and the contracts use the dashed form.
export const toDbKind = (kind: ModelKind) => kind.replaceAll('-', '_') as CatalogModel['kind'];
export const fromDbKind = (kind: CatalogModel['kind']) => kind.replaceAll('_', '-') as ModelKind;
const toDate = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));

@Injectable()
export class CatalogRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Inserts the seed models not yet in the catalog: operators' later changes are never overwritten. */
  async importSeed(models: readonly SeedModel[]): Promise<number> {
    const { count } = await this.prisma.catalogModel.createMany({
      skipDuplicates: true,
      data: models.map((m) => ({
        id: m.id,
        publisher: m.publisher,
        kind: toDbKind(m.kind),
        paramsBillion: new Prisma.Decimal(m.paramsBillion),
        contextLength: m.contextLength,
        reasoning: m.reasoning,
        productionDate: toDate(m.productionDate),
        endOfSupportDate: toDate(m.endOfSupportDate),
        lts: m.lts,
        recommendedMigration: m.recommendedMigration,
        vramMiB: m.vramMiB,
      })),
    });
    return count;
  }

  all(): Promise<CatalogModel[]> {
    return this.prisma.catalogModel.findMany({ orderBy: { id: 'asc' } });
  }
}
