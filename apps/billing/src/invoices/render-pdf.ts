import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

import {
  countryNameFr,
  formatDateFr,
  formatEurFr,
  formatPeriodFr,
  formatQuantityFr,
  formatUnitPriceFr,
} from './french-format.js';
import { loadInvoiceFonts } from './invoice-fonts.js';
import type { Party } from './invoice-document.js';
import type { ComputedInvoice, ComputedLine, VatSubtotal } from './invoice-totals.js';

// The invoice as a person reads it: A4, in French, seller and buyer at the top, the lines in a
// table that continues over as many pages as it needs, then the totals and the mentions the law
// requires. Everything printed comes from the computed invoice; nothing here does arithmetic.

export interface RenderPdfOptions {
  /** The PDF's creation date; now by default. Fixed in tests so that renders are reproducible. */
  createdAt?: Date;
}

const pageSize: [number, number] = [595.28, 841.89]; // A4 in points
const left = 50;
const right = pageSize[0] - 50;
const top = pageSize[1] - 48;
const footerTop = 64; // content stops above the footer

const ink = rgb(0.1, 0.1, 0.12);
const muted = rgb(0.38, 0.38, 0.42);
const accent = rgb(0.1, 0.22, 0.45);
const rule = rgb(0.78, 0.79, 0.82);
const headerFill = rgb(0.93, 0.94, 0.96);

// Table columns: x of the left edge for text columns, of the right edge for numbers.
const col = {
  descriptionX: left,
  descriptionWidth: 176,
  quantityRight: 330,
  unitX: 340,
  unitWidth: 62,
  unitPriceRight: 462,
  amountRight: right,
};

export async function renderInvoicePdf(
  invoice: ComputedInvoice,
  options: RenderPdfOptions = {},
): Promise<Uint8Array> {
  const { pdf } = await buildInvoicePdf(invoice, options);
  return pdf.save();
}

/** What the document information says about the PDF; Factur-X repeats it in its XMP metadata. */
export interface InvoicePdfMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  creator: string;
  producer: string;
  /** Whole seconds: the PDF date format has no fractions, and PDF/A wants XMP to say the same. */
  createdAt: Date;
}

/** The invoice laid out, not yet saved, so that Factur-X can add to it before it is written. */
export async function buildInvoicePdf(
  invoice: ComputedInvoice,
  options: RenderPdfOptions = {},
): Promise<{ pdf: PDFDocument; metadata: InvoicePdfMetadata }> {
  const { meta, seller } = invoice.document;
  const files = await loadInvoiceFonts();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(files.regular, { subset: true });
  const bold = await pdf.embedFont(files.bold, { subset: true });

  const title = documentTitle(invoice);
  const createdAt = new Date(Math.floor((options.createdAt ?? new Date()).getTime() / 1000) * 1000);
  const metadata: InvoicePdfMetadata = {
    title: meta.number === null ? `${title} (projet)` : `${title} n° ${meta.number}`,
    author: seller.name,
    subject: `${title} ${seller.name}, ${formatPeriodFr(meta.period)}`,
    keywords: [title, meta.number ?? 'projet', meta.period],
    creator: 'llmaas billing',
    producer: 'llmaas billing (pdf-lib)',
    createdAt,
  };
  pdf.setTitle(metadata.title);
  pdf.setAuthor(metadata.author);
  pdf.setSubject(metadata.subject);
  pdf.setKeywords(metadata.keywords);
  pdf.setLanguage('fr-FR');
  pdf.setCreator(metadata.creator);
  pdf.setProducer(metadata.producer);
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);

  const writer = new PageWriter(pdf, { regular, bold }, continuationHeader(invoice));
  drawHeader(writer, invoice);
  drawLines(writer, invoice.lines);
  drawTotals(writer, invoice);
  drawPaymentAndMentions(writer, invoice);
  writer.drawFooters(footerLines(seller));
  return { pdf, metadata };
}

