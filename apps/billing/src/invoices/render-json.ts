import { isDeepStrictEqual } from 'node:util';

import { computeInvoice, type ComputedInvoice } from './invoice-totals.js';
import { InvoiceDocumentError } from './money.js';

// The JSON rendering is the computed invoice as is (every number already a decimal string), tagged
// with a format version so that a reader years later knows what it holds.

export const invoiceJsonFormat = 'llmaas.invoice.v1';

export function renderInvoiceJson(invoice: ComputedInvoice): string {
  return `${JSON.stringify({ format: invoiceJsonFormat, ...invoice }, null, 2)}\n`;
}

/**
 * Reads a rendered invoice back. The amounts are recomputed from the document inside and must match
 * the ones stored, so an edited or truncated file is refused rather than trusted.
 */
export function parseInvoiceJson(json: string): ComputedInvoice {
  const parsed = JSON.parse(json) as { format?: unknown } & ComputedInvoice;
  if (parsed.format !== invoiceJsonFormat) {
    throw new InvoiceDocumentError(`not an invoice in format ${invoiceJsonFormat}`);
  }
  const { format: _format, ...stored } = parsed;
  const recomputed = computeInvoice(stored.document);
  if (!isDeepStrictEqual(recomputed, stored)) {
    throw new InvoiceDocumentError('the stored amounts do not match the document');
  }
  return recomputed;
}
