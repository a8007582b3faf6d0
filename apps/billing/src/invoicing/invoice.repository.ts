import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type InvoiceSummary, type UsageRow } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { Decimal } from '@llmaas/pricing';

import { type Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { type ComputedInvoice, type InvoiceDocument } from '../invoices/index.js';
import { documentNumber, type UsageLine } from './invoice-builder.js';

export interface Rendered {
  computed: ComputedInvoice;
  pdf: Uint8Array;
  facturx: Uint8Array;
}

type Tx = Prisma.TransactionClient;

/** What an issued invoice and an issued credit note both store. */
interface Issued {
  number: string;
  subtotalEur: string;
  vatEur: string;
  totalEur: string;
  issueDate: Date;
  lineCount: number;
  document: Prisma.InputJsonValue;
  pdf: Uint8Array<ArrayBuffer>;
  facturx: Uint8Array<ArrayBuffer>;
}
type DecimalValue = string | number | { toString(): string };
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** Invoices, credit notes and their numbers; the usage they are made from. */
@Injectable()
export class InvoiceRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Per tenant (or for one), the month's usage as invoice lines: model, item, price, summed quantity. */
  async usageOf(period: string, tenantId?: string): Promise<Map<string, UsageLine[]>> {
    const [start, end] = monthSpan(period);
    const rows = await this.prisma.$queryRawUnsafe<(UsageLine & { tenantId: string })[]>(
      `SELECT tenant_id AS "tenantId", model, item, price_eur::text AS "priceEur", unit_size::text AS "unitSize", sum(quantity)::text AS quantity
       FROM "billing"."usage_aggregates" WHERE day >= $1::date AND day <= $2::date AND ($3::text IS NULL OR tenant_id = $3)
       GROUP BY tenant_id, model, item, price_eur, unit_size`,
      start,
      end,
      tenantId ?? null,
    );
    const byTenant = new Map<string, UsageLine[]>();
    for (const { tenantId, ...line } of rows) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), line]);
    return byTenant;
  }

  async invoiceFor(tenantId: string, period: string) {
    return this.prisma.invoice.findUnique({ where: { tenantId_period: { tenantId, period } } });
  }

  /**
   * Takes the next number of a series for the year, inside the caller's transaction: the counter
   * row stays locked until it commits, and a rollback gives the number back — no gaps.
   */
  private async nextNumber(tx: Tx, series: 'F' | 'A', year: number): Promise<string> {
    await tx.$executeRawUnsafe(`INSERT INTO "billing"."document_counters" (series, year, last) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, series, year);
    const [row] = await tx.$queryRawUnsafe<{ last: number }[]>(`UPDATE "billing"."document_counters" SET last = last + 1 WHERE series = $1 AND year = $2 RETURNING last`, series, year);
    return documentNumber(series, year, row!.last);
  }

  /**
   * Numbers, renders and stores an issued document in one transaction: the number is taken, the
   * document rendered with it, and the row written — or none of it.
   */
  private issue<T>(series: 'F' | 'A', document: InvoiceDocument, render: (numbered: InvoiceDocument) => Promise<Rendered>, store: (tx: Tx, issued: Issued) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(
      async (tx) => {
        const number = await this.nextNumber(tx, series, Number(document.meta.issueDate.slice(0, 4)));
        const numbered = { ...document, meta: { ...document.meta, number } };
        const { computed, pdf, facturx } = await render(numbered);
        return store(tx, {
          number,
          subtotalEur: computed.subtotalEur,
          vatEur: computed.vatEur,
          totalEur: computed.totalEur,
          issueDate: new Date(`${document.meta.issueDate}T00:00:00Z`),
          lineCount: computed.lines.length,
          document: numbered as unknown as Prisma.InputJsonValue,
          pdf: new Uint8Array(pdf),
          facturx: new Uint8Array(facturx),
        });
      },
      { timeout: 60_000 },
    );
  }

  async finalizeInvoice(tenantId: string, document: InvoiceDocument, render: (numbered: InvoiceDocument) => Promise<Rendered>): Promise<InvoiceSummary> {
    return this.issue('F', document, render, async (tx, issued) => {
      const row = await tx.invoice.create({
        data: { id: `inv_${randomUUID().replaceAll('-', '')}`, tenantId, period: document.meta.period, status: 'finalized', issuedAt: new Date(), dueDate: new Date(`${document.meta.dueDate}T00:00:00Z`), ...issued },
      });
      return summaryOfInvoice(row);
    });
  }

  async finalizeCreditNote(invoiceId: string, tenantId: string, reason: string, document: InvoiceDocument, render: (numbered: InvoiceDocument) => Promise<Rendered>): Promise<InvoiceSummary> {
    return this.issue('A', document, render, async (tx, issued) => {
      const row = await tx.creditNote.create({ data: { id: `cn_${randomUUID().replaceAll('-', '')}`, invoiceId, tenantId, reason, ...issued } });
      return summaryOfCreditNote(row, document.meta.period);
    });
  }

  /** Invoices and credit notes of a tenant (or every tenant), newest first. */
  async list(tenantId: string | undefined, period: string | undefined): Promise<InvoiceSummary[]> {
    const where = { ...(tenantId ? { tenantId } : {}) };
    const invoices = await this.prisma.invoice.findMany({ where: { ...where, ...(period ? { period } : {}) }, orderBy: { createdAt: 'desc' }, omit: { pdf: true, facturx: true, document: true } });
    const notes = await this.prisma.creditNote.findMany({ where: { ...where, ...(period ? { invoice: { period } } : {}) }, orderBy: { createdAt: 'desc' }, include: { invoice: { select: { period: true } } }, omit: { pdf: true, facturx: true, document: true } });
    return [...invoices.map(summaryOfInvoice), ...notes.map((n) => summaryOfCreditNote(n, n.invoice.period))];
  }

  /** An invoice or a credit note by id, with its stored document and renderings. */
  async get(id: string): Promise<{ summary: InvoiceSummary; document: InvoiceDocument | null; pdf: Uint8Array | null; facturx: Uint8Array | null } | null> {
    if (id.startsWith('cn_')) {
      const note = await this.prisma.creditNote.findUnique({ where: { id }, include: { invoice: { select: { period: true } } } });
      return note ? { summary: summaryOfCreditNote(note, note.invoice.period), document: note.document as unknown as InvoiceDocument, pdf: note.pdf, facturx: note.facturx } : null;
    }
    const invoice = await this.prisma.invoice.findUnique({ where: { id } });
    return invoice ? { summary: summaryOfInvoice(invoice), document: invoice.document as unknown as InvoiceDocument | null, pdf: invoice.pdf, facturx: invoice.facturx } : null;
  }

  /** What was already credited on each line of an invoice (positive quantities). */
  async creditedQuantities(invoiceId: string): Promise<Map<number, Decimal>> {
    const notes = await this.prisma.creditNote.findMany({ where: { invoiceId }, select: { document: true } });
    const out = new Map<number, Decimal>();
    for (const note of notes) {
      const doc = note.document as unknown as InvoiceDocument & { creditedLines?: number[] };
      doc.lines.forEach((line, i) => {
        const original = doc.creditedLines?.[i] ?? i + 1;
        out.set(original, (out.get(original) ?? new Decimal(0)).plus(new Decimal(line.quantity).neg()));
      });
    }
    return out;
  }

  /** Usage summed over days, grouped as asked. */
  async usage(tenantId: string, from: string, to: string, groupBy: readonly ('day' | 'model' | 'key' | 'item' | 'mode')[]): Promise<UsageRow[]> {
    const columns: Record<string, string> = { day: `to_char(day, 'YYYY-MM-DD') AS day`, model: 'model', key: 'key_id AS "keyId"', item: 'item', mode: `mode::text AS mode` };
    const groups: Record<string, string> = { day: 'day', model: 'model', key: 'key_id', item: 'item', mode: 'mode' };
    const unique = [...new Set(groupBy)];
    const select = unique.map((g) => columns[g]!);
    const group = unique.map((g) => groups[g]!);
    const rows = await this.prisma.$queryRawUnsafe<(UsageRow & { quantity: string; amountEur: string; records: number })[]>(
      `SELECT ${[...select, 'sum(quantity)::text AS quantity', 'sum(amount_eur)::text AS "amountEur"', 'sum(records)::int AS records'].join(', ')}
       FROM "billing"."usage_aggregates" WHERE tenant_id = $1 AND day >= $2::date AND day <= $3::date
       ${group.length ? `GROUP BY ${group.join(', ')} ORDER BY ${group.join(', ')}` : ''}`,
      tenantId,
      from,
      to,
    );
    return rows.map((r) => ({ ...r, quantity: new Decimal(r.quantity).toFixed(), amountEur: new Decimal(r.amountEur).toFixed() }));
  }
}

export function monthSpan(period: string): [string, string] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return [`${period}-01`, new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)];
}

function summaryOfInvoice(row: { id: string; tenantId: string; number: string | null; period: string; status: 'draft' | 'finalized' | 'void'; issueDate: Date | null; dueDate: Date | null; subtotalEur: DecimalValue; vatEur: DecimalValue; totalEur: DecimalValue; lineCount: number }): InvoiceSummary {
  return {
    id: row.id, tenantId: row.tenantId, kind: 'invoice', number: row.number, period: row.period, status: row.status, issueDate: day(row.issueDate), dueDate: day(row.dueDate),
    subtotalEur: new Decimal(row.subtotalEur.toString()).toFixed(2), vatEur: new Decimal(row.vatEur.toString()).toFixed(2), totalEur: new Decimal(row.totalEur.toString()).toFixed(2), correctsInvoiceId: null, lineCount: row.lineCount,
  };
}

function summaryOfCreditNote(row: { id: string; tenantId: string; number: string; invoiceId: string; issueDate: Date; subtotalEur: DecimalValue; vatEur: DecimalValue; totalEur: DecimalValue; lineCount: number }, period: string): InvoiceSummary {
  return {
    id: row.id, tenantId: row.tenantId, kind: 'credit_note', number: row.number, period, status: 'finalized', issueDate: day(row.issueDate), dueDate: day(row.issueDate),
    subtotalEur: new Decimal(row.subtotalEur.toString()).toFixed(2), vatEur: new Decimal(row.vatEur.toString()).toFixed(2), totalEur: new Decimal(row.totalEur.toString()).toFixed(2), correctsInvoiceId: row.invoiceId, lineCount: row.lineCount,
  };
}