function documentTitle(invoice: ComputedInvoice): string {
  return invoice.document.meta.kind === 'credit_note' ? 'Avoir' : 'Facture';
}

function continuationHeader(invoice: ComputedInvoice): string {
  const { number } = invoice.document.meta;
  return `${documentTitle(invoice)}${number === null ? ' (projet)' : ` n° ${number}`} — suite`;
}

function drawHeader(w: PageWriter, invoice: ComputedInvoice): void {
  const { meta, seller, buyer } = invoice.document;
  const infoX = 315;

  // Seller, top left, kept clear of the right-hand column.
  const sellerWidth = infoX - left - 14;
  let y = top;
  for (const line of w.wrap(seller.name, 'bold', 15, sellerWidth)) {
    w.text(line, left, y, { font: 'bold', size: 15, color: accent });
    y -= 18;
  }
  const sellerLines: [string, RGB][] = [
    ...[...partyAddress(seller), seller.email ?? '']
      .filter((l) => l !== '')
      .map((l): [string, RGB] => [l, ink]),
    [
      `SIREN ${groupSiren(seller.siren)}${seller.registry === undefined ? '' : ` — ${seller.registry}`}`,
      muted,
    ],
    [`N° TVA intracommunautaire : ${seller.vatNumber}`, muted],
  ];
  for (const [text, color] of sellerLines) {
    for (const line of w.wrap(text, 'regular', 9, sellerWidth)) {
      w.text(line, left, y, { size: 9, color });
      y -= 12;
    }
  }
  y += 12;
  const sellerBottom = y;

  // Title and dates, top right.
  y = top;
  w.text(documentTitle(invoice).toUpperCase(), infoX, y - 4, {
    font: 'bold',
    size: 22,
    color: accent,
  });
  y -= 26;
  if (meta.number === null) {
    w.text('PROJET — non numéroté, sans valeur légale', infoX, y, {
      font: 'bold',
      size: 10,
      color: rgb(0.7, 0.1, 0.1),
    });
  } else {
    w.text(`N° ${meta.number}`, infoX, y, { font: 'bold', size: 11 });
  }
  y -= 17;
  const facts: [string, string][] = [
    ["Date d'émission", formatDateFr(meta.issueDate)],
    [
      'Période de service',
      `du ${formatDateFr(meta.serviceStart)} au ${formatDateFr(meta.serviceEnd)}`,
    ],
  ];
  if (meta.kind === 'invoice') facts.push(["Date d'échéance", formatDateFr(meta.dueDate)]);
  if (meta.correctedInvoice !== undefined) {
    facts.push([
      'Facture rectifiée',
      `n° ${meta.correctedInvoice.number} du ${formatDateFr(meta.correctedInvoice.issueDate)}`,
    ]);
  }
  const valueX =
    infoX + 6 + Math.max(...facts.map(([label]) => w.width(`${label} :`, 'regular', 9)));
  for (const [label, value] of facts) {
    w.text(`${label} :`, infoX, y, { size: 9, color: muted });
    for (const line of w.wrap(value, 'regular', 9, right - valueX)) {
      w.text(line, valueX, y, { size: 9 });
      y -= 12;
    }
  }

  // Buyer, in a box on the right, where a window envelope shows it.
  y = Math.min(y, sellerBottom) - 22;
  const boxTop = y;
  const buyerLines = [
    ...partyAddress(buyer),
    ...(buyer.vatNumber === undefined || buyer.vatNumber.trim() === ''
      ? []
      : [`N° TVA intracommunautaire : ${buyer.vatNumber}`]),
    ...(buyer.siren === undefined ? [] : [`SIREN ${groupSiren(buyer.siren)}`]),
  ];
  const nameLines = w.wrap(buyer.name, 'bold', 10.5, right - infoX - 20);
  const boxHeight = 22 + nameLines.length * 13 + buyerLines.length * 12 + 6;
  w.page.drawRectangle({
    x: infoX - 10,
    y: boxTop - boxHeight,
    width: right - infoX + 10,
    height: boxHeight,
    borderColor: rule,
    borderWidth: 0.8,
  });
  y = boxTop - 14;
  w.text(
    invoice.document.meta.kind === 'credit_note' ? 'Avoir au bénéfice de' : 'Facturé à',
    infoX,
    y,
    { size: 8, color: muted },
  );
  y -= 14;
  for (const line of nameLines) {
    w.text(line, infoX, y, { font: 'bold', size: 10.5 });
    y -= 13;
  }
  for (const line of buyerLines) {
    w.text(line, infoX, y, { size: 9 });
    y -= 12;
  }
  w.y = boxTop - boxHeight - 26;

  w.text(`Consommation du mois de ${formatPeriodFr(meta.period)} — montants en euros`, left, w.y, {
    size: 9,
    color: muted,
  });
  w.y -= 10;
}

