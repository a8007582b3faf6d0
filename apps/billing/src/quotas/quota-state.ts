import { type BillingQuota } from '@llmaas/contracts';
import { Decimal } from '@llmaas/pricing';

export interface TierLimits {
  name: string;
  requestsPerMinute: number;
  tokensPerMinute: number;
  concurrentRequests: number;
  monthlyBudgetEur: string | null;
  hardCap: boolean;
}

export interface AccountOverrides {
  monthlyBudgetEur: string | null;
  hardCap: boolean | null;
}

/** Budget alerts go out when spend crosses these shares of the budget, once each per month. */
export const ALERT_PERCENTS = [80, 100] as const;

/**
 * A tenant's quota for a month: its tier's limits, the budget (the account's, else the tier's),
 * and the state of the spend against it — warning from 80 %, exhausted from 100 %.
 */
export function quotaOf(tenantId: string, tier: TierLimits, account: AccountOverrides | null, period: string, spendEur: string, now: Date): BillingQuota {
  const budget = account?.monthlyBudgetEur ?? tier.monthlyBudgetEur;
  const spend = new Decimal(spendEur);
  const share = budget === null || new Decimal(budget).isZero() ? null : spend.div(budget).mul(100);
  const state = share === null ? 'ok' : share.gte(100) ? 'exhausted' : share.gte(80) ? 'warning' : 'ok';
  return {
    tenantId,
    tier: tier.name,
    period,
    limits: { requestsPerMinute: tier.requestsPerMinute, tokensPerMinute: tier.tokensPerMinute, concurrentRequests: tier.concurrentRequests },
    budgetEur: budget,
    // Spend is kept exact in the ledger; the quota shows it to the cent, rounded up (never under-reports).
    spendEur: spend.toDecimalPlaces(2, Decimal.ROUND_UP).toFixed(2),
    hardCap: account?.hardCap ?? tier.hardCap,
    state,
    updatedAt: now.toISOString(),
  };
}

/** The alert thresholds newly crossed, given the highest already sent this month. */
export function alertsToSend(spendEur: string, budgetEur: string | null, alreadySent: number): number[] {
  if (budgetEur === null || new Decimal(budgetEur).isZero()) return [];
  const share = new Decimal(spendEur).div(budgetEur).mul(100);
  return ALERT_PERCENTS.filter((p) => p > alreadySent && share.gte(p));
}

/** The UTC month of an instant, YYYY-MM. */
export const periodOf = (at: Date): string => at.toISOString().slice(0, 7);

/** Spend over budget (1 = all of it), for tenants with a budget; null without one (or a zero one). */
export function budgetUsedRatio(spendEur: string, budgetEur: string | null): number | null {
  if (budgetEur === null || new Decimal(budgetEur).isZero()) return null;
  return new Decimal(spendEur).div(budgetEur).toNumber();
}
