import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';

import type { InvoiceDocument, InvoiceLine } from './invoice-document.js';
import { computeInvoice } from './invoice-totals.js';
import { renderInvoicePdf } from './render-pdf.js';
import { sampleBuyer, sampleInvoiceDocument, sampleLines } from './sample-invoice.js';

/**
 * The text of each page, as a PDF reader extracts it (so through the fonts' Unicode maps), with
 * runs of white space (no-break spaces included) made one space.
 */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await pdf.destroy();
  return pages;
}

async function render(
  doc: InvoiceDocument,
): Promise<{ bytes: Uint8Array; text: string; pages: string[] }> {
  const bytes = await renderInvoicePdf(computeInvoice(doc), {
    createdAt: new Date('2025-04-01T08:00:00Z'),
  });
  const pages = await pageTexts(bytes);
  return { bytes, text: pages.join('\n'), pages };
}

const creditNote = (doc: InvoiceDocument): InvoiceDocument => ({
  ...doc,
  meta: {
    ...doc.meta,
    number: 'A-2025-000003',
    kind: 'credit_note',
    correctedInvoice: { number: 'F-2025-000042', issueDate: '2025-04-01' },
  },
  lines: doc.lines.map((l) => ({ ...l, quantity: `-${l.quantity}` })),
});

describe('renderInvoicePdf', () => {
  it('writes a one-page A4 PDF with the invoice number, the lines and the totals', async () => {
    const { bytes, text, pages } = await render(sampleInvoiceDocument());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(pdf.getPages().map((p) => p.getSize())).toEqual([{ width: 595.28, height: 841.89 }]);
    expect(pdf.getTitle()).toBe('Facture n° F-2025-000042');
    expect(pages).toHaveLength(1);

    expect(text).toContain('FACTURE');
    expect(text).toContain('N° F-2025-000042');
    expect(text).toContain("Date d'émission : 01/04/2025");
    expect(text).toContain('du 01/03/2025 au 31/03/2025');
    expect(text).toContain("Date d'échéance : 01/05/2025");
    for (const amount of ['2,22 €', '2,67 €', '0,08 €', '4,97 €', '0,99 €', '5,96 €'])
      expect(text).toContain(amount);
    expect(text).toContain('1 234 567');
    expect(text).toContain('0,006 €');
    expect(text).toContain('Total TTC');
  });

  it('prints both parties with their identifiers, accents intact', async () => {
    const { text } = await render(sampleInvoiceDocument());
    expect(text).toContain('LLMaaS SAS');
    expect(text).toContain('N° TVA intracommunautaire : FR44732829320');
    expect(text).toContain('SIREN 732 829 320');
    expect(text).toContain('SAS au capital de 10 000 €');
    expect(text).toContain('Société Générale d’Écriture');
    expect(text).toContain('N° TVA intracommunautaire : FR96552100554');
    expect(text).toContain('Bâtiment B');
  });

  it('prints the mandatory mentions and the bank details', async () => {
    const { text } = await render(sampleInvoiceDocument());
    const computed = computeInvoice(sampleInvoiceDocument());
    for (const mention of computed.mentions) expect(text).toContain(mention.text);
    expect(text).toContain('IBAN : FR76 3000 6000 0112 3456 7890 189');
  });

  it('prints the reverse-charge mention for an EU business', async () => {
    const { text } = await render(
      sampleInvoiceDocument({
        buyer: {
          ...sampleBuyer,
          countryCode: 'DE',
          vatNumber: 'DE123456789',
          name: 'Beispiel GmbH',
        },
      }),
    );
    expect(text).toContain('Allemagne');
    expect(text).toContain('TVA (autoliquidation)');
    expect(text).toContain(
      'Autoliquidation : TVA due par le preneur (article 283-2 du CGI ; article 196 de la directive 2006/112/CE)',
    );
    expect(text).toContain('4,97 €');
  });

  it('titles a credit note "Avoir", names the invoice it corrects and shows negative amounts', async () => {
    const { text } = await render(creditNote(sampleInvoiceDocument()));
    expect(text).toContain('AVOIR');
    expect(text).toContain('N° A-2025-000003');
    expect(text).toContain('Facture rectifiée : n° F-2025-000042 du 01/04/2025');
    expect(text).toContain('-5,96 €');
    expect(text).not.toContain('À régler');
  });

  it('marks a draft as such instead of inventing a number', async () => {
    const doc = sampleInvoiceDocument();
    doc.meta = { ...doc.meta, number: null };
    const { text } = await render(doc);
    expect(text).toContain('PROJET');
  });

  it('continues the table over pages, every line once, totals at the end, each page numbered', async () => {
    const lines: InvoiceLine[] = Array.from({ length: 70 }, (_, i) => ({
      ...(sampleLines[i % 3] as InvoiceLine),
      model: `modele-${String(i + 1).padStart(2, '0')}`,
    }));
    const { pages } = await render(sampleInvoiceDocument({ lines }));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} / ${pages.length}`));
    for (let i = 1; i <= 70; i += 1) {
      const model = `modele-${String(i).padStart(2, '0')}`;
      expect(pages.filter((p) => p.includes(model))).toHaveLength(1);
    }
    pages.slice(1).forEach((page) => expect(page).toContain('Facture n° F-2025-000042 — suite'));
    expect(pages.filter((p) => p.includes('Total TTC'))).toHaveLength(1);
  });

  it('embeds its fonts and prints characters they lack as "?"', async () => {
    const { bytes, text } = await render(
      sampleInvoiceDocument({ buyer: { ...sampleBuyer, name: '株式会社 Tokyo' } }),
    );
    expect(text).toContain('???? Tokyo');
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    const descriptors = pdf.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter(
        (o): o is PDFDict =>
          o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'),
      );
    expect(descriptors).toHaveLength(2);
    for (const descriptor of descriptors)
      expect(descriptor.has(PDFName.of('FontFile2'))).toBe(true);
  });
});
