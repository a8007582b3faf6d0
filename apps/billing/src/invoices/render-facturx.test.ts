import { XMLParser } from 'fast-xml-parser';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';

import { Decimal } from '@llmaas/pricing';
import type { InvoiceDocument } from './invoice-document.js';
import { computeInvoice } from './invoice-totals.js';
import { renderInvoiceFacturX } from './render-facturx.js';
import { sampleBuyer, sampleInvoiceDocument } from './sample-invoice.js';

interface EmbeddedFile {
  name: string;
  spec: PDFDict;
  stream: PDFRawStream;
  data: Uint8Array;
}

/** The embedded files of a PDF, read from the catalog's name tree the way a PDF reader finds them. */
function embeddedFiles(pdf: PDFDocument): EmbeddedFile[] {
  const names = pdf.catalog
    .lookupMaybe(PDFName.of('Names'), PDFDict)
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)
    ?.lookupMaybe(PDFName.of('Names'), PDFArray);
  const files: EmbeddedFile[] = [];
  for (let i = 0; names !== undefined && i < names.size(); i += 2) {
    const name = names.lookup(i);
    const spec = names.lookup(i + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F'));
    if (
      !(name instanceof PDFHexString || name instanceof PDFString) ||
      !(stream instanceof PDFRawStream)
    )
      throw new Error('malformed embedded file entry');
    files.push({
      name: name.decodeText(),
      spec,
      stream,
      data: decodePDFRawStream(stream).decode(),
    });
  }
  return files;
}

type Xml = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) =>
    ['ram:IncludedSupplyChainTradeLineItem', 'ram:IncludedNote', 'ram:ApplicableTradeTax'].includes(
      name,
    ),
});

/** Follows a path of element names; the result is whatever is there (text, element, list). */
function at(node: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (current, key) => (current as Record<string | number, unknown> | undefined)?.[key],
    node,
  );
}

async function facturX(
  doc: InvoiceDocument,
): Promise<{ pdf: PDFDocument; bytes: Uint8Array; files: EmbeddedFile[]; xml: string; cii: Xml }> {
  const bytes = await renderInvoiceFacturX(computeInvoice(doc), {
    createdAt: new Date('2025-04-01T08:00:00Z'),
  });
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const files = embeddedFiles(pdf);
  const xml = new TextDecoder().decode(files[0]?.data);
  const cii = at(parser.parse(xml), 'rsm:CrossIndustryInvoice') as Xml;
  return { pdf, bytes, files, xml, cii };
}

const settlement = (cii: Xml): Xml =>
  at(cii, 'rsm:SupplyChainTradeTransaction', 'ram:ApplicableHeaderTradeSettlement') as Xml;
const totals = (cii: Xml): Xml =>
  at(settlement(cii), 'ram:SpecifiedTradeSettlementHeaderMonetarySummation') as Xml;
const lineItems = (cii: Xml): Xml[] =>
  at(cii, 'rsm:SupplyChainTradeTransaction', 'ram:IncludedSupplyChainTradeLineItem') as Xml[];
const headerTax = (cii: Xml): Xml[] => at(settlement(cii), 'ram:ApplicableTradeTax') as Xml[];
const text = (node: unknown): unknown =>
  typeof node === 'object' && node !== null && '#text' in node ? node['#text'] : node;