function drawTableHeader(w: PageWriter): void {
  const height = 18;
  w.page.drawRectangle({
    x: left,
    y: w.y - height,
    width: right - left,
    height,
    color: headerFill,
  });
  const baseline = w.y - 12.5;
  const style = { font: 'bold', size: 8.5 } as const;
  w.text('Désignation', col.descriptionX + 4, baseline, style);
  w.text('Quantité', col.quantityRight, baseline, { ...style, align: 'right' });
  w.text('Unité', col.unitX, baseline, style);
  w.text('Prix unitaire HT', col.unitPriceRight, baseline, { ...style, align: 'right' });
  w.text('Montant HT', col.amountRight - 4, baseline, { ...style, align: 'right' });
  w.y -= height;
}

function drawLines(w: PageWriter, lines: ComputedLine[]): void {
  drawTableHeader(w);
  if (lines.length === 0) {
    w.y -= 16;
    w.text('Aucune consommation facturable sur la période.', col.descriptionX + 4, w.y, {
      size: 9,
      color: muted,
    });
    w.y -= 8;
  }
  for (const line of lines) {
    const description = w.wrap(line.description, 'regular', 9, col.descriptionWidth);
    const model = w.wrap(line.model, 'regular', 7.5, col.descriptionWidth);
    const unit = w.wrap(line.unit, 'regular', 8.5, col.unitWidth);
    const height =
      8 + Math.max(description.length * 11 + model.length * 9.5, unit.length * 10.5) + 2;
    if (w.ensureSpace(height)) drawTableHeader(w);

    let y = w.y - 13;
    const firstBaseline = y;
    for (const text of description) {
      w.text(text, col.descriptionX + 4, y, { size: 9 });
      y -= 11;
    }
    y += 1;
    for (const text of model) {
      w.text(text, col.descriptionX + 4, y, { size: 7.5, color: muted });
      y -= 9.5;
    }
    w.text(formatQuantityFr(line.quantity), col.quantityRight, firstBaseline, {
      size: 9,
      align: 'right',
    });
    unit.forEach((text, i) => w.text(text, col.unitX, firstBaseline - i * 10.5, { size: 8.5 }));
    w.text(formatUnitPriceFr(line.unitPriceEur), col.unitPriceRight, firstBaseline, {
      size: 9,
      align: 'right',
    });
    w.text(formatEurFr(line.amountEur), col.amountRight - 4, firstBaseline, {
      size: 9,
      align: 'right',
    });
    w.y -= height;
    w.page.drawLine({
      start: { x: left, y: w.y },
      end: { x: right, y: w.y },
      thickness: 0.5,
      color: rule,
    });
  }
}

function vatLabel(vat: VatSubtotal): string {
  switch (vat.category) {
    case 'S':
      return `TVA ${vat.ratePercent.replace('.', ',')} %`;
    case 'AE':
      return 'TVA (autoliquidation)';
    case 'G':
      return 'TVA non applicable';
  }
}

