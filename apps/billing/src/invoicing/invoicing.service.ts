import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { auditEventOf, topics, type InvoiceFormat, type InvoiceSummary, type LegalIdentity, type Principal } from '@llmaas/contracts';
import { EventPublisher, RpcFailure } from '@llmaas/kafka';
import { Decimal } from '@llmaas/pricing';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type BillingConfig, sellerOf } from '../billing.config.js';
import { computeInvoice, InvoiceDocumentError, renderInvoiceCsv, renderInvoiceFacturX, renderInvoiceJson, renderInvoicePdf, type InvoiceDocument, type Seller } from '../invoices/index.js';
import { TenantDirectory } from '../tenants/tenant-directory.service.js';
import { creditNoteDocument, invoiceDocument } from './invoice-builder.js';
import { InvoiceRepository, type Rendered } from './invoice.repository.js';

/** How often the month-closing job looks for a finished month with tenants not invoiced yet. */
const CLOSE_CHECK_MS = 60 * 60_000;

const render = async (numbered: InvoiceDocument): Promise<Rendered> => {
  const computed = computeInvoice(numbered);
  const [pdf, facturx] = await Promise.all([renderInvoicePdf(computed), renderInvoiceFacturX(computed)]);
  return { computed, pdf, facturx };
};

export const previousPeriod = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);

/**
 * Monthly invoices: a finished month is closed (by the hourly job, or by an operator) into one
 * finalised invoice per tenant with usage, numbered gaplessly at finalisation; a finalised
 * invoice is never changed, a correction is a credit note. Every issue is audited.
 */
