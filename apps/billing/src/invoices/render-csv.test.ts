import { describe, expect, it } from 'vitest';

import type { InvoiceLine } from './invoice-document.js';
import { computeInvoice } from './invoice-totals.js';
import { csvColumns, renderInvoiceCsv } from './render-csv.js';
import { sampleBuyer, sampleInvoiceDocument, sampleLines } from './sample-invoice.js';

/** A strict RFC 4180 reader, to check the writer against the standard rather than against itself. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i += 1;
      continue;
    }
    if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
      continue;
    }
    if (c === '"' || c === '\r' || c === '\n')
      throw new Error(`stray ${JSON.stringify(c)} at ${i}`);
    field += c;
    i += 1;
  }
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

const tricky: InvoiceLine = {
  model: 'llama, "the big one"',
  item: 'rerank_documents',
  description: 'Documents reclassés\nsur deux lignes',
  quantity: '1500',
  unit: '1M documents',
  unitSize: '1000000',
  unitPriceEur: '2.5',
};

describe('renderInvoiceCsv', () => {
  const computed = computeInvoice(sampleInvoiceDocument({ lines: [...sampleLines, tricky] }));
  const [header = [], ...rows] = parseCsv(renderInvoiceCsv(computed));
  const byColumn = rows.map((fields) =>
    Object.fromEntries(csvColumns.map((c, i) => [c, fields[i] ?? ''])),
  );

  it('has the header, then one row per line, then subtotal, VAT and total rows, all of equal width', () => {
    expect(header).toEqual([...csvColumns]);
    expect(byColumn.map((r) => r.row_type)).toEqual([
      'line',
      'line',
      'line',
      'line',
      'subtotal',
      'vat',
      'total',
    ]);
    expect(rows.every((r) => r.length === csvColumns.length)).toBe(true);
    expect(byColumn.every((r) => r.invoice_number === 'F-2025-000042')).toBe(true);
  });

  it('parses back to the same lines', () => {
    const lines = byColumn.filter((r) => r.row_type === 'line');
    expect(
      lines.map((r) => ({
        model: r.model,
        item: r.item,
        description: r.description,
        quantity: r.quantity,
        unit: r.unit,
        unitSize: r.unit_size,
        unitPriceEur: r.unit_price_eur,
      })),
    ).toEqual([...sampleLines, tricky]);
    expect(lines.map((r) => r.amount_eur)).toEqual(computed.lines.map((l) => l.amountEur));
    // 1,500 documents at 2.5 €/M = 0.00375 € → 0.00
    expect(lines[3]?.amount_eur).toBe('0.00');
  });

  it('parses back to the same totals, with decimal points', () => {
    const amount = (type: string): string | undefined =>
      byColumn.find((r) => r.row_type === type)?.amount_eur;
    expect(amount('subtotal')).toBe(computed.subtotalEur);
    expect(amount('total')).toBe(computed.totalEur);
    expect(byColumn.find((r) => r.row_type === 'vat')).toMatchObject({
      vat_category: 'S',
      vat_rate_percent: '20',
      taxable_amount_eur: '4.97',
      amount_eur: '0.99',
    });
    expect(computed).toMatchObject({ subtotalEur: '4.97', totalEur: '5.96' });
    expect(byColumn.map((r) => r.amount_eur).every((a) => /^-?\d+\.\d{2}$/.test(a ?? ''))).toBe(
      true,
    );
  });

  it('quotes fields with commas, quotes and line breaks, and only those', () => {
    const csv = renderInvoiceCsv(computed);
    expect(csv).toContain('"llama, ""the big one"""');
    expect(csv).toContain('"Documents reclassés\nsur deux lignes"');
    expect(csv).toContain(',mistral-large,input,');
  });

  it('leaves the number empty on a draft and shows a reverse-charged invoice at 0 %', () => {
    const doc = sampleInvoiceDocument({
      buyer: { ...sampleBuyer, countryCode: 'DE', vatNumber: 'DE123456789' },
    });
    doc.meta = { ...doc.meta, number: null };
    const [, ...draftRows] = parseCsv(renderInvoiceCsv(computeInvoice(doc)));
    expect(draftRows.every((r) => r[0] === '')).toBe(true);
    const vatRow = draftRows.find((r) => r[1] === 'vat');
    expect(vatRow?.slice(10)).toEqual(['AE', '0', '4.97', '0.00']);
  });
});
