import { Decimal, sum } from '@llmaas/pricing';

import type { InvoiceDocument, InvoiceLine } from './invoice-document.js';
import { legalMentions, type LegalMention } from './legal-mentions.js';
import { formatCents, InvoiceDocumentError, parseDecimal, toCents } from './money.js';
import { vatTreatmentFor, type VatCategory, type VatTreatment } from './vat-treatment.js';

export interface ComputedLine extends InvoiceLine {
  /** 1-based, in document order: the line identifier of the e-invoice. */
  lineNumber: number;
  /** quantity × unitPriceEur / unitSize, rounded to the cent half up. */
  amountEur: string;
  vatCategory: VatCategory;
  vatRatePercent: string;
}

/** One line of the VAT breakdown: all lines of a category and rate together. */
export interface VatSubtotal {
  category: VatCategory;
  ratePercent: string;
  taxableAmountEur: string;
  vatAmountEur: string;
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

/** An invoice document with every amount decided: what all renderers print, none recomputes. */
export interface ComputedInvoice {
  document: InvoiceDocument;
  lines: ComputedLine[];
  vatTreatment: VatTreatment;
  vatBreakdown: VatSubtotal[];
  /** Total HT: the sum of the rounded line amounts. */
  subtotalEur: string;
  vatEur: string;
  /** Total TTC, the amount due. */
  totalEur: string;
  mentions: LegalMention[];
}

/**
 * Computes every amount of an invoice or credit note.
 *
 * Each line is rounded to the cent on its own (half up: x.xx5 → x.xx+0.01), so that the printed lines
 * add up to the printed subtotal. VAT is then computed once per rate on the sum of the rounded lines,
 * and rounded half up, as EN 16931 checks it (BR-S-08/09): rounding VAT per line instead would let
 * the VAT drift from the rate by up to half a cent per line.
 */
export function computeInvoice(doc: InvoiceDocument): ComputedInvoice {
  validateDocument(doc);
  const vat = vatTreatmentFor(doc.buyer);

  const lines: ComputedLine[] = doc.lines.map((line, index) => ({
    ...line,
    lineNumber: index + 1,
    amountEur: formatCents(lineAmount(line, index + 1)),
    vatCategory: vat.category,
    vatRatePercent: vat.ratePercent,
  }));

  const vatBreakdown = breakdownByRate(lines, vat);
  const subtotal = sum(lines.map((l) => new Decimal(l.amountEur)));
  const vatTotal = sum(vatBreakdown.map((b) => new Decimal(b.vatAmountEur)));

  return {
    document: doc,
    lines,
    vatTreatment: vat,
    vatBreakdown,
    subtotalEur: formatCents(subtotal),
    vatEur: formatCents(vatTotal),
    totalEur: formatCents(subtotal.plus(vatTotal)),
    mentions: legalMentions(doc.meta, doc.buyer, vat),
  };
}

/** The exact (unrounded) amount of a line. */
export function exactLineAmount(line: InvoiceLine, lineNumber = 0): Decimal {
  const what = `line ${lineNumber}`;
  const quantity = parseDecimal(line.quantity, `${what} quantity`);
  const unitSize = parseDecimal(line.unitSize, `${what} unitSize`);
  const unitPrice = parseDecimal(line.unitPriceEur, `${what} unitPriceEur`);
  if (!unitSize.greaterThan(0))
    throw new InvoiceDocumentError(`${what}: unitSize must be positive`);
  if (unitPrice.isNegative())
    throw new InvoiceDocumentError(`${what}: unitPriceEur must not be negative`);
  return quantity.times(unitPrice).dividedBy(unitSize);
}

function lineAmount(line: InvoiceLine, lineNumber: number): Decimal {
  return toCents(exactLineAmount(line, lineNumber));
}

function breakdownByRate(lines: ComputedLine[], vat: VatTreatment): VatSubtotal[] {
  const groups = new Map<
    string,
    { category: VatCategory; ratePercent: string; taxable: Decimal }
  >();
  // An invoice without lines still states its VAT, at zero, so that every rendering has a VAT row.
  if (lines.length === 0)
    groups.set(`${vat.category}/${vat.ratePercent}`, {
      category: vat.category,
      ratePercent: vat.ratePercent,
      taxable: new Decimal(0),
    });
  for (const line of lines) {
    const key = `${line.vatCategory}/${line.vatRatePercent}`;
    const group = groups.get(key) ?? {
      category: line.vatCategory,
      ratePercent: line.vatRatePercent,
      taxable: new Decimal(0),
    };
    group.taxable = group.taxable.plus(line.amountEur);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ category, ratePercent, taxable }) => ({
    category,
    ratePercent,
    taxableAmountEur: formatCents(taxable),
    vatAmountEur: formatCents(taxable.times(ratePercent).dividedBy(100)),
    ...(category === vat.category && vat.exemptionReasonCode !== undefined
      ? { exemptionReasonCode: vat.exemptionReasonCode }
      : {}),
    ...(category === vat.category && vat.mention !== undefined
      ? { exemptionReason: vat.mention }
      : {}),
  }));
}

const datePattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const periodPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const countryPattern = /^[A-Z]{2}$/;

function validateDocument(doc: InvoiceDocument): void {
  const { meta, seller, buyer } = doc;
  const fail = (message: string): never => {
    throw new InvoiceDocumentError(message);
  };

  if (meta.currency !== 'EUR') fail(`currency must be EUR, got ${String(meta.currency)}`);
  if (meta.number !== null && meta.number.trim() === '')
    fail('number must be null (draft) or non-empty');
  if (!periodPattern.test(meta.period))
    fail(`period must be YYYY-MM, got ${JSON.stringify(meta.period)}`);
  for (const field of ['issueDate', 'serviceStart', 'serviceEnd', 'dueDate'] as const) {
    if (!isCalendarDate(meta[field]))
      fail(`${field} must be a YYYY-MM-DD date, got ${JSON.stringify(meta[field])}`);
  }
  // ISO dates compare correctly as strings.
  if (meta.serviceEnd < meta.serviceStart) fail('serviceEnd is before serviceStart');
  if (meta.dueDate < meta.issueDate) fail('dueDate is before issueDate');

  if (seller.countryCode !== 'FR')
    fail('the VAT rules implemented are those of a seller established in France');
  if (seller.vatNumber.trim() === '' || seller.siren.trim() === '')
    fail('the seller needs a VAT number and a SIREN');
  if (!countryPattern.test(buyer.countryCode))
    fail(`buyer countryCode must be ISO 3166-1 alpha-2, got ${JSON.stringify(buyer.countryCode)}`);

  if (meta.kind === 'credit_note') {
    const corrected = meta.correctedInvoice;
    if (corrected === undefined || corrected.number.trim() === '')
      fail('a credit note must name the invoice it corrects');
    else if (!isCalendarDate(corrected.issueDate))
      fail('correctedInvoice.issueDate must be a YYYY-MM-DD date');
  }
  doc.lines.forEach((line, index) => {
    const quantity = parseDecimal(line.quantity, `line ${index + 1} quantity`);
    if (meta.kind === 'invoice' && quantity.isNegative())
      fail(`line ${index + 1}: an invoice has no negative quantity (issue a credit note)`);
    if (meta.kind === 'credit_note' && quantity.greaterThan(0))
      fail(`line ${index + 1}: a credit note's quantities are negative`);
  });
}

function isCalendarDate(value: string): boolean {
  if (!datePattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return date.toISOString().slice(0, 10) === value;
}
