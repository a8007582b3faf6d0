import { renderFacturXXml } from './facturx-cii.js';
import { makeFacturXPdfA3 } from './facturx-pdfa.js';
import type { ComputedInvoice } from './invoice-totals.js';
import { buildInvoicePdf, type RenderPdfOptions } from './render-pdf.js';

// Factur-X, profile EN 16931: the invoice PDF a person reads, made a PDF/A-3, carrying the same
// invoice as CII XML (factur-x.xml) for the buyer's accounting system.
//
// Written here rather than with @e-invoice-eu/core (2.3.4), whose output for our invoices failed the
// Factur-X validation: several notes are written as one IncludedNote with several Content elements
// (schema error), the mandatory ApplicableHeaderTradeDelivery is left out when there is no delivery
// (schema error), the preceding invoice of a credit note (BT-25) is dropped, prices are limited to
// two decimals, and notes cannot have the subject codes the French rules ask for.

/** Renders a finalised invoice or credit note as a Factur-X (EN 16931) PDF/A-3b. */
export async function renderInvoiceFacturX(
  invoice: ComputedInvoice,
  options: RenderPdfOptions = {},
): Promise<Uint8Array> {
  // The XML first: it refuses drafts and empty invoices before any layout work is done.
  const xml = renderFacturXXml(invoice);
  const { pdf, metadata } = await buildInvoicePdf(invoice, options);
  await makeFacturXPdfA3(pdf, xml, metadata);
  return pdf.save();
}