function drawTotals(w: PageWriter, invoice: ComputedInvoice): void {
  const labelX = 330;
  const rows: [string, string][] = [
    ['Total HT', invoice.subtotalEur],
    ...invoice.vatBreakdown.map((vat): [string, string] => [vatLabel(vat), vat.vatAmountEur]),
  ];
  const vatMention = invoice.mentions.find((m) => m.key === 'vat')?.text;
  const mentionLines =
    vatMention === undefined ? [] : w.wrap(vatMention, 'regular', 8.5, right - left);
  w.ensureSpace(20 + rows.length * 15 + 28 + mentionLines.length * 11 + 10);

  w.y -= 18;
  for (const [label, amount] of rows) {
    w.text(label, labelX, w.y, { size: 9.5 });
    w.text(formatEurFr(amount), right - 4, w.y, { size: 9.5, align: 'right' });
    w.y -= 15;
  }
  w.page.drawRectangle({
    x: labelX - 8,
    y: w.y - 9,
    width: right - labelX + 8,
    height: 22,
    color: headerFill,
  });
  const totalLabel =
    invoice.document.meta.kind === 'credit_note'
      ? "Total TTC de l'avoir"
      : 'Total TTC — net à payer';
  w.text(totalLabel, labelX, w.y, { font: 'bold', size: 10.5 });
  w.text(formatEurFr(invoice.totalEur), right - 4, w.y, {
    font: 'bold',
    size: 10.5,
    align: 'right',
  });
  w.y -= 30;
  for (const line of mentionLines) {
    w.text(line, left, w.y, { font: 'bold', size: 8.5 });
    w.y -= 11;
  }
}

function drawPaymentAndMentions(w: PageWriter, invoice: ComputedInvoice): void {
  const { meta, seller } = invoice.document;
  const paragraphs: { text: string; bold?: boolean }[] = [];
  if (meta.kind === 'invoice') {
    paragraphs.push({
      text: `À régler au plus tard le ${formatDateFr(meta.dueDate)}.`,
      bold: true,
    });
    if (seller.bankAccount !== undefined) {
      const { iban, bic } = seller.bankAccount;
      paragraphs.push({
        text: `Virement bancaire — IBAN : ${groupIban(iban)}${bic === undefined ? '' : ` — BIC : ${bic}`}`,
      });
      if (meta.number !== null) paragraphs.push({ text: `Référence à indiquer : ${meta.number}` });
    }
  }
  for (const mention of invoice.mentions) {
    // The VAT mention is printed under the totals; the corrected invoice in the header.
    if (mention.key === 'vat' || mention.key === 'corrected_invoice') continue;
    paragraphs.push({ text: mention.text });
  }

  // The block is short: kept on one page, so that no condition is read apart from the others.
  const wrapped = paragraphs.map((p) => {
    const font: FontName = p.bold === true ? 'bold' : 'regular';
    return { font, lines: w.wrap(p.text, font, 8.5, right - left) };
  });
  w.y -= 8;
  w.ensureSpace(14 + wrapped.reduce((h, p) => h + p.lines.length * 11 + 3, 0));
  w.text(meta.kind === 'invoice' ? 'Règlement et conditions' : 'Conditions', left, w.y, {
    font: 'bold',
    size: 9.5,
    color: accent,
  });
  w.y -= 14;
  for (const { font, lines } of wrapped) {
    for (const line of lines) {
      w.text(line, left, w.y, { font, size: 8.5 });
      w.y -= 11;
    }
    w.y -= 3;
  }
}

function footerLines(seller: ComputedInvoice['document']['seller']): string[] {
  const identity = [
    seller.name,
    seller.legalForm === undefined
      ? undefined
      : `${seller.legalForm}${seller.shareCapital === undefined ? '' : ` au capital de ${seller.shareCapital}`}`,
    `SIREN ${groupSiren(seller.siren)}${seller.registry === undefined ? '' : ` ${seller.registry}`}`,
    `TVA ${seller.vatNumber}`,
  ];
  return [
    identity.filter((p) => p !== undefined).join(' — '),
    [...seller.addressLines, `${seller.postcode} ${seller.city}`].join(', '),
  ];
}

