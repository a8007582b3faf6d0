import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';

import { type PrismaClient } from '../generated/prisma/client.js';
import { type AccountOverrides, type TierLimits } from './quota-state.js';

/** Tiers, accounts and the monthly spend, as the quota logic reads them. */
@Injectable()
export class QuotaRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async tiers(): Promise<Map<string, TierLimits>> {
    const rows = await this.prisma.tier.findMany();
    return new Map(
      rows.map((t) => [
        t.name,
        { name: t.name, requestsPerMinute: t.requestsPerMinute, tokensPerMinute: t.tokensPerMinute, concurrentRequests: t.concurrentRequests, monthlyBudgetEur: t.monthlyBudgetEur?.toFixed(2) ?? null, hardCap: t.hardCap },
      ]),
    );
  }

  async accounts(): Promise<Map<string, AccountOverrides & { tier: string }>> {
    const rows = await this.prisma.tenantAccount.findMany();
    return new Map(rows.map((a) => [a.tenantId, { tier: a.tier, monthlyBudgetEur: a.monthlyBudgetEur?.toFixed(2) ?? null, hardCap: a.hardCap }]));
  }

  /** Billing's copy of a tenant's tier (from `auth.tenants`); budget overrides are left as they are. */
  async recordTier(tenantId: string, tier: string): Promise<void> {
    await this.prisma.tenantAccount.upsert({ where: { tenantId }, create: { tenantId, tier }, update: { tier } });
  }

  async spend(tenantId: string, period: string): Promise<{ spendEur: string; alertedPercent: number }> {
    const row = await this.prisma.tenantSpend.findUnique({ where: { tenantId_period: { tenantId, period } } });
    return { spendEur: row?.spendEur.toFixed() ?? '0', alertedPercent: row?.alertedPercent ?? 0 };
  }

  /** Marks an alert as sent; false when another instance (or an earlier try) already did. */
  async claimAlert(tenantId: string, period: string, percent: number): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE "billing"."tenant_spend" SET alerted_percent = $3 WHERE tenant_id = $1 AND period = $2 AND alerted_percent < $3`,
      tenantId,
      period,
      percent,
    );
    return n === 1;
  }

  /** Finance's budget for a tenant (null: the tier's); the account row is created if billing had none. */
  async setBudget(tenantId: string, tier: string, monthlyBudgetEur: string | null, hardCap: boolean | null): Promise<void> {
    await this.prisma.tenantAccount.upsert({ where: { tenantId }, create: { tenantId, tier, monthlyBudgetEur, hardCap }, update: { monthlyBudgetEur, hardCap } });
  }

  async putTier(tier: TierLimits): Promise<void> {
    const data = { requestsPerMinute: tier.requestsPerMinute, tokensPerMinute: tier.tokensPerMinute, concurrentRequests: tier.concurrentRequests, monthlyBudgetEur: tier.monthlyBudgetEur, hardCap: tier.hardCap };
    await this.prisma.tier.upsert({ where: { name: tier.name }, create: { name: tier.name, ...data }, update: data });
  }
}
