import { type Phase } from './phase.js';

export interface MigrationCandidate {
  id: string;
  kind: string;
  paramsBillion: number;
  endOfSupportDate: string | null;
  recommendedMigration: string | null;
  phase: Phase;
}

/**
 * The model a caller of `model` should move to: the catalog's recommendation when it names a
 * model that is still served, otherwise (data/README.md's rule) the live model of the same kind
 * with the latest end of support, ties broken by the closest parameter count, then by id.
 */
export function recommendedMigration(model: MigrationCandidate, catalog: readonly MigrationCandidate[]): string | null {
  const live = catalog.filter((c) => c.id !== model.id && (c.phase === 'production' || c.phase === 'notice'));
  if (model.recommendedMigration && live.some((c) => c.id === model.recommendedMigration)) return model.recommendedMigration;
  const sameKind = live.filter((c) => c.kind === model.kind);
  if (sameKind.length === 0) return null;
  const eos = (c: MigrationCandidate) => c.endOfSupportDate ?? '9999-12-31';
  const [best] = [...sameKind].sort(
    (a, b) =>
      eos(b).localeCompare(eos(a)) ||
      Math.abs(a.paramsBillion - model.paramsBillion) - Math.abs(b.paramsBillion - model.paramsBillion) ||
      a.id.localeCompare(b.id),
  );
  return best?.id ?? null;
}
