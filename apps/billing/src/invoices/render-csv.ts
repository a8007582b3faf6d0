import type { ComputedInvoice } from './invoice-totals.js';

// One row per invoice line, then the total rows (subtotal, one per VAT rate, total), so that a
// spreadsheet can re-add the lines and check the totals. RFC 4180: CRLF line ends, fields quoted
// when they hold a comma, a quote or a line break, quotes doubled. Decimal points, never commas,
// whatever the reader's locale: the file is data, not a display.

export const csvColumns = [
  'invoice_number',
  'row_type',
  'line_number',
  'model',
  'item',
  'description',
  'quantity',
  'unit',
  'unit_size',
  'unit_price_eur',
  'vat_category',
  'vat_rate_percent',
  'taxable_amount_eur',
  'amount_eur',
] as const;

export type CsvColumn = (typeof csvColumns)[number];
export type CsvRowType = 'line' | 'subtotal' | 'vat' | 'total';
type CsvRow = Partial<Record<CsvColumn, string>>;

export function renderInvoiceCsv(invoice: ComputedInvoice): string {
  // A draft has no number yet; the column stays empty rather than inventing one.
  const invoiceNumber = invoice.document.meta.number ?? '';
  const rows: CsvRow[] = [
    ...invoice.lines.map((line): CsvRow => ({
      row_type: 'line',
      line_number: String(line.lineNumber),
      model: line.model,
      item: line.item,
      description: line.description,
      quantity: line.quantity,
      unit: line.unit,
      unit_size: line.unitSize,
      unit_price_eur: line.unitPriceEur,
      vat_category: line.vatCategory,
      vat_rate_percent: line.vatRatePercent,
      amount_eur: line.amountEur,
    })),
    { row_type: 'subtotal', amount_eur: invoice.subtotalEur },
    ...invoice.vatBreakdown.map((vat): CsvRow => ({
      row_type: 'vat',
      vat_category: vat.category,
      vat_rate_percent: vat.ratePercent,
      taxable_amount_eur: vat.taxableAmountEur,
      amount_eur: vat.vatAmountEur,
    })),
    { row_type: 'total', amount_eur: invoice.totalEur },
  ];
  const records = [
    [...csvColumns],
    ...rows.map((row) =>
      csvColumns.map((column) =>
        column === 'invoice_number' ? invoiceNumber : (row[column] ?? ''),
      ),
    ),
  ];
  return records.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
