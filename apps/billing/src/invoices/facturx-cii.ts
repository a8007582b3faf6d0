import { Decimal } from '@llmaas/pricing';
import type { InvoiceLine, Party } from './invoice-document.js';
import type { ComputedInvoice } from './invoice-totals.js';
import type { MentionKey } from './legal-mentions.js';
import { formatCents, InvoiceDocumentError } from './money.js';
import { el, writeXmlDocument, type XmlElement } from './xml-writer.js';

// The invoice as UN/CEFACT Cross Industry Invoice (CII D16B), profile EN 16931 of Factur-X: the
// XML a receiving accounting system reads instead of the PDF. Element order follows the CII schema
// (it is a sequence everywhere); the comments name the EN 16931 business terms (BT-n).
//
// A credit note is written as type 381 with positive quantities and amounts: in EN 16931 the type
// carries the sign, and a receiver would book a 381 with negative amounts back as a debit.

export const facturXGuideline = 'urn:cen.eu:en16931:2017';

const ns = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

// How each mention travels in the XML. The French e-invoicing rules (BR-FR-05) expect the penalty,
// recovery fee and discount mentions as notes with these UNTDID 4451 subject codes. Payment terms
// and the corrected invoice are no notes: they have business terms of their own (BT-20, BT-25).
type NoteRule = { note: false } | { note: true; subjectCode?: 'PMD' | 'PMT' | 'AAB' };

function noteRule(key: MentionKey): NoteRule {
  switch (key) {
    case 'late_payment_penalty':
      return { note: true, subjectCode: 'PMD' };
    case 'recovery_fee':
      return { note: true, subjectCode: 'PMT' };
    case 'early_payment_discount':
      return { note: true, subjectCode: 'AAB' };
    case 'vat':
      return { note: true };
    case 'payment_terms':
    case 'corrected_invoice':
      return { note: false };
  }
}

