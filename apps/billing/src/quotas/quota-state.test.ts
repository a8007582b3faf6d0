import { describe, expect, it } from 'vitest';

import { alertsToSend, budgetUsedRatio, periodOf, quotaOf, type TierLimits } from './quota-state.js';

const standard: TierLimits = { name: 'standard', requestsPerMinute: 3000, tokensPerMinute: 2_000_000, concurrentRequests: 128, monthlyBudgetEur: '100.00', hardCap: true };
const now = new Date('2026-11-27T10:00:00Z');

describe('quota state', () => {
  it('is ok below 80 %, a warning from 80 %, exhausted from 100 % of the budget', () => {
    expect(quotaOf('t', standard, null, '2026-11', '79.999', now)).toMatchObject({ state: 'ok', spendEur: '80.00', budgetEur: '100.00', hardCap: true, limits: { requestsPerMinute: 3000 } });
    expect(quotaOf('t', standard, null, '2026-11', '80', now).state).toBe('warning');
    expect(quotaOf('t', standard, null, '2026-11', '99.99', now).state).toBe('warning');
    expect(quotaOf('t', standard, null, '2026-11', '100', now).state).toBe('exhausted');
  });

  it('takes the account\'s budget and cap over the tier\'s; no budget is never exhausted', () => {
    expect(quotaOf('t', standard, { monthlyBudgetEur: '500.00', hardCap: false }, '2026-11', '100', now)).toMatchObject({ state: 'ok', budgetEur: '500.00', hardCap: false });
    expect(quotaOf('t', { ...standard, monthlyBudgetEur: null }, null, '2026-11', '1000000', now)).toMatchObject({ state: 'ok', budgetEur: null });
  });

  it('sends each alert once, and both when spend jumps past 100 % at once', () => {
    expect(alertsToSend('79', '100', 0)).toEqual([]);
    expect(alertsToSend('85', '100', 0)).toEqual([80]);
    expect(alertsToSend('85', '100', 80)).toEqual([]);
    expect(alertsToSend('120', '100', 0)).toEqual([80, 100]);
    expect(alertsToSend('120', '100', 80)).toEqual([100]);
    expect(alertsToSend('120', null, 0)).toEqual([]);
  });

  it('counts months in UTC', () => {
    expect(periodOf(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(periodOf(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12');
  });

  it('reads the budget used as the exact spend over the budget, for tenants with one', () => {
    expect(budgetUsedRatio('79.999', '100.00')).toBeCloseTo(0.79999, 10);
    expect(budgetUsedRatio('150', '100')).toBe(1.5);
    expect(budgetUsedRatio('5', null)).toBeNull();
    expect(budgetUsedRatio('5', '0')).toBeNull();
  });
});