describe('renderInvoiceFacturX: the PDF/A-3 container', () => {
  it('is a PDF with exactly one embedded file, factur-x.xml, associated to the document as Data', async () => {
    const { pdf, bytes, files } = await facturX(sampleInvoiceDocument());
    expect(new TextDecoder().decode(bytes.slice(0, 8))).toBe('%PDF-1.7');
    expect(files.map((f) => f.name)).toEqual(['factur-x.xml']);
    const [file] = files;
    expect(file?.spec.get(PDFName.of('AFRelationship'))).toBe(PDFName.of('Data'));
    expect(file?.spec.lookup(PDFName.of('F'), PDFString).decodeText()).toBe('factur-x.xml');
    expect(file?.stream.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('text/xml'));
    expect(file?.stream.dict.lookup(PDFName.of('Params'), PDFDict).has(PDFName.of('ModDate'))).toBe(
      true,
    );
    // PDF/A-3 only allows embedded files that are associated files of something: here the catalog.
    const associated = pdf.catalog.lookup(PDFName.of('AF'), PDFArray);
    expect(associated.size()).toBe(1);
    expect(associated.lookup(0, PDFDict)).toBe(file?.spec);
  });

  it('declares PDF/A-3B and Factur-X EN 16931 in XMP metadata that repeats the document information', async () => {
    const { pdf } = await facturX(sampleInvoiceDocument());
    const metadata = pdf.catalog.lookup(PDFName.of('Metadata'));
    if (!(metadata instanceof PDFRawStream)) throw new Error('no XMP metadata stream');
    const xmp = new TextDecoder().decode(metadata.contents);
    expect(xmp).toContain('<pdfaid:part>3</pdfaid:part>');
    expect(xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
    expect(xmp).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    expect(xmp).toContain(
      '<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>',
    );
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${pdf.getTitle()}</rdf:li>`);
    expect(xmp).toContain(`<pdf:Producer>${pdf.getProducer()}</pdf:Producer>`);
    expect(xmp).toContain('<xmp:CreateDate>2025-04-01T08:00:00Z</xmp:CreateDate>');
    expect(pdf.getCreationDate()?.toISOString()).toBe('2025-04-01T08:00:00.000Z');
  });

  it('has an sRGB output intent and a file identifier', async () => {
    const { pdf } = await facturX(sampleInvoiceDocument());
    const intent = pdf.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFA1'));
    const profile = intent.lookup(PDFName.of('DestOutputProfile'));
    if (!(profile instanceof PDFRawStream)) throw new Error('no ICC profile stream');
    const icc = decodePDFRawStream(profile).decode();
    expect(new TextDecoder().decode(icc.slice(36, 40))).toBe('acsp');
    expect(new DataView(icc.buffer, icc.byteOffset).getUint32(0)).toBe(icc.length);
    expect(pdf.context.trailerInfo.ID).toBeInstanceOf(PDFArray);
  });
});

describe('renderInvoiceFacturX: the CII XML (EN 16931)', () => {
  it('names the profile, the invoice number, type and date, and the seller with its VAT number', async () => {
    const { cii } = await facturX(sampleInvoiceDocument());
    expect(
      at(
        cii,
        'rsm:ExchangedDocumentContext',
        'ram:GuidelineSpecifiedDocumentContextParameter',
        'ram:ID',
      ),
    ).toBe('urn:cen.eu:en16931:2017');
    expect(at(cii, 'rsm:ExchangedDocument', 'ram:ID')).toBe('F-2025-000042');
    expect(at(cii, 'rsm:ExchangedDocument', 'ram:TypeCode')).toBe('380');
    expect(text(at(cii, 'rsm:ExchangedDocument', 'ram:IssueDateTime', 'udt:DateTimeString'))).toBe(
      '20250401',
    );
    const seller = at(
      cii,
      'rsm:SupplyChainTradeTransaction',
      'ram:ApplicableHeaderTradeAgreement',
      'ram:SellerTradeParty',
    ) as Xml;
    expect(at(seller, 'ram:Name')).toBe('LLMaaS SAS');
    expect(at(seller, 'ram:SpecifiedTaxRegistration', 'ram:ID')).toEqual({
      '#text': 'FR44732829320',
      '@schemeID': 'VA',
    });
    expect(at(seller, 'ram:SpecifiedLegalOrganization', 'ram:ID')).toEqual({
      '#text': '732829320',
      '@schemeID': '0002',
    });
    const buyer = at(
      cii,
      'rsm:SupplyChainTradeTransaction',
      'ram:ApplicableHeaderTradeAgreement',
      'ram:BuyerTradeParty',
    ) as Xml;
    expect(at(buyer, 'ram:Name')).toBe('Société Générale d’Écriture SARL');
  });

  it('has one line item per invoice line, with quantity, price per base quantity and amount', async () => {
    const { cii } = await facturX(sampleInvoiceDocument());
    const items = lineItems(cii);
    expect(items).toHaveLength(3);
    expect(
      items.map((i) =>
        at(
          i,
          'ram:SpecifiedLineTradeSettlement',
          'ram:SpecifiedTradeSettlementLineMonetarySummation',
          'ram:LineTotalAmount',
        ),
      ),
    ).toEqual(['2.22', '2.67', '0.08']);
    const minutes = items[2];
    expect(at(minutes, 'ram:SpecifiedLineTradeDelivery', 'ram:BilledQuantity')).toEqual({
      '#text': '12.5',
      '@unitCode': 'MIN',
    });
    expect(
      at(
        minutes,
        'ram:SpecifiedLineTradeAgreement',
        'ram:NetPriceProductTradePrice',
        'ram:ChargeAmount',
      ),
    ).toBe('0.006');
    expect(
      at(
        items[0],
        'ram:SpecifiedLineTradeAgreement',
        'ram:NetPriceProductTradePrice',
        'ram:BasisQuantity',
      ),
    ).toEqual({ '#text': '1000000', '@unitCode': 'C62' });
  });

  it('states the grand total, the VAT breakdown at 20 % (category S), the period and the due date', async () => {
    const { cii } = await facturX(sampleInvoiceDocument());
    expect(totals(cii)).toEqual({
      'ram:LineTotalAmount': '4.97',
      'ram:TaxBasisTotalAmount': '4.97',
      'ram:TaxTotalAmount': { '#text': '0.99', '@currencyID': 'EUR' },
      'ram:GrandTotalAmount': '5.96',
      'ram:DuePayableAmount': '5.96',
    });
    expect(headerTax(cii)).toEqual([
      {
        'ram:CalculatedAmount': '0.99',
        'ram:TypeCode': 'VAT',
        'ram:BasisAmount': '4.97',
        'ram:CategoryCode': 'S',
        'ram:RateApplicablePercent': '20',
      },
    ]);
    expect(
      text(
        at(
          settlement(cii),
          'ram:BillingSpecifiedPeriod',
          'ram:StartDateTime',
          'udt:DateTimeString',
        ),
      ),
    ).toBe('20250301');
    expect(
      text(
        at(settlement(cii), 'ram:BillingSpecifiedPeriod', 'ram:EndDateTime', 'udt:DateTimeString'),
      ),
    ).toBe('20250331');
    expect(
      text(
        at(
          settlement(cii),
          'ram:SpecifiedTradePaymentTerms',
          'ram:DueDateDateTime',
          'udt:DateTimeString',
        ),
      ),
    ).toBe('20250501');
    expect(
      at(
        settlement(cii),
        'ram:SpecifiedTradeSettlementPaymentMeans',
        'ram:PayeePartyCreditorFinancialAccount',
        'ram:IBANID',
      ),
    ).toBe('FR7630006000011234567890189');
  });

  it('adds up as EN 16931 checks it (BR-CO-10, BR-CO-13, BR-CO-15, BR-S-09)', async () => {
    const { cii } = await facturX(sampleInvoiceDocument());
    const sum = lineItems(cii).reduce(
      (acc, i) =>
        acc.plus(
          at(
            i,
            'ram:SpecifiedLineTradeSettlement',
            'ram:SpecifiedTradeSettlementLineMonetarySummation',
            'ram:LineTotalAmount',
          ) as string,
        ),
      new Decimal(0),
    );
    expect(sum.toFixed(2)).toBe(at(totals(cii), 'ram:LineTotalAmount'));
    const tax = headerTax(cii)[0] ?? {};
    const basis = new Decimal(tax['ram:BasisAmount'] as string);
    expect(
      basis
        .times(tax['ram:RateApplicablePercent'] as string)
        .dividedBy(100)
        .toDecimalPlaces(2)
        .toFixed(2),
    ).toBe(tax['ram:CalculatedAmount']);
    expect(basis.plus(tax['ram:CalculatedAmount'] as string).toFixed(2)).toBe(
      at(totals(cii), 'ram:GrandTotalAmount'),
    );
  });

  it('carries the French mandatory mentions as notes with their subject codes', async () => {
    const { cii } = await facturX(sampleInvoiceDocument());
    const notes = at(cii, 'rsm:ExchangedDocument', 'ram:IncludedNote') as Xml[];
    expect(notes.map((n) => n['ram:SubjectCode'])).toEqual(['PMD', 'PMT', 'AAB']);
    expect(notes[1]?.['ram:Content']).toContain(
      'Indemnité forfaitaire pour frais de recouvrement de 40 €',
    );
    expect(at(settlement(cii), 'ram:SpecifiedTradePaymentTerms', 'ram:Description')).toBe(
      'paiement à 30 jours par virement bancaire',
    );
  });

  it('reverse-charges an EU business: category AE at 0 % with the exemption reason, both VAT numbers', async () => {
    const { cii, xml } = await facturX(
      sampleInvoiceDocument({
        buyer: {
          ...sampleBuyer,
          countryCode: 'DE',
          vatNumber: 'DE123456789',
          siren: undefined,
          email: 'rechnung@beispiel.example',
        },
      }),
    );
    expect(headerTax(cii)).toEqual([
      {
        'ram:CalculatedAmount': '0.00',
        'ram:TypeCode': 'VAT',
        'ram:ExemptionReason':
          'Autoliquidation : TVA due par le preneur (article 283-2 du CGI ; article 196 de la directive 2006/112/CE)',
        'ram:BasisAmount': '4.97',
        'ram:CategoryCode': 'AE',
        'ram:ExemptionReasonCode': 'VATEX-EU-AE',
        'ram:RateApplicablePercent': '0',
      },
    ]);
    expect(
      lineItems(cii).every(
        (i) =>
          at(
            i,
            'ram:SpecifiedLineTradeSettlement',
            'ram:ApplicableTradeTax',
            0,
            'ram:CategoryCode',
          ) === 'AE',
      ),
    ).toBe(true);
    expect(at(totals(cii), 'ram:GrandTotalAmount')).toBe('4.97');
    expect(xml).toContain('<ram:ID schemeID="VA">DE123456789</ram:ID>');
    expect(xml).toContain('<ram:URIID schemeID="EM">rechnung@beispiel.example</ram:URIID>');
  });

  it('uses category G with article 259-1 for a business outside the EU', async () => {
    const { cii } = await facturX(
      sampleInvoiceDocument({
        buyer: { ...sampleBuyer, countryCode: 'US', vatNumber: undefined, siren: undefined },
      }),
    );
    expect(headerTax(cii)[0]).toMatchObject({
      'ram:CategoryCode': 'G',
      'ram:ExemptionReasonCode': 'VATEX-EU-G',
      'ram:ExemptionReason': 'TVA non applicable, article 259-1 du CGI',
      'ram:CalculatedAmount': '0.00',
    });
  });

  it('writes a credit note as type 381 with positive amounts, referring to the invoice it corrects', async () => {
    const base = sampleInvoiceDocument();
    const { cii } = await facturX({
      ...base,
      meta: {
        ...base.meta,
        number: 'A-2025-000003',
        kind: 'credit_note',
        correctedInvoice: { number: 'F-2025-000042', issueDate: '2025-04-01' },
      },
      lines: base.lines.map((l) => ({ ...l, quantity: `-${l.quantity}` })),
    });
    expect(at(cii, 'rsm:ExchangedDocument', 'ram:TypeCode')).toBe('381');
    expect(at(totals(cii), 'ram:GrandTotalAmount')).toBe('5.96');
    expect(
      at(lineItems(cii)[0], 'ram:SpecifiedLineTradeDelivery', 'ram:BilledQuantity', '#text'),
    ).toBe('1234567');
    expect(at(settlement(cii), 'ram:InvoiceReferencedDocument', 'ram:IssuerAssignedID')).toBe(
      'F-2025-000042',
    );
    expect(
      text(
        at(
          settlement(cii),
          'ram:InvoiceReferencedDocument',
          'ram:FormattedIssueDateTime',
          'qdt:DateTimeString',
        ),
      ),
    ).toBe('20250401');
  });

  it('escapes what the XML cannot carry as is', async () => {
    const { cii, xml } = await facturX(
      sampleInvoiceDocument({ buyer: { ...sampleBuyer, name: 'Dupont & Fils <"SA">' } }),
    );
    expect(xml).toContain('Dupont &amp; Fils &lt;&quot;SA&quot;&gt;');
    expect(
      at(
        cii,
        'rsm:SupplyChainTradeTransaction',
        'ram:ApplicableHeaderTradeAgreement',
        'ram:BuyerTradeParty',
        'ram:Name',
      ),
    ).toBe('Dupont & Fils <"SA">');
  });

  it('refuses a draft and an invoice without lines', async () => {
    const draft = sampleInvoiceDocument();
    draft.meta = { ...draft.meta, number: null };
    await expect(facturX(draft)).rejects.toThrow(/draft/);
    await expect(facturX(sampleInvoiceDocument({ lines: [] }))).rejects.toThrow(
      /at least one line/,
    );
  });
});