export function renderFacturXXml(invoice: ComputedInvoice): string {
  const { meta, seller, buyer } = invoice.document;
  if (meta.number === null)
    throw new InvoiceDocumentError('a draft has no number and cannot be an e-invoice');
  if (invoice.lines.length === 0)
    throw new InvoiceDocumentError('an e-invoice has at least one line (EN 16931 BR-16)');
  const isCredit = meta.kind === 'credit_note';
  const signed = (value: string): Decimal => (isCredit ? new Decimal(value).negated() : new Decimal(value));
  const amount = (value: string): string => formatCents(signed(value));

  const notes = invoice.mentions.flatMap((m) => {
    const rule = noteRule(m.key);
    if (!rule.note) return [];
    return [
      el('ram:IncludedNote', [
        el('ram:Content', m.text),
        rule.subjectCode === undefined ? undefined : el('ram:SubjectCode', rule.subjectCode),
      ]),
    ];
  });

  const lines = invoice.lines.map((line) =>
    el('ram:IncludedSupplyChainTradeLineItem', [
      el('ram:AssociatedDocumentLineDocument', [el('ram:LineID', String(line.lineNumber))]), // BT-126
      el('ram:SpecifiedTradeProduct', [
        el('ram:SellerAssignedID', `${line.model}/${line.item}`), // BT-155
        el('ram:Name', `${line.model} — ${line.description}`), // BT-153
        el('ram:Description', `${line.description} (${line.unit})`), // BT-154
      ]),
      el('ram:SpecifiedLineTradeAgreement', [
        // BT-146 per BT-149: the price is per unitSize things (1.8 € per 1,000,000 tokens), so that
        // quantity × price / base quantity is the line amount, with the price book's own decimals.
        el('ram:NetPriceProductTradePrice', [
          el('ram:ChargeAmount', new Decimal(line.unitPriceEur).toFixed()),
          el('ram:BasisQuantity', new Decimal(line.unitSize).toFixed(), {
            unitCode: unitCode(line.item),
          }),
        ]),
      ]),
      el('ram:SpecifiedLineTradeDelivery', [
        el('ram:BilledQuantity', signed(line.quantity).toFixed(), {
          unitCode: unitCode(line.item),
        }), // BT-129, BT-130
      ]),
      el('ram:SpecifiedLineTradeSettlement', [
        el('ram:ApplicableTradeTax', [
          el('ram:TypeCode', 'VAT'),
          el('ram:CategoryCode', line.vatCategory), // BT-151
          el('ram:RateApplicablePercent', line.vatRatePercent), // BT-152
        ]),
        el('ram:SpecifiedTradeSettlementLineMonetarySummation', [
          el('ram:LineTotalAmount', amount(line.amountEur)),
        ]), // BT-131
      ]),
    ]),
  );

  const paymentMeans =
    seller.bankAccount === undefined || isCredit
      ? undefined
      : el('ram:SpecifiedTradeSettlementPaymentMeans', [
          el('ram:TypeCode', '58'), // BT-81: SEPA credit transfer
          el('ram:PayeePartyCreditorFinancialAccount', [
            el('ram:IBANID', seller.bankAccount.iban.replace(/\s+/g, '')), // BT-84
            el('ram:AccountName', seller.name), // BT-85
          ]),
          seller.bankAccount.bic === undefined
            ? undefined
            : el('ram:PayeeSpecifiedCreditorFinancialInstitution', [
                el('ram:BICID', seller.bankAccount.bic),
              ]), // BT-86
        ]);

  const vatBreakdown = invoice.vatBreakdown.map((vat) =>
    el('ram:ApplicableTradeTax', [
      el('ram:CalculatedAmount', amount(vat.vatAmountEur)), // BT-117
      el('ram:TypeCode', 'VAT'),
      vat.exemptionReason === undefined
        ? undefined
        : el('ram:ExemptionReason', vat.exemptionReason), // BT-120
      el('ram:BasisAmount', amount(vat.taxableAmountEur)), // BT-116
      el('ram:CategoryCode', vat.category), // BT-118
      vat.exemptionReasonCode === undefined
        ? undefined
        : el('ram:ExemptionReasonCode', vat.exemptionReasonCode), // BT-121
      el('ram:RateApplicablePercent', vat.ratePercent), // BT-119
    ]),
  );

  const root = el(
    'rsm:CrossIndustryInvoice',
    [
      el('rsm:ExchangedDocumentContext', [
        // BT-23, the French billing mode (BR-FR-08): S1, services, invoice to be paid.
        el('ram:BusinessProcessSpecifiedDocumentContextParameter', [el('ram:ID', 'S1')]),
        el('ram:GuidelineSpecifiedDocumentContextParameter', [el('ram:ID', facturXGuideline)]), // BT-24
      ]),
      el('rsm:ExchangedDocument', [
        el('ram:ID', meta.number), // BT-1
        el('ram:TypeCode', isCredit ? '381' : '380'), // BT-3
        el('ram:IssueDateTime', [date102('udt', meta.issueDate)]), // BT-2
        ...notes, // BG-1
      ]),
      el('rsm:SupplyChainTradeTransaction', [
        ...lines,
        el('ram:ApplicableHeaderTradeAgreement', [
          el('ram:SellerTradeParty', [
            el('ram:Name', seller.name), // BT-27
            legalInformation(seller) === ''
              ? undefined
              : el('ram:Description', legalInformation(seller)), // BT-33
            el('ram:SpecifiedLegalOrganization', [
              el('ram:ID', seller.siren, { schemeID: '0002' }),
            ]), // BT-30, SIRENE
            seller.email === undefined
              ? undefined
              : el('ram:DefinedTradeContact', [
                  el('ram:EmailURIUniversalCommunication', [el('ram:URIID', seller.email)]),
                ]), // BT-43
            postalAddress(seller), // BG-5
            electronicAddress(seller), // BT-34
            el('ram:SpecifiedTaxRegistration', [
              el('ram:ID', seller.vatNumber, { schemeID: 'VA' }),
            ]), // BT-31
          ]),
          el('ram:BuyerTradeParty', [
            el('ram:Name', buyer.name), // BT-44
            buyer.siren === undefined
              ? undefined
              : el('ram:SpecifiedLegalOrganization', [
                  el('ram:ID', buyer.siren, { schemeID: '0002' }),
                ]), // BT-47
            postalAddress(buyer), // BG-8
            electronicAddress(buyer), // BT-49
            buyer.vatNumber === undefined || buyer.vatNumber.trim() === ''
              ? undefined
              : el('ram:SpecifiedTaxRegistration', [
                  el('ram:ID', buyer.vatNumber.trim(), { schemeID: 'VA' }),
                ]), // BT-48
          ]),
        ]),
        // Required by the schema even when, as for a service, there is nothing to say about delivery;
        // the service period is the invoicing period below.
        el('ram:ApplicableHeaderTradeDelivery'),
        el('ram:ApplicableHeaderTradeSettlement', [
          isCredit ? undefined : el('ram:PaymentReference', meta.number), // BT-83
          el('ram:InvoiceCurrencyCode', meta.currency), // BT-5
          paymentMeans, // BG-16
          ...vatBreakdown, // BG-23
          el('ram:BillingSpecifiedPeriod', [
            el('ram:StartDateTime', [date102('udt', meta.serviceStart)]), // BT-73
            el('ram:EndDateTime', [date102('udt', meta.serviceEnd)]), // BT-74
          ]),
          el('ram:SpecifiedTradePaymentTerms', [
            el('ram:Description', meta.paymentTerms), // BT-20
            isCredit ? undefined : el('ram:DueDateDateTime', [date102('udt', meta.dueDate)]), // BT-9
          ]),
          el('ram:SpecifiedTradeSettlementHeaderMonetarySummation', [
            el('ram:LineTotalAmount', amount(invoice.subtotalEur)), // BT-106
            el('ram:TaxBasisTotalAmount', amount(invoice.subtotalEur)), // BT-109
            el('ram:TaxTotalAmount', amount(invoice.vatEur), { currencyID: meta.currency }), // BT-110
            el('ram:GrandTotalAmount', amount(invoice.totalEur)), // BT-112
            el('ram:DuePayableAmount', amount(invoice.totalEur)), // BT-115
          ]),
          meta.correctedInvoice === undefined
            ? undefined
            : el('ram:InvoiceReferencedDocument', [
                el('ram:IssuerAssignedID', meta.correctedInvoice.number), // BT-25
                el('ram:FormattedIssueDateTime', [date102('qdt', meta.correctedInvoice.issueDate)]), // BT-26
              ]),
        ]),
      ]),
    ],
    ns,
  );
  return writeXmlDocument(root);
}