@Injectable()
export class InvoicingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('invoicing');
  private readonly seller: Seller;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly tenants: TenantDirectory,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) config: BillingConfig,
  ) {
    this.seller = sellerOf(config);
  }

  onApplicationBootstrap(): void {
    const check = () => {
      void this.close(previousPeriod(new Date()), 'system').catch((error: unknown) => this.logger.warn({ msg: 'closing the last month failed; retried within the hour', err: String(error) }));
    };
    // After the tenant table has had time to catch up; then hourly.
    setTimeout(check, 30_000).unref();
    this.timer = setInterval(check, CLOSE_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Closes a finished month: one invoice per tenant with usage and none yet. Runs one at a time. */
  close(period: string, caller: Principal | 'system', now = new Date()): Promise<{ period: string; invoices: InvoiceSummary[]; skipped: { tenantId: string; reason: string }[] }> {
    if (period >= now.toISOString().slice(0, 7)) throw new RpcFailure('invalid_request', `The month ${period} is not over yet: only a finished month can be invoiced.`, 'period');
    const run = this.closing.then(() => this.closeNow(period, caller, now));
    this.closing = run.catch(() => undefined);
    return run;
  }

  private async closeNow(period: string, caller: Principal | 'system', now: Date) {
    const usage = await this.invoices.usageOf(period);
    const invoices: InvoiceSummary[] = [];
    const skipped: { tenantId: string; reason: string }[] = [];
    for (const [tenantId, lines] of [...usage.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (await this.invoices.invoiceFor(tenantId, period)) continue;
      const legal = this.tenants.get(tenantId)?.legal;
      if (!legal) {
        skipped.push({ tenantId, reason: 'the tenant has no legal identity (name, address, country) to invoice' });
        continue;
      }
      const document = invoiceDocument(period, now, this.seller, legal, lines);
      if (document.lines.length === 0) continue;
      try {
        const summary = await this.invoices.finalizeInvoice(tenantId, document, render);
        invoices.push(summary);
        await this.events.publish(topics.auditEvents, auditEventOf('billing', caller, 'billing.invoice.finalize', `invoice:${summary.number}`, tenantId));
        this.logger.log({ msg: 'invoice issued', tenantId, period, number: summary.number, total: summary.totalEur });
      } catch (error) {
        if (!(error instanceof InvoiceDocumentError)) throw error;
        skipped.push({ tenantId, reason: error.message });
      }
    }
    return { period, invoices, skipped };
  }

  async creditNote(invoiceId: string, reason: string, lines: { line: number; quantity: string }[] | undefined, caller: Principal, now = new Date()): Promise<InvoiceSummary> {
    const found = await this.invoices.get(invoiceId);
    if (!found || found.summary.kind !== 'invoice' || !found.document) throw new RpcFailure('not_found', `No invoice ${invoiceId}.`, 'invoice_id');
    const already = await this.invoices.creditedQuantities(invoiceId);
    const wanted = lines ?? found.document.lines.map((l, i) => ({ line: i + 1, quantity: new Decimal(l.quantity).minus(already.get(i + 1) ?? 0).toFixed() })).filter((l) => new Decimal(l.quantity).gt(0));
    for (const { line, quantity } of wanted) {
      const original = found.document.lines[line - 1];
      if (!original) throw new RpcFailure('invalid_request', `The invoice has no line ${line}.`, 'lines');
      const left = new Decimal(original.quantity).minus(already.get(line) ?? 0);
      if (new Decimal(quantity).lte(0) || new Decimal(quantity).gt(left)) throw new RpcFailure('invalid_request', `Line ${line}: at most ${left.toFixed()} is left to credit.`, 'lines');
    }
    if (wanted.length === 0) throw new RpcFailure('conflict', 'The invoice is already fully credited.', 'invoice_id');
    const document = { ...creditNoteDocument(found.document, now, wanted), creditedLines: wanted.map((w) => w.line) };
    const summary = await this.invoices.finalizeCreditNote(invoiceId, found.summary.tenantId, reason, document, render);
    await this.events.publish(topics.auditEvents, auditEventOf('billing', caller, 'billing.credit_note.issue', `credit_note:${summary.number}:invoice:${found.summary.number ?? invoiceId}`, found.summary.tenantId));
    return summary;
  }

  /**
   * A month as its invoice would read today (the running month included): computed from the same
   * aggregates and rules, not stored, not numbered. A tenant without a legal identity is previewed
   * as a French business.
   */
  async preview(tenantId: string, period: string, legal: LegalIdentity | null, now = new Date()) {
    const lines = (await this.invoices.usageOf(period, tenantId)).get(tenantId) ?? [];
    const document = invoiceDocument(period, now, this.seller, legal ?? { legalName: tenantId, addressLine: '-', postalCode: '-', city: '-', country: 'FR', vatNumber: null }, lines);
    if (document.lines.length === 0) return { tenantId, period, lines: [], subtotalEur: '0.00', vatEur: '0.00', totalEur: '0.00' };
    const computed = computeInvoice(document);
    return {
      tenantId,
      period,
      lines: computed.lines.map((l) => ({ lineNumber: l.lineNumber, model: l.model, item: l.item, quantity: l.quantity, unitPriceEur: l.unitPriceEur, unitSize: l.unitSize, amountEur: l.amountEur })),
      subtotalEur: computed.subtotalEur,
      vatEur: computed.vatEur,
      totalEur: computed.totalEur,
    };
  }

  /** A stored invoice in one format: PDF and Factur-X as issued, JSON and CSV from the stored document. */
  async file(invoiceId: string, format: InvoiceFormat): Promise<{ invoice: InvoiceSummary; contentType: string; filename: string; body: Buffer } | null> {
    const found = await this.invoices.get(invoiceId);
    if (!found?.document) return null;
    const name = found.summary.number ?? found.summary.id;
    switch (format) {
      case 'pdf':
        return { invoice: found.summary, contentType: 'application/pdf', filename: `${name}.pdf`, body: Buffer.from(found.pdf ?? []) };
      case 'facturx':
        return { invoice: found.summary, contentType: 'application/pdf', filename: `${name}-facturx.pdf`, body: Buffer.from(found.facturx ?? []) };
      case 'json':
        return { invoice: found.summary, contentType: 'application/json', filename: `${name}.json`, body: Buffer.from(renderInvoiceJson(computeInvoice(found.document))) };
      case 'csv':
        return { invoice: found.summary, contentType: 'text/csv; charset=utf-8', filename: `${name}.csv`, body: Buffer.from(renderInvoiceCsv(computeInvoice(found.document))) };
    }
  }
}
