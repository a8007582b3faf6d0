/** A model's phase is never stored: it follows from its dates and today's date. */
export type Phase = 'evaluation' | 'production' | 'notice' | 'removed';

export interface PhaseInputs {
  /** DMP: production release; null while in evaluation. */
  productionDate: string | null;
  /** DSP: end of support; the model is removed from then on. */
  endOfSupportDate: string | null;
  /** An emergency withdrawal (security flaw) removes a model at once, without notice. */
  withdrawnAt: string | null;
}

/** The notice period before removal, in calendar months (the product document's 3 months). */
export const NOTICE_MONTHS = 3;

/** The first day of the notice period: DSP minus three calendar months (clamped to month ends). */
export function noticeStart(endOfSupportDate: string): string {
  const [y = 0, m = 1, d = 1] = endOfSupportDate.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) - NOTICE_MONTHS;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** `today` as an ISO date (YYYY-MM-DD), UTC. Dates compare as strings in this format. */
export function phaseOn(model: PhaseInputs, today: string): Phase {
  if (model.withdrawnAt !== null && model.withdrawnAt.slice(0, 10) <= today) return 'removed';
  if (model.endOfSupportDate !== null && today >= model.endOfSupportDate) return 'removed';
  if (model.productionDate === null || today < model.productionDate) return 'evaluation';
  if (model.endOfSupportDate !== null && today >= noticeStart(model.endOfSupportDate)) return 'notice';
  return 'production';
}

export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** Until the next phase check: the interval, or just past the next UTC midnight if sooner (dates roll then). */
export function nextCheckDelay(now: Date, intervalMs: number): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1000, Math.min(intervalMs, midnight - now.getTime() + 1000));
}
