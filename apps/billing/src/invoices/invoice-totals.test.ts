import { describe, expect, it } from 'vitest';

import type { Buyer, InvoiceDocument, InvoiceLine } from './invoice-document.js';
import { computeInvoice } from './invoice-totals.js';
import { InvoiceDocumentError } from './money.js';
import { sampleBuyer, sampleInvoiceDocument } from './sample-invoice.js';

const tokens = (
  quantity: string,
  unitPriceEur: string,
  item: InvoiceLine['item'] = 'input',
): InvoiceLine => ({
  model: 'm',
  item,
  description: 'd',
  quantity,
  unit: '1M tokens',
  unitSize: '1000000',
  unitPriceEur,
});

const docWith = (lines: InvoiceLine[], buyer: Partial<Buyer> = {}): InvoiceDocument =>
  sampleInvoiceDocument({ lines, buyer: { ...sampleBuyer, ...buyer } });

describe('line amounts', () => {
  it('rounds 1,234,567 input tokens at 1.8 €/M (2.2222206 €) down to 2.22', () => {
    expect(computeInvoice(docWith([tokens('1234567', '1.8')])).lines[0]?.amountEur).toBe('2.22');
  });

  it('rounds 333,333 output tokens at 8 €/M (2.666664 €) up to 2.67', () => {
    expect(computeInvoice(docWith([tokens('333333', '8', 'output')])).lines[0]?.amountEur).toBe(
      '2.67',
    );
  });

  it('rounds exactly half a cent up: 2,500 tokens at 2 €/M = 0.005 € → 0.01', () => {
    expect(computeInvoice(docWith([tokens('2500', '2')])).lines[0]?.amountEur).toBe('0.01');
  });

  it('rounds 12.5 minutes at 0.006 €/minute (0.075 €) half up to 0.08', () => {
    const minutes: InvoiceLine = {
      model: 'whisper',
      item: 'transcription_minutes',
      description: 'Transcription',
      quantity: '12.5',
      unit: 'minute',
      unitSize: '1',
      unitPriceEur: '0.006',
    };
    expect(computeInvoice(docWith([minutes])).lines[0]?.amountEur).toBe('0.08');
  });

  it('keeps every digit of huge quantities and tiny prices (no float, no 20-digit limit)', () => {
    // 123,456,789,012,345 tokens at 0.0000000123 € each (0.0123 €/M) = 1,518,518.5048518435 €
    const computed = computeInvoice(docWith([tokens('123456789012345', '0.0123')]));
    expect(computed.lines[0]?.amountEur).toBe('1518518.50');
  });

  it('prints zero as 0.00', () => {
    expect(computeInvoice(docWith([tokens('0', '1.8')])).totalEur).toBe('0.00');
  });
});

describe('totals and VAT', () => {
  it('adds the rounded lines and computes 20 % VAT on their sum', () => {
    const computed = computeInvoice(
      docWith([tokens('1234567', '1.8'), tokens('333333', '8', 'output')]),
    );
    // 2.22 + 2.67 = 4.89; 4.89 × 20 % = 0.978 → 0.98; 4.89 + 0.98 = 5.87
    expect(computed).toMatchObject({ subtotalEur: '4.89', vatEur: '0.98', totalEur: '5.87' });
    expect(computed.vatBreakdown).toEqual([
      { category: 'S', ratePercent: '20', taxableAmountEur: '4.89', vatAmountEur: '0.98' },
    ]);
  });

  it('computes VAT once on the sum, which differs from adding per-line VAT', () => {
    // Three lines of 15,000 tokens at 2 €/M = 0.03 € each. Per line, 0.006 € of VAT rounds to 0.01
    // (0.03 in all); on the sum, 0.09 € × 20 % = 0.018 € rounds to 0.02.
    const computed = computeInvoice(
      docWith([tokens('15000', '2'), tokens('15000', '2'), tokens('15000', '2')]),
    );
    expect(computed).toMatchObject({ subtotalEur: '0.09', vatEur: '0.02', totalEur: '0.11' });
  });

  it('computes the sample invoice: 2.22 + 2.67 + 0.08 = 4.97 HT, 0.99 VAT, 5.96 TTC', () => {
    const computed = computeInvoice(sampleInvoiceDocument());
    expect(computed.lines.map((l) => l.amountEur)).toEqual(['2.22', '2.67', '0.08']);
    // 4.97 × 20 % = 0.994 → 0.99
    expect(computed).toMatchObject({ subtotalEur: '4.97', vatEur: '0.99', totalEur: '5.96' });
    expect(computed.lines.map((l) => l.lineNumber)).toEqual([1, 2, 3]);
  });

  it('states a zero VAT row on an invoice without lines', () => {
    const computed = computeInvoice(docWith([]));
    expect(computed.vatBreakdown).toEqual([
      { category: 'S', ratePercent: '20', taxableAmountEur: '0.00', vatAmountEur: '0.00' },
    ]);
    expect(computed.totalEur).toBe('0.00');
  });
});

