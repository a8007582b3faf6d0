import type { Buyer, InvoiceDocument, InvoiceLine, Seller } from './invoice-document.js';

// A complete, plausible invoice document: for previews of the layout, and as the base the tests
// vary. Identifiers are fictitious (the SIREN and VAT key are nonetheless well formed).

export const sampleSeller: Seller = {
  name: 'LLMaaS SAS',
  addressLines: ['12 rue de la Paix', 'Bâtiment B'],
  postcode: '75002',
  city: 'Paris',
  countryCode: 'FR',
  vatNumber: 'FR44732829320',
  siren: '732829320',
  legalForm: 'SAS',
  shareCapital: '10 000 €',
  registry: 'RCS Paris',
  email: 'facturation@llmaas.example',
  bankAccount: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' },
};

export const sampleBuyer: Buyer = {
  name: 'Société Générale d’Écriture SARL',
  addressLines: ['3 place Bellecour'],
  postcode: '69002',
  city: 'Lyon',
  countryCode: 'FR',
  vatNumber: 'FR96552100554',
  siren: '552100554',
  isBusiness: true,
};

export const sampleLines: InvoiceLine[] = [
  {
    model: 'mistral-large',
    item: 'input',
    description: "Jetons d'entrée",
    quantity: '1234567',
    unit: '1M tokens',
    unitSize: '1000000',
    unitPriceEur: '1.8',
  },
  {
    model: 'mistral-large',
    item: 'output',
    description: 'Jetons de sortie',
    quantity: '333333',
    unit: '1M tokens',
    unitSize: '1000000',
    unitPriceEur: '8',
  },
  {
    model: 'whisper-large-v3',
    item: 'transcription_minutes',
    description: 'Transcription audio',
    quantity: '12.5',
    unit: 'minute',
    unitSize: '1',
    unitPriceEur: '0.006',
  },
];

export function sampleInvoiceDocument(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    meta: {
      number: 'F-2025-000042',
      kind: 'invoice',
      period: '2025-03',
      issueDate: '2025-04-01',
      serviceStart: '2025-03-01',
      serviceEnd: '2025-03-31',
      dueDate: '2025-05-01',
      paymentTerms: 'paiement à 30 jours par virement bancaire',
      currency: 'EUR',
    },
    seller: sampleSeller,
    buyer: sampleBuyer,
    lines: sampleLines,
    ...overrides,
  };
}
