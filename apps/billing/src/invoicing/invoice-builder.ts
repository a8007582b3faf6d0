import { type LegalIdentity } from '@llmaas/contracts';
import { Decimal } from '@llmaas/pricing';

import { type Buyer, type InvoiceDocument, type InvoiceLine, type LineItem, type Seller } from '../invoices/index.js';

/** One invoice line's worth of usage: a model, a price item, one price, the summed quantity. */
export interface UsageLine {
  model: string;
  item: string;
  priceEur: string;
  unitSize: string;
  quantity: string;
}

const lineItemOf: Record<string, { item: LineItem; description: string; unit: string }> = {
  chat_input: { item: 'input', description: "Jetons d'entrée", unit: '1M tokens' },
  chat_output: { item: 'output', description: 'Jetons de sortie', unit: '1M tokens' },
  reasoning_output: { item: 'reasoning', description: 'Jetons de raisonnement', unit: '1M tokens' },
  embedding_input: { item: 'embedding_input', description: "Jetons d'embeddings", unit: '1M tokens' },
  rerank_document: { item: 'rerank_documents', description: 'Documents reclassés', unit: '1M documents' },
  batch_input: { item: 'batch_input', description: "Jetons d'entrée (batch)", unit: '1M tokens' },
  batch_output: { item: 'batch_output', description: 'Jetons de sortie (batch)', unit: '1M tokens' },
  // Seconds, priced per 60 of them: exact on the line, whatever the number of seconds.
  audio_second: { item: 'transcription_minutes', description: 'Transcription audio (à la seconde)', unit: 'minute (60 s)' },
};

const ORDER = Object.keys(lineItemOf);

/** The first and last day of a month, and the invoice's dates: issued the day the month is closed, due 30 days later. */
export function periodDates(period: string, issuedOn: Date): { serviceStart: string; serviceEnd: string; issueDate: string; dueDate: string } {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 0));
  const issue = new Date(Date.UTC(issuedOn.getUTCFullYear(), issuedOn.getUTCMonth(), issuedOn.getUTCDate()));
  const due = new Date(issue.getTime() + 30 * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { serviceStart: day(start), serviceEnd: day(end), issueDate: day(issue), dueDate: day(due) };
}

export function buyerOf(legal: LegalIdentity): Buyer {
  return { name: legal.legalName, addressLines: [legal.addressLine], postcode: legal.postalCode, city: legal.city, countryCode: legal.country, ...(legal.vatNumber ? { vatNumber: legal.vatNumber } : {}), isBusiness: true };
}

/** Lines in a stable order: by model, then input before output before reasoning …, then price. */
export function invoiceLines(usage: readonly UsageLine[]): InvoiceLine[] {
  return [...usage]
    .filter((u) => !new Decimal(u.quantity).isZero() && lineItemOf[u.item])
    .sort((a, b) => a.model.localeCompare(b.model) || ORDER.indexOf(a.item) - ORDER.indexOf(b.item) || new Decimal(a.priceEur).cmp(b.priceEur))
    .map((u) => {
      const kind = lineItemOf[u.item]!;
      return { model: u.model, item: kind.item, description: kind.description, quantity: new Decimal(u.quantity).toFixed(), unit: kind.unit, unitSize: new Decimal(u.unitSize).toFixed(), unitPriceEur: new Decimal(u.priceEur).toFixed() };
    });
}

/** A month's invoice for one tenant, before its number. */
export function invoiceDocument(period: string, issuedOn: Date, seller: Seller, legal: LegalIdentity, usage: readonly UsageLine[]): InvoiceDocument {
  const dates = periodDates(period, issuedOn);
  return {
    meta: { number: null, kind: 'invoice', period, ...dates, paymentTerms: 'Paiement à 30 jours par virement bancaire', currency: 'EUR' },
    seller,
    buyer: buyerOf(legal),
    lines: invoiceLines(usage),
  };
}

/** A credit note for (part of) an issued invoice: the same lines and prices, negative quantities. */
export function creditNoteDocument(invoice: InvoiceDocument, issuedOn: Date, credited: readonly { line: number; quantity: string }[] | undefined): InvoiceDocument {
  const lines = credited
    ? credited.map(({ line, quantity }) => {
        const original = invoice.lines[line - 1];
        if (!original) throw new RangeError(`the invoice has no line ${line}`);
        if (new Decimal(quantity).lte(0) || new Decimal(quantity).gt(original.quantity)) throw new RangeError(`line ${line}: the quantity credited must be positive and at most ${original.quantity}`);
        return { ...original, quantity: new Decimal(quantity).neg().toFixed() };
      })
    : invoice.lines.map((l) => ({ ...l, quantity: new Decimal(l.quantity).neg().toFixed() }));
  const dates = periodDates(invoice.meta.period, issuedOn);
  return {
    ...invoice,
    meta: { ...invoice.meta, number: null, kind: 'credit_note', correctedInvoice: { number: invoice.meta.number ?? '', issueDate: invoice.meta.issueDate }, issueDate: dates.issueDate, dueDate: dates.issueDate },
    lines,
  };
}

/** "F-2026-000042": the series letter, the year, six digits. */
export const documentNumber = (series: 'F' | 'A', year: number, n: number): string => `${series}-${year}-${String(n).padStart(6, '0')}`;
