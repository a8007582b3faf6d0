import { z } from 'zod';

import { decimalString, id, modelId, modelKind } from './primitives.js';

/** What a request would cost, priced by billing's price book for that tenant now. */
export const costEstimateRequest = z.object({
  tenantId: id,
  model: modelId,
  kind: modelKind,
  mode: z.enum(['interactive', 'batch']),
  inputTokens: z.number().int().nonnegative(),
  /** The completion's ceiling: the estimate is the most the request can cost. */
  maxOutputTokens: z.number().int().nonnegative(),
  documents: z.number().int().nonnegative().default(0),
  audioSeconds: z.number().nonnegative().default(0),
});
export type CostEstimateRequest = z.infer<typeof costEstimateRequest>;

export const costEstimate = z.object({
  model: modelId,
  currency: z.literal('EUR'),
  lines: z.array(z.object({ item: z.string(), quantity: decimalString, unit: z.string(), unitPriceEur: decimalString, unitSize: decimalString, amountEur: decimalString })),
  /** Exact; `totalEurRounded` is the same to the cent (half-up). */
  totalEur: decimalString,
  totalEurRounded: decimalString,
  priceBookVersion: z.string(),
  negotiatedVersion: z.string().nullable(),
});
export type CostEstimate = z.infer<typeof costEstimate>;

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');
const day = z.iso.date();

/** Usage summed from the ledger's aggregates, grouped as asked, for one tenant and a span of UTC days. */
export const usageQuery = z
  .object({
    tenantId: id.optional(),
    from: day,
    to: day,
    groupBy: z.array(z.enum(['day', 'model', 'key', 'item', 'mode'])).max(5).default(['day']),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export const usageRow = z.object({
  day: day.optional(),
  model: z.string().optional(),
  keyId: z.string().optional(),
  item: z.string().optional(),
  mode: z.string().optional(),
  quantity: decimalString,
  amountEur: decimalString,
  records: z.number().int(),
});
export type UsageRow = z.infer<typeof usageRow>;

export const invoiceSummary = z.object({
  id,
  tenantId: id,
  kind: z.enum(['invoice', 'credit_note']),
  number: z.string().nullable(),
  period,
  status: z.enum(['draft', 'finalized', 'void']),
  issueDate: day.nullable(),
  dueDate: day.nullable(),
  subtotalEur: decimalString,
  vatEur: decimalString,
  totalEur: decimalString,
  /** For a credit note: the invoice it corrects. */
  correctsInvoiceId: id.nullable(),
  lineCount: z.number().int(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

export const invoiceFormat = z.enum(['json', 'csv', 'pdf', 'facturx']);
export type InvoiceFormat = z.infer<typeof invoiceFormat>;

export const invoiceFile = z.object({ invoice: invoiceSummary, contentType: z.string(), filename: z.string(), bodyBase64: z.string() });

export const periodClose = z.object({ period });
export const periodClosed = z.object({
  period,
  invoices: z.array(invoiceSummary),
  /** Tenants with usage that could not be invoiced, and why (no legal identity yet …). */
  skipped: z.array(z.object({ tenantId: id, reason: z.string() })),
});

export const creditNoteCreate = z.object({
  reason: z.string().min(1).max(500),
  /** Lines of the invoice to credit (1-based) and how much of each; all of it when absent. */
  lines: z.array(z.object({ line: z.number().int().positive(), quantity: decimalString })).max(1000).optional(),
});

export const budgetUpdate = z.object({
  /** Euros a month; null = the tier's budget. */
  monthlyBudgetEur: decimalString.nullable(),
  /** null = the tier's choice. */
  hardCap: z.boolean().nullable().default(null),
});

export const tierUpsert = z.object({
  requestsPerMinute: z.number().int().positive(),
  tokensPerMinute: z.number().int().positive(),
  concurrentRequests: z.number().int().positive(),
  monthlyBudgetEur: decimalString.nullable(),
  hardCap: z.boolean(),
});
export const tierView = tierUpsert.extend({ name: z.string() });

/** A new price book version: public (no tenant) or a tenant's negotiated prices, from a future instant. */
export const priceBookVersionCreate = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/, 'lowercase letters, digits and dashes, 3 to 63 characters'),
  tenantId: id.nullable().default(null),
  effectiveFrom: z.iso.datetime({ offset: true }),
  note: z.string().max(500).nullable().default(null),
  // Partial: a negotiated version names only the items it changes.
  prices: z.partialRecord(
    z.enum(['chat_input', 'chat_output', 'reasoning_output', 'embedding_input', 'rerank_document', 'batch_input', 'batch_output', 'audio_second']),
    z.object({ priceEur: decimalString, unitSize: z.string().regex(/^[1-9]\d*$/, 'a positive whole number'), unit: z.string().min(1).max(50) }),
  ),
});
export const priceBookVersionView = priceBookVersionCreate.extend({ createdAt: z.string() });

/** The running (or any) month as an invoice would show it today: a draft, not stored, not numbered. */
export const invoicePreview = z.object({
  tenantId: id,
  period: period,
  lines: z.array(z.object({ lineNumber: z.number().int(), model: z.string(), item: z.string(), quantity: decimalString, unitPriceEur: decimalString, unitSize: decimalString, amountEur: decimalString })),
  subtotalEur: decimalString,
  vatEur: decimalString,
  totalEur: decimalString,
});