function partyAddress(party: Party): string[] {
  return [
    ...party.addressLines,
    `${party.postcode} ${party.city}`,
    countryNameFr(party.countryCode),
  ];
}

function groupSiren(siren: string): string {
  return /^\d{9}$/.test(siren) ? siren.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3') : siren;
}

function groupIban(iban: string): string {
  return iban.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

type FontName = 'regular' | 'bold';

interface TextStyle {
  font?: FontName;
  size: number;
  color?: RGB;
  align?: 'left' | 'right' | 'center';
}

/** Pages, a cursor going down them, and text that only uses glyphs the font has. */
class PageWriter {
  readonly pages: PDFPage[] = [];
  page: PDFPage;
  y = top;
  private readonly glyphs: Set<number>;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Record<FontName, PDFFont>,
    private readonly continuation: string,
  ) {
    const bold = new Set(fonts.bold.getCharacterSet());
    this.glyphs = new Set(fonts.regular.getCharacterSet().filter((c) => bold.has(c)));
    this.page = this.addPage();
  }

  /** Starts a new page when fewer than `height` points are left; says whether it did. */
  ensureSpace(height: number): boolean {
    if (this.y - height >= footerTop) return false;
    this.page = this.addPage();
    this.text(this.continuation, left, top, { font: 'bold', size: 10, color: accent });
    this.y = top - 22;
    return true;
  }

  width(value: string, font: FontName, size: number): number {
    return this.fonts[font].widthOfTextAtSize(this.printable(value), size);
  }

  text(value: string, x: number, y: number, style: TextStyle): void {
    const font = this.fonts[style.font ?? 'regular'];
    const text = this.printable(value);
    const width = font.widthOfTextAtSize(text, style.size);
    const align = style.align ?? 'left';
    const at = align === 'right' ? x - width : align === 'center' ? x - width / 2 : x;
    this.page.drawText(text, { x: at, y, size: style.size, font, color: style.color ?? ink });
  }

  /** Breaks text into lines no wider than maxWidth, at spaces, or inside a word too long to fit. */
  wrap(value: string, fontName: FontName, size: number, maxWidth: number): string[] {
    const font = this.fonts[fontName];
    const fits = (s: string): boolean => font.widthOfTextAtSize(s, size) <= maxWidth;
    const lines: string[] = [];
    for (const paragraph of value.split(/\r?\n/)) {
      let line = '';
      for (const word of this.printable(paragraph)
        .split(' ')
        .filter((x) => x !== '')) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line !== '') lines.push(line);
        line = '';
        for (const char of word) {
          if (!fits(line + char) && line !== '') {
            lines.push(line);
            line = '';
          }
          line += char;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  drawFooters(lines: string[]): void {
    const count = this.pages.length;
    this.pages.forEach((page, index) => {
      this.page = page;
      page.drawLine({
        start: { x: left, y: footerTop - 14 },
        end: { x: right, y: footerTop - 14 },
        thickness: 0.5,
        color: rule,
      });
      let y = footerTop - 26;
      for (const line of lines) {
        for (const wrapped of this.wrap(line, 'regular', 7, right - left - 60)) {
          this.text(wrapped, left, y, { size: 7, color: muted });
          y -= 9;
        }
      }
      this.text(`Page ${index + 1} / ${count}`, right, footerTop - 26, {
        size: 7,
        color: muted,
        align: 'right',
      });
    });
  }

  private addPage(): PDFPage {
    const page = this.pdf.addPage(pageSize);
    this.pages.push(page);
    return page;
  }

  // Control characters become spaces and characters DejaVu lacks a question mark: a glyph the
  // font does not have would print as an empty box, and breaks PDF/A (no .notdef references).
  private printable(value: string): string {
    let out = '';
    for (const char of value) {
      const code = char.codePointAt(0) ?? 0;
      out += code < 0x20 || code === 0x7f ? ' ' : this.glyphs.has(code) ? char : '?';
    }
    return out;
  }
}
