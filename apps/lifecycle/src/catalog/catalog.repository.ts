import { Inject, Injectable } from '@nestjs/common';
import { type ModelCreate, type ModelKind, type ModelUpdate } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';

import { Prisma, type CatalogModel, type PrismaClient, type TenantModelGrant } from '../generated/prisma/client.js';
import { vramMiBFor, type SeedModel } from './catalog-seed.js';

// Prisma enum names cannot hold dashes; the database and the contracts use the dashed form.
export const toDbKind = (kind: ModelKind) => kind.replaceAll('-', '_') as CatalogModel['kind'];
export const fromDbKind = (kind: CatalogModel['kind']) => kind.replaceAll('_', '-') as ModelKind;
const toDate = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));
const dateOrKeep = (iso: string | null | undefined) => (iso === undefined ? undefined : toDate(iso));

export type StoredModel = CatalogModel & { grants: TenantModelGrant[] };

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

  all(): Promise<StoredModel[]> {
    return this.prisma.catalogModel.findMany({ orderBy: { id: 'asc' }, include: { grants: { orderBy: { tenantId: 'asc' } } } });
  }

  /** Inserts a new model; false when the id is taken. */
  async create(model: ModelCreate): Promise<boolean> {
    const { count } = await this.prisma.catalogModel.createMany({
      skipDuplicates: true,
      data: [
        {
          id: model.id,
          publisher: model.publisher,
          kind: toDbKind(model.kind),
          paramsBillion: new Prisma.Decimal(model.paramsBillion),
          contextLength: model.contextLength,
          reasoning: model.reasoning,
          productionDate: toDate(model.productionDate),
          endOfSupportDate: toDate(model.endOfSupportDate),
          lts: model.lts,
          stability: model.stability,
          recommendedMigration: model.recommendedMigration,
          vramMiB: model.vramMiB ?? vramMiBFor(model.paramsBillion),
        },
      ],
    });
    return count === 1;
  }

  async update(id: string, patch: ModelUpdate): Promise<void> {
    await this.prisma.catalogModel.update({
      where: { id },
      data: {
        publisher: patch.publisher,
        kind: patch.kind === undefined ? undefined : toDbKind(patch.kind),
        paramsBillion: patch.paramsBillion === undefined ? undefined : new Prisma.Decimal(patch.paramsBillion),
        contextLength: patch.contextLength,
        reasoning: patch.reasoning,
        lts: patch.lts,
        stability: patch.stability,
        productionDate: dateOrKeep(patch.productionDate),
        endOfSupportDate: dateOrKeep(patch.endOfSupportDate),
        recommendedMigration: patch.recommendedMigration,
        vramMiB: patch.vramMiB,
      },
    });
  }

  async withdraw(id: string, at: Date, reason: string): Promise<void> {
    await this.prisma.catalogModel.update({ where: { id }, data: { withdrawnAt: at, withdrawnReason: reason } });
  }

  async grant(modelId: string, tenantId: string, grantedBy: string, reason: string | null): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.tenantModelGrant.upsert({ where: { tenantId_modelId: { tenantId, modelId } }, create: { tenantId, modelId, grantedBy, reason }, update: { grantedBy, reason } }),
      // A grant changes what the platform publishes for the model: bump it so its record moves on.
      this.prisma.catalogModel.update({ where: { id: modelId }, data: { updatedAt: new Date() } }),
    ]);
  }

  /** False when there was no such grant. */
  async revokeGrant(modelId: string, tenantId: string): Promise<boolean> {
    const { count } = await this.prisma.tenantModelGrant.deleteMany({ where: { tenantId, modelId } });
    if (count > 0) await this.prisma.catalogModel.update({ where: { id: modelId }, data: { updatedAt: new Date() } });
    return count > 0;
  }
}
