import { randomUUID } from 'node:crypto';

import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { auditEventOf, topics, type TenantRecord } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { metrics, type Attributes } from '@opentelemetry/api';

import { type SpendChange } from '../ledger/ledger.repository.js';
import { TenantDirectory } from '../tenants/tenant-directory.service.js';
import { QuotaRepository } from './quota.repository.js';
import { alertsToSend, budgetUsedRatio, periodOf, quotaOf, type AccountOverrides, type TierLimits } from './quota-state.js';

/** Quotas are published again this often: the month turns, tiers change in their table. */
const REPUBLISH_MS = 15 * 60_000;

/**
 * Each tenant's limits, budget and spend on the compacted `billing.quotas` (the gateways enforce
 * them from their copy), after every ledger batch that changed a spend and on a timer; budget
 * alerts at 80 % and 100 % on `billing.alerts` and in the audit trail, once per month each.
 */
@Injectable()
export class QuotaService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('quotas');
  private tiers = new Map<string, TierLimits>();
  private accounts = new Map<string, AccountOverrides & { tier: string }>();
  private timer: NodeJS.Timeout | undefined;
  /** This month's spend / budget per tenant, as last published. */
  private readonly budgetUsed = new Map<string, { ratio: number; attributes: Attributes }>();

  constructor(
    private readonly repository: QuotaRepository,
    private readonly events: EventPublisher,
    private readonly tenants: TenantDirectory,
  ) {
    tenants.onChange((tenant) => void this.tenantChanged(tenant));
    metrics
      .getMeter('llmaas.billing')
      .createObservableGauge('llmaas_tenant_budget_used_ratio', { description: "This month's spend over the monthly budget, per tenant with a budget (1 = spent)" })
      .addCallback((result) => {
        for (const used of this.budgetUsed.values()) result.observe(used.ratio, used.attributes);
      });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.publishAll().catch((error: unknown) => this.logger.warn({ msg: 'republishing quotas failed', err: String(error) })), REPUBLISH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** After a ledger batch: the new spends, their quotas and any alert they cross into. */
  async spendChanged(changes: readonly SpendChange[]): Promise<void> {
    const now = new Date();
    const current = periodOf(now);
    for (const change of changes) {
      // A late event of last month changes last month's spend, not this month's quota.
      if (change.period !== current) continue;
      await this.publish(change.tenantId, change.period, change.spendEur, now);
    }
  }

  /** The tier each tenant was last seen with: auth republishes its whole table every minute. */
  private readonly seenTier = new Map<string, string>();

  private async tenantChanged(tenant: TenantRecord): Promise<void> {
    if (this.seenTier.get(tenant.tenantId) === tenant.tier) return;
    this.seenTier.set(tenant.tenantId, tenant.tier);
    try {
      if (this.accounts.get(tenant.tenantId)?.tier !== tenant.tier) {
        await this.repository.recordTier(tenant.tenantId, tenant.tier);
        await this.reload();
      }
      const period = periodOf(new Date());
      const { spendEur } = await this.repository.spend(tenant.tenantId, period);
      await this.publish(tenant.tenantId, period, spendEur, new Date());
    } catch (error) {
      this.logger.warn({ msg: 'could not publish the quota of a changed tenant', tenantId: tenant.tenantId, err: String(error) });
    }
  }

  /** Tiers and accounts again (after an operator or finance changed them). */
  async reload(): Promise<void> {
    [this.tiers, this.accounts] = await Promise.all([this.repository.tiers(), this.repository.accounts()]);
  }

  async publishAll(): Promise<void> {
    await this.reload();
    const period = periodOf(new Date());
    for (const tenant of this.tenants.all()) {
      const { spendEur } = await this.repository.spend(tenant.tenantId, period);
      await this.publish(tenant.tenantId, period, spendEur, new Date());
    }
  }

  /**
   * The tenant's webhook hears of the alert too (best effort, a few seconds at most: the event on
   * `billing.alerts` and the audit trail are the record).
   */
  private async notify(url: string | null, alert: Record<string, unknown>): Promise<void> {
    if (!url) return;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'llmaas-billing' }, body: JSON.stringify({ type: 'billing.budget_alert', data: alert }), signal: AbortSignal.timeout(5000) });
      if (!res.ok) this.logger.warn({ msg: 'budget webhook refused', tenantId: alert.tenantId, status: res.status });
    } catch (error) {
      this.logger.warn({ msg: 'budget webhook unreachable', tenantId: alert.tenantId, err: String(error) });
    }
  }

  /** One tenant's quota again, now (after its budget or tier changed). */
  async republish(tenantId: string): Promise<void> {
    await this.reload();
    const period = periodOf(new Date());
    const { spendEur } = await this.repository.spend(tenantId, period);
    await this.publish(tenantId, period, spendEur, new Date());
  }

  /**
   * A tenant whose budget was removed reads NaN (a gap): the SDK would otherwise go on exporting
   * the last ratio it saw for that series.
   */
  private recordBudgetUsed(tenantId: string, ratio: number | null): void {
    const known = this.budgetUsed.get(tenantId);
    if (known) known.ratio = ratio ?? NaN;
    else if (ratio !== null) this.budgetUsed.set(tenantId, { ratio, attributes: { tenant: tenantId } });
  }

  private async publish(tenantId: string, period: string, spendEur: string, now: Date): Promise<void> {
    const tierName = this.tenants.get(tenantId)?.tier ?? this.accounts.get(tenantId)?.tier ?? 'standard';
    const tier = this.tiers.get(tierName) ?? this.tiers.get('standard');
    if (!tier) {
      this.logger.error({ msg: 'no tier to publish a quota with', tenantId, tier: tierName });
      return;
    }
    const quota = quotaOf(tenantId, tier, this.accounts.get(tenantId) ?? null, period, spendEur, now);
    this.recordBudgetUsed(tenantId, budgetUsedRatio(spendEur, quota.budgetEur));
    await this.events.publish(topics.billingQuotas, quota);
    const { alertedPercent } = await this.repository.spend(tenantId, period);
    for (const percent of alertsToSend(spendEur, quota.budgetEur, alertedPercent)) {
      if (!(await this.repository.claimAlert(tenantId, period, percent))) continue;
      const alert = { alertId: randomUUID(), tenantId, period, percent, budgetEur: quota.budgetEur ?? '0', spendEur: quota.spendEur, hardCap: quota.hardCap, at: now.toISOString() };
      await this.events.publish(topics.billingAlerts, alert);
      void this.notify(this.tenants.get(tenantId)?.webhookUrl ?? null, alert);
      await this.events.publish(topics.auditEvents, auditEventOf('billing', 'system', `billing.budget_alert.${percent}`, `budget:${period}`, tenantId));
      this.logger.log({ msg: 'budget alert', tenantId, period, percent });
    }
  }
}