/** UN/ECE Recommendation 20 unit: minutes are MIN; tokens and documents are counted, C62 ("one"). */
function unitCode(item: InvoiceLine['item']): string {
  switch (item) {
    case 'transcription_minutes':
      return 'MIN';
    case 'input':
    case 'cached_input':
    case 'output':
    case 'reasoning':
    case 'embedding_input':
    case 'rerank_documents':
    case 'batch_input':
    case 'batch_output':
      return 'C62';
  }
}

/** A calendar date in format 102 (CCYYMMDD). */
function date102(prefix: 'udt' | 'qdt', isoDate: string): XmlElement {
  return el(`${prefix}:DateTimeString`, isoDate.replaceAll('-', ''), { format: '102' });
}

function postalAddress(party: Party): XmlElement {
  const [line1, line2, ...rest] = party.addressLines;
  return el('ram:PostalTradeAddress', [
    el('ram:PostcodeCode', party.postcode),
    line1 === undefined ? undefined : el('ram:LineOne', line1),
    line2 === undefined ? undefined : el('ram:LineTwo', line2),
    rest.length === 0 ? undefined : el('ram:LineThree', rest.join(', ')),
    el('ram:CityName', party.city),
    el('ram:CountryID', party.countryCode),
  ]);
}

/**
 * BT-34/BT-49, where invoices are sent: for a French company its SIREN in the French directory's
 * scheme (0225), which the French rules expect; otherwise its e-mail address (EM), if known.
 */
function electronicAddress(party: Party): XmlElement | undefined {
  if (party.countryCode === 'FR' && party.siren !== undefined)
    return el('ram:URIUniversalCommunication', [
      el('ram:URIID', party.siren, { schemeID: '0225' }),
    ]);
  if (party.email !== undefined)
    return el('ram:URIUniversalCommunication', [el('ram:URIID', party.email, { schemeID: 'EM' })]);
  return undefined;
}

/** BT-33: "SAS au capital de 10 000 € — RCS Paris", what the law asks to say about the seller. */
function legalInformation(party: Party): string {
  const form =
    party.legalForm === undefined
      ? ''
      : `${party.legalForm}${party.shareCapital === undefined ? '' : ` au capital de ${party.shareCapital}`}`;
  return [form, party.registry ?? ''].filter((p) => p !== '').join(' — ');
}
