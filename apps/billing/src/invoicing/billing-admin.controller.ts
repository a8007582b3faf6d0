import { Controller } from '@nestjs/common';
import { auditEventOf, rpc, topics, type Principal } from '@llmaas/contracts';
import { EventPublisher, RpcFailure, RpcHandler } from '@llmaas/kafka';
import { type z } from 'zod';

import { PriceBookRepository } from '../prices/price-book.repository.js';
import { QuotaRepository } from '../quotas/quota.repository.js';
import { QuotaService } from '../quotas/quota.service.js';
import { TenantDirectory } from '../tenants/tenant-directory.service.js';
import { InvoiceRepository } from './invoice.repository.js';
import { InvoicingService } from './invoicing.service.js';

type Req<K extends keyof typeof rpc> = z.infer<(typeof rpc)[K]['request']>;

/**
 * The finance and operator operations of billing, answered over Kafka for the gateway's REST.
 * The caller comes from the gateway; a caller who is not an operator sees its own tenant only
 * (another tenant's resources answer "not found", as everywhere else).
 */
@Controller()
export class BillingAdminController {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly invoicing: InvoicingService,
    private readonly quotas: QuotaService,
    private readonly quotaRepository: QuotaRepository,
    private readonly tenants: TenantDirectory,
    private readonly events: EventPublisher,
    private readonly prices: PriceBookRepository,
  ) {}

  private scope(caller: Principal, tenantId: string | undefined): string | undefined {
    if (caller.role === 'operator') return tenantId;
    if (tenantId && tenantId !== caller.tenantId) throw new RpcFailure('not_found', `No tenant ${tenantId}.`, 'tenant');
    return caller.tenantId;
  }

  private known(tenantId: string): void {
    if (!this.tenants.get(tenantId)) throw new RpcFailure('not_found', `No tenant ${tenantId}.`, 'tenant');
  }

  @RpcHandler(rpc.billingUsage)
  async usage({ caller, query }: Req<'billingUsage'>) {
    const tenantId = this.scope(caller, query.tenantId);
    if (!tenantId) throw new RpcFailure('invalid_request', 'tenant is required for an operator.', 'tenant');
    this.known(tenantId);
    return { data: await this.invoices.usage(tenantId, query.from, query.to, query.groupBy) };
  }

  @RpcHandler(rpc.invoiceList)
  async list({ caller, tenantId, period }: Req<'invoiceList'>) {
    const scoped = this.scope(caller, tenantId);
    if (scoped) this.known(scoped);
    if (period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new RpcFailure('invalid_request', 'period: a month as YYYY-MM.', 'period');
    return { data: await this.invoices.list(scoped, period) };
  }

  @RpcHandler(rpc.invoiceGet)
  async get({ caller, invoiceId, format }: Req<'invoiceGet'>) {
    const file = await this.invoicing.file(invoiceId, format);
    if (!file || (caller.role !== 'operator' && file.invoice.tenantId !== caller.tenantId)) throw new RpcFailure('not_found', `No invoice ${invoiceId}.`, 'invoice_id');
    return { invoice: file.invoice, contentType: file.contentType, filename: file.filename, bodyBase64: file.body.toString('base64') };
  }

  @RpcHandler(rpc.periodClose)
  async close({ caller, close }: Req<'periodClose'>) {
    if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only an operator closes a month.');
    return this.invoicing.close(close.period, caller);
  }

  @RpcHandler(rpc.creditNoteCreate)
  async creditNote({ caller, invoiceId, note }: Req<'creditNoteCreate'>) {
    if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only an operator issues credit notes.');
    return this.invoicing.creditNote(invoiceId, note.reason, note.lines, caller);
  }

  @RpcHandler(rpc.budgetSet)
  async budget({ caller, tenantId, budget }: Req<'budgetSet'>) {
    const scoped = this.scope(caller, tenantId)!;
    const tenant = this.tenants.get(scoped);
    if (!tenant) throw new RpcFailure('not_found', `No tenant ${scoped}.`, 'tenant');
    // Only an operator can lift the hard cap; a tenant may raise or lower its own budget.
    if (budget.hardCap !== null && caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only an operator changes whether the budget is a hard cap.', 'hard_cap');
    await this.quotaRepository.setBudget(scoped, tenant.tier, budget.monthlyBudgetEur, budget.hardCap);
    await this.events.publish(topics.auditEvents, auditEventOf('billing', caller, 'billing.budget.update', `budget:${budget.monthlyBudgetEur ?? 'tier'}`, scoped));
    await this.quotas.republish(scoped);
    return { tenantId: scoped, monthlyBudgetEur: budget.monthlyBudgetEur, hardCap: budget.hardCap };
  }

  @RpcHandler(rpc.tierPut)
  async tier({ caller, name, tier }: Req<'tierPut'>) {
    if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only an operator defines tiers.');
    await this.quotaRepository.putTier({ name, ...tier });
    await this.events.publish(topics.auditEvents, auditEventOf('billing', caller, 'billing.tier.put', `tier:${name}`, null));
    await this.quotas.publishAll();
    return { name, ...tier };
  }

  @RpcHandler(rpc.invoicePreview)
  async preview({ caller, tenantId, period }: Req<'invoicePreview'>) {
    const scoped = this.scope(caller, tenantId);
    if (!scoped) throw new RpcFailure('invalid_request', 'tenant is required for an operator.', 'tenant');
    this.known(scoped);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new RpcFailure('invalid_request', 'period: a month as YYYY-MM.', 'period');
    return this.invoicing.preview(scoped, period, this.tenants.get(scoped)?.legal ?? null);
  }

  @RpcHandler(rpc.priceBookList)
  listPrices({ caller, tenantId }: Req<'priceBookList'>) {
    const scoped = this.scope(caller, tenantId);
    // A tenant sees the public versions and its own; an operator, all (or one tenant's).
    const visible = this.prices.all().filter((v) => v.tenantId === null || !scoped || v.tenantId === scoped);
    return {
      data: visible.map((v) => ({ id: v.id, tenantId: v.tenantId, effectiveFrom: v.effectiveFrom.toISOString(), note: null, prices: v.prices, createdAt: v.effectiveFrom.toISOString() })),
    };
  }

  @RpcHandler(rpc.priceBookCreate)
  async createPrices({ caller, version }: Req<'priceBookCreate'>) {
    if (caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only an operator changes prices.');
    const effectiveFrom = new Date(version.effectiveFrom);
    // Events already priced keep their price: a version may only start in the future.
    if (effectiveFrom.getTime() <= Date.now()) throw new RpcFailure('invalid_request', 'effectiveFrom must be in the future: past usage keeps the prices it was billed at.', 'effective_from');
    if (version.tenantId) this.known(version.tenantId);
    if (!version.tenantId && Object.keys(version.prices).length === 0) throw new RpcFailure('invalid_request', 'a public version needs prices.', 'prices');
    const created = await this.prices.create({ id: version.id, tenantId: version.tenantId, effectiveFrom, note: version.note, prices: version.prices });
    if (!created) throw new RpcFailure('conflict', `A price book version ${version.id} exists already.`, 'id');
    await this.events.publish(topics.auditEvents, auditEventOf('billing', caller, 'billing.price_book.create', `price_book:${version.id}`, version.tenantId));
    return { ...version, createdAt: new Date().toISOString() };
  }
}
