// The invoice document: computing an invoice's amounts and VAT, and rendering it as JSON, CSV,
// PDF and Factur-X. Pure functions of the document; storing, numbering and sending are elsewhere.

export type {
  Buyer,
  DocumentKind,
  InvoiceDocument,
  InvoiceLine,
  InvoiceMeta,
  LineItem,
  Party,
  Seller,
} from './invoice-document.js';
export { lineItems } from './invoice-document.js';
export {
  computeInvoice,
  exactLineAmount,
  type ComputedInvoice,
  type ComputedLine,
  type VatSubtotal,
} from './invoice-totals.js';
export { legalMentions, type LegalMention, type MentionKey } from './legal-mentions.js';
export { InvoiceDocumentError } from './money.js';
export {
  vatTreatmentFor,
  isEuMemberState,
  type VatCategory,
  type VatTreatment,
  type VatTreatmentKind,
} from './vat-treatment.js';
export { parseInvoiceJson, renderInvoiceJson, invoiceJsonFormat } from './render-json.js';
export { renderInvoiceCsv, csvColumns, type CsvColumn, type CsvRowType } from './render-csv.js';
export { renderInvoicePdf, type RenderPdfOptions } from './render-pdf.js';
export { renderInvoiceFacturX } from './render-facturx.js';
export { renderFacturXXml } from './facturx-cii.js';
export { sampleInvoiceDocument } from './sample-invoice.js';
