import { type CatalogModel as CatalogRecord, type ModelAdminView } from '@llmaas/contracts';

import { fromDbKind, type StoredModel } from './catalog.repository.js';
import { recommendedMigration } from './migration-rule.js';
import { isoDate, noticeStart, phaseOn } from './phase.js';

const day = (d: Date | null) => (d === null ? null : isoDate(d));

/** The catalog as the platform sees it `today`: phases and migrations computed, never stored. */
export function catalogView(models: readonly StoredModel[], today: string): CatalogRecord[] {
  const withPhase = models.map((m) => ({
    model: m,
    phase: phaseOn({ productionDate: day(m.productionDate), endOfSupportDate: day(m.endOfSupportDate), withdrawnAt: m.withdrawnAt?.toISOString() ?? null }, today),
  }));
  const candidates = withPhase.map(({ model, phase }) => ({
    id: model.id,
    kind: fromDbKind(model.kind),
    paramsBillion: model.paramsBillion.toNumber(),
    endOfSupportDate: day(model.endOfSupportDate),
    recommendedMigration: model.recommendedMigration,
    phase,
  }));
  return withPhase.map(({ model, phase }, i) => ({
    id: model.id,
    publisher: model.publisher,
    kind: fromDbKind(model.kind),
    paramsBillion: model.paramsBillion.toNumber(),
    contextLength: model.contextLength,
    reasoning: model.reasoning,
    productionDate: day(model.productionDate),
    endOfSupportDate: day(model.endOfSupportDate),
    noticeStartDate: model.endOfSupportDate ? noticeStart(day(model.endOfSupportDate) ?? '') : null,
    lts: model.lts,
    recommendedMigration: phase === 'production' || phase === 'evaluation' ? model.recommendedMigration : recommendedMigration(candidates[i]!, candidates),
    stability: model.stability,
    phase,
    vramMiB: model.vramMiB,
    withdrawnAt: model.withdrawnAt?.toISOString() ?? null,
    withdrawnReason: model.withdrawnReason,
    enabledTenants: model.grants.map((g) => g.tenantId),
    updatedAt: model.updatedAt.toISOString(),
  }));
}

/** The operator's view of one model: its published record plus the grants behind `enabledTenants`. */
export function adminView(model: StoredModel, record: CatalogRecord): ModelAdminView {
  return {
    ...record,
    grants: model.grants.map((g) => ({ tenantId: g.tenantId, grantedBy: g.grantedBy, reason: g.reason, grantedAt: g.grantedAt.toISOString() })),
    createdAt: model.createdAt.toISOString(),
  };
}
