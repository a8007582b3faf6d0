// The invoice document: what an invoice says, before any amount is computed. Every number is a
// decimal string so that nothing on the way (JSON, Kafka, Postgres DECIMAL) turns money into floats.

/** A legal person as printed on the invoice. */
export interface Party {
  /** Legal name (raison sociale). */
  name: string;
  /** Street lines, in order; the postcode and city are separate. */
  addressLines: string[];
  postcode: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case ("FR", "DE", "US"). */
  countryCode: string;
  /** Intra-community VAT number with its country prefix ("FR12345678901"), when the party has one. */
  vatNumber?: string;
  /** French company number (9 digits). */
  siren?: string;
  /** "SAS", "SARL", "GmbH"… */
  legalForm?: string;
  /** Share capital as printed, "10 000 €" — a mandatory mention for French companies. */
  shareCapital?: string;
  /** Registry the company is registered at, as printed: "RCS Paris". */
  registry?: string;
  email?: string;
}

/** The platform operator. French law makes its SIREN and VAT number mandatory on every invoice. */
export interface Seller extends Party {
  vatNumber: string;
  siren: string;
  /** Where customers pay by transfer; printed and put in the Factur-X payment instructions. */
  bankAccount?: { iban: string; bic?: string };
}

/** The tenant being invoiced. */
export interface Buyer extends Party {
  /**
   * Whether the tenant buys as a business (assujetti). Tenants are businesses unless told otherwise,
   * so an absent value means true; it decides the VAT treatment together with the country and VAT number.
   */
  isBusiness?: boolean;
}

/** What a line charges for; a closed list so that renderers can name each in French. */
export type LineItem =
  | 'input'
  | 'cached_input'
  | 'output'
  | 'reasoning'
  | 'embedding_input'
  | 'rerank_documents'
  | 'batch_input'
  | 'batch_output'
  | 'transcription_minutes';

export const lineItems: readonly LineItem[] = [
  'input',
  'cached_input',
  'output',
  'reasoning',
  'embedding_input',
  'rerank_documents',
  'batch_input',
  'batch_output',
  'transcription_minutes',
];

export interface InvoiceLine {
  /** The model served, as the customer knows it. */
  model: string;
  item: LineItem;
  /** The text printed for the line ("Jetons d'entrée"). */
  description: string;
  /** Tokens as an integer string, minutes with decimals; negative on a credit note. */
  quantity: string;
  /** The unit the price is per, as printed: "1M tokens", "1M documents", "minute". */
  unit: string;
  /** How many of the counted things the unit holds: 1000000 for per-million prices, 1 per minute. */
  unitSize: string;
  /** Price of one unit (of unitSize things), excluding VAT, in euros. */
  unitPriceEur: string;
}

export type DocumentKind = 'invoice' | 'credit_note';

export interface InvoiceMeta {
  /** Gapless number assigned at finalisation; null while the invoice is a draft. */
  number: string | null;
  kind: DocumentKind;
  /**
   * A credit note cancels (part of) one invoice and must name it; required when kind is 'credit_note'.
   */
  correctedInvoice?: { number: string; issueDate: string };
  /** Billing month, YYYY-MM. */
  period: string;
  /** Calendar dates, YYYY-MM-DD (no time zone: an invoice date is a legal date, not an instant). */
  issueDate: string;
  serviceStart: string;
  serviceEnd: string;
  dueDate: string;
  /** Payment terms as printed: "Paiement à 30 jours par virement bancaire". */
  paymentTerms: string;
  /**
   * The late-payment penalty as printed; defaults to three times the legal interest rate, the
   * minimum the Code de commerce allows between businesses.
   */
  latePaymentPenalty?: string;
  currency: 'EUR';
}

/**
 * A credit note is the same document as an invoice, with kind 'credit_note', the invoice it corrects,
 * and negative quantities: unit prices stay those of the price book, so the same formula gives
 * negative amounts, VAT and totals, and an invoice plus its full credit note sum to exactly zero.
 */
export interface InvoiceDocument {
  meta: InvoiceMeta;
  seller: Seller;
  buyer: Buyer;
  lines: InvoiceLine[];
}
