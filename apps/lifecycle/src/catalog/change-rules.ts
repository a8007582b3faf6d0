import { RpcFailure } from '@llmaas/kafka';

import { NOTICE_MONTHS, noticeStart, type Phase } from './phase.js';

/** The fields of a model the lifecycle rules look at. */
export interface LifecycleDates {
  productionDate: string | null;
  endOfSupportDate: string | null;
  lts: boolean;
  recommendedMigration: string | null;
}

export interface CatalogEntry {
  id: string;
  phase: Phase;
}

const addDays = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The earliest end of support that still gives the full notice when announced `today`. */
export function earliestEndOfSupport(today: string): string {
  // Month ends make "today + 3 months" ambiguous (30 Nov → 28 Feb → notice from 28 Nov):
  // take the first day whose notice period does not start before today.
  let candidate = addDays(today, NOTICE_MONTHS * 28);
  while (noticeStart(candidate) < today) candidate = addDays(candidate, 1);
  return candidate;
}

const invalid = (param: string, message: string) => new RpcFailure('invalid_request', `${param}: ${message}`, param);

/**
 * Checks an operator's change (`before` is null for a new model) against the document's rules;
 * throws a 400-mapped failure naming the offending field. Phases are never set, only dates:
 * - the end of support comes after the production date;
 * - a model that has been in production keeps its production date, and a promotion is not backdated;
 * - an end of support may always move later (extended support), but moving it earlier (or setting
 *   one) on a model that has been in production must leave the 3-month notice, and never on an
 *   LTS model: an emergency is a withdrawal, not a date;
 * - a recommended migration names another model that is served (production or notice).
 */
export function checkModelChange(id: string, before: LifecycleDates | null, after: LifecycleDates, catalog: readonly CatalogEntry[], today: string): void {
  if (after.productionDate && after.endOfSupportDate && after.endOfSupportDate <= after.productionDate) {
    throw invalid('endOfSupportDate', `${after.endOfSupportDate} must be after the production date ${after.productionDate}.`);
  }
  if (before) {
    const wasInProduction = before.productionDate !== null && before.productionDate <= today;
    if (after.productionDate !== before.productionDate) {
      if (wasInProduction) throw invalid('productionDate', `the model has been in production since ${before.productionDate}; that date cannot change.`);
      if (after.productionDate !== null && after.productionDate < today) throw invalid('productionDate', `${after.productionDate} is in the past; a promotion takes effect today or later.`);
    }
    const brought = after.endOfSupportDate !== null && (before.endOfSupportDate === null || after.endOfSupportDate < before.endOfSupportDate);
    if (brought && wasInProduction) {
      if (before.lts) {
        throw invalid('endOfSupportDate', `the model is LTS: its end of support ${before.endOfSupportDate ?? '(none)'} can only be extended. For a security flaw, withdraw it.`);
      }
      const earliest = earliestEndOfSupport(today);
      if ((after.endOfSupportDate ?? '') < earliest) {
        throw invalid('endOfSupportDate', `${after.endOfSupportDate} leaves less than the ${NOTICE_MONTHS}-month notice; the earliest is ${earliest}. For an immediate removal (security flaw), withdraw the model.`);
      }
    }
  }
  const migration = after.recommendedMigration;
  if (migration !== null && migration !== before?.recommendedMigration) {
    if (migration === id) throw invalid('recommendedMigration', 'a model cannot be its own migration.');
    const target = catalog.find((m) => m.id === migration);
    if (!target) throw invalid('recommendedMigration', `'${migration}' is not a model of the catalog.`);
    if (target.phase !== 'production' && target.phase !== 'notice') {
      throw invalid('recommendedMigration', `'${migration}' is ${target.phase === 'removed' ? 'removed' : 'still in evaluation'}; name a model in production.`);
    }
  }
}