describe('VAT treatment by buyer', () => {
  const lines = [tokens('1000000', '10')]; // 10.00 € HT

  it('charges 20 % French VAT to a buyer in France', () => {
    const computed = computeInvoice(docWith(lines));
    expect(computed.vatTreatment).toMatchObject({
      kind: 'fr_standard',
      category: 'S',
      ratePercent: '20',
    });
    expect(computed).toMatchObject({ vatEur: '2.00', totalEur: '12.00' });
    expect(computed.mentions.find((m) => m.key === 'vat')).toBeUndefined();
  });

  it('charges French VAT in Monaco, part of the French VAT territory', () => {
    expect(
      computeInvoice(docWith(lines, { countryCode: 'MC', vatNumber: 'FR00000000000' })).vatTreatment
        .category,
    ).toBe('S');
  });

  it('reverse-charges an EU business with a VAT number: 0 %, category AE, "Autoliquidation"', () => {
    const computed = computeInvoice(
      docWith(lines, { countryCode: 'DE', vatNumber: 'DE123456789' }),
    );
    expect(computed.vatTreatment).toMatchObject({
      kind: 'eu_reverse_charge',
      category: 'AE',
      ratePercent: '0',
      exemptionReasonCode: 'VATEX-EU-AE',
    });
    expect(computed).toMatchObject({ subtotalEur: '10.00', vatEur: '0.00', totalEur: '10.00' });
    const mention = computed.mentions.find((m) => m.key === 'vat')?.text;
    expect(mention).toContain('Autoliquidation');
    expect(mention).toContain('article 283-2 du CGI');
    expect(mention).toContain('article 196 de la directive 2006/112/CE');
    expect(computed.vatBreakdown[0]).toMatchObject({
      category: 'AE',
      exemptionReasonCode: 'VATEX-EU-AE',
      exemptionReason: mention,
    });
  });

  it('charges no French VAT to a business outside the EU (article 259-1 du CGI)', () => {
    const computed = computeInvoice(docWith(lines, { countryCode: 'US', vatNumber: undefined }));
    expect(computed.vatTreatment).toMatchObject({
      kind: 'outside_eu',
      category: 'G',
      ratePercent: '0',
      exemptionReasonCode: 'VATEX-EU-G',
    });
    expect(computed.mentions.find((m) => m.key === 'vat')?.text).toBe(
      'TVA non applicable, article 259-1 du CGI',
    );
    expect(computed.totalEur).toBe('10.00');
  });

  it('treats the United Kingdom (and Northern Ireland for services) as outside the EU', () => {
    expect(
      computeInvoice(docWith(lines, { countryCode: 'GB', vatNumber: 'GB123456789' })).vatTreatment
        .category,
    ).toBe('G');
  });

  it('charges 20 % French VAT to an EU buyer that is not a business', () => {
    const computed = computeInvoice(
      docWith(lines, { countryCode: 'DE', vatNumber: undefined, isBusiness: false }),
    );
    expect(computed.vatTreatment).toMatchObject({
      kind: 'fr_standard',
      category: 'S',
      ratePercent: '20',
    });
    expect(computed.totalEur).toBe('12.00');
  });

  it('charges 20 % French VAT to an EU business without a VAT number (nothing proves it can self-assess)', () => {
    expect(
      computeInvoice(docWith(lines, { countryCode: 'IT', vatNumber: '  ' })).vatTreatment.category,
    ).toBe('S');
  });

  it('treats tenants as businesses when isBusiness is absent', () => {
    const { isBusiness: _ignored, ...buyer } = {
      ...sampleBuyer,
      countryCode: 'BE',
      vatNumber: 'BE0123456789',
    };
    expect(computeInvoice(sampleInvoiceDocument({ buyer, lines })).vatTreatment.category).toBe(
      'AE',
    );
  });

  it('charges no French VAT to a consumer outside the EU (article 259 B du CGI), without the B2B penalties', () => {
    const computed = computeInvoice(
      docWith(lines, { countryCode: 'CH', vatNumber: undefined, isBusiness: false }),
    );
    expect(computed.vatTreatment.category).toBe('G');
    expect(computed.mentions.find((m) => m.key === 'vat')?.text).toBe(
      'TVA non applicable, article 259 B du CGI',
    );
    expect(computed.mentions.map((m) => m.key)).not.toContain('recovery_fee');
  });
});

describe('mandatory mentions', () => {
  it('lists payment terms, late-payment penalties, the 40 € recovery fee and no early-payment discount', () => {
    const texts = computeInvoice(sampleInvoiceDocument()).mentions.map((m) => m.text);
    expect(texts).toContain('Conditions de paiement : paiement à 30 jours par virement bancaire');
    expect(texts.join('\n')).toContain("trois fois le taux d'intérêt légal");
    expect(texts.join('\n')).toContain('Indemnité forfaitaire pour frais de recouvrement de 40 €');
    expect(texts.join('\n')).toContain('L441-10 et D441-5 du Code de commerce');
    expect(texts).toContain("Pas d'escompte pour paiement anticipé");
  });

  it('prints a negotiated penalty rate instead of the default one', () => {
    const doc = sampleInvoiceDocument();
    doc.meta = { ...doc.meta, latePaymentPenalty: 'Pénalités de retard : 12 % par an' };
    expect(computeInvoice(doc).mentions.find((m) => m.key === 'late_payment_penalty')?.text).toBe(
      'Pénalités de retard : 12 % par an',
    );
  });
});

describe('credit notes', () => {
  const creditNoteOf = (doc: InvoiceDocument): InvoiceDocument => ({
    ...doc,
    meta: {
      ...doc.meta,
      number: 'A-2025-000003',
      kind: 'credit_note',
      correctedInvoice: { number: doc.meta.number ?? '', issueDate: doc.meta.issueDate },
    },
    lines: doc.lines.map((l) => ({
      ...l,
      quantity: l.quantity.startsWith('-') ? l.quantity.slice(1) : `-${l.quantity}`,
    })),
  });

  it('mirrors the invoice it cancels, to the cent, half-cent lines included', () => {
    const invoice = sampleInvoiceDocument({
      lines: [tokens('1234567', '1.8'), tokens('2500', '2'), tokens('15000', '2')],
    });
    const computedInvoice = computeInvoice(invoice);
    const computedCredit = computeInvoice(creditNoteOf(invoice));
    expect(computedCredit.lines.map((l) => l.amountEur)).toEqual(['-2.22', '-0.01', '-0.03']);
    expect(computedCredit).toMatchObject({
      subtotalEur: '-2.26',
      vatEur: '-0.45',
      totalEur: '-2.71',
    });
    expect(computedInvoice).toMatchObject({
      subtotalEur: '2.26',
      vatEur: '0.45',
      totalEur: '2.71',
    });
    expect(computedCredit.mentions).toContainEqual({
      key: 'corrected_invoice',
      text: 'Avoir relatif à la facture n° F-2025-000042 du 01/04/2025',
    });
  });

  it('must name the invoice it corrects', () => {
    const doc = creditNoteOf(sampleInvoiceDocument());
    delete doc.meta.correctedInvoice;
    expect(() => computeInvoice(doc)).toThrow(/must name the invoice/);
  });

  it('has no positive quantity, and an invoice no negative one', () => {
    const credit = creditNoteOf(sampleInvoiceDocument());
    expect(() => computeInvoice({ ...credit, lines: [tokens('10', '1')] })).toThrow(
      /credit note's quantities are negative/,
    );
    expect(() => computeInvoice(docWith([tokens('-10', '1')]))).toThrow(/issue a credit note/);
  });
});

describe('validation', () => {
  it.each([
    ['1e6', 'an exponent'],
    ['1,5', 'a decimal comma'],
    ['1 000', 'a thousands separator'],
    ['', 'nothing'],
  ])('rejects the quantity %j (%s)', (quantity) => {
    expect(() => computeInvoice(docWith([tokens(quantity, '1')]))).toThrow(InvoiceDocumentError);
  });

  it('rejects a zero unit size and a negative price', () => {
    expect(() => computeInvoice(docWith([{ ...tokens('1', '1'), unitSize: '0' }]))).toThrow(
      /unitSize must be positive/,
    );
    expect(() => computeInvoice(docWith([tokens('1', '-1')]))).toThrow(/unitPriceEur/);
  });

  it('rejects impossible dates, a bad period, a due date before the issue date and a foreign seller', () => {
    const doc = sampleInvoiceDocument();
    expect(() =>
      computeInvoice({ ...doc, meta: { ...doc.meta, issueDate: '2025-02-30' } }),
    ).toThrow(/issueDate/);
    expect(() => computeInvoice({ ...doc, meta: { ...doc.meta, period: '2025-3' } })).toThrow(
      /period/,
    );
    expect(() => computeInvoice({ ...doc, meta: { ...doc.meta, dueDate: '2025-03-01' } })).toThrow(
      /dueDate/,
    );
    expect(() => computeInvoice({ ...doc, seller: { ...doc.seller, countryCode: 'DE' } })).toThrow(
      /seller established in France/,
    );
    expect(() => computeInvoice({ ...doc, buyer: { ...doc.buyer, countryCode: 'fr' } })).toThrow(
      /countryCode/,
    );
  });
});
