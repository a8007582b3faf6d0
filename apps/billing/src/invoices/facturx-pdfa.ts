import { createHash } from 'node:crypto';

import { AFRelationship, PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib';

import type { InvoicePdfMetadata } from './render-pdf.js';
import { srgbIccProfile } from './srgb-icc-profile.js';
import { escapeXml } from './xml-writer.js';

// Turns the invoice PDF into a Factur-X one: a PDF/A-3b with the CII XML attached. What PDF/A-3
// asks beyond what the PDF already has (fonts embedded, no transparency, no encryption):
// - the XML as an associated file (/AF of the catalog) with its MIME type and dates;
// - XMP metadata that says "PDF/A-3B" and repeats the document information word for word, plus
//   the Factur-X properties, themselves declared by a PDF/A extension schema;
// - an output intent with an ICC profile, because the pages paint in DeviceRGB;
// - a file identifier in the trailer.

export const facturXFileName = 'factur-x.xml';
export const facturXConformanceLevel = 'EN 16931';

export async function makeFacturXPdfA3(
  pdf: PDFDocument,
  xml: string,
  metadata: InvoicePdfMetadata,
): Promise<void> {
  const xmlBytes = new TextEncoder().encode(xml);
  // Data: the XML carries the same invoice as the pages, for machines; the relationship the
  // Factur-X specification uses in France (Germany's ZUGFeRD says Alternative; both are accepted).
  await pdf.attach(xmlBytes, facturXFileName, {
    mimeType: 'text/xml',
    description: `Factur-X ${facturXConformanceLevel}`,
    creationDate: metadata.createdAt,
    modificationDate: metadata.createdAt,
    afRelationship: AFRelationship.Data,
  });

  const context = pdf.context;
  const profile = context.register(context.flateStream(srgbIccProfile(), { N: 3 }));
  const outputIntent = context.register(
    context.obj({
      Type: 'OutputIntent',
      S: 'GTS_PDFA1',
      OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
      Info: PDFString.of('sRGB IEC61966-2.1'),
      DestOutputProfile: profile,
    }),
  );
  pdf.catalog.set(PDFName.of('OutputIntents'), context.obj([outputIntent]));

  // The metadata stream stays uncompressed, so that tools that only scan for XMP find it.
  const xmp = context.stream(new TextEncoder().encode(xmpMetadata(metadata)), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  pdf.catalog.set(PDFName.of('Metadata'), context.register(xmp));

  const id = PDFHexString.of(
    createHash('md5').update(xml).update(metadata.createdAt.toISOString()).digest('hex'),
  );
  context.trailerInfo.ID = context.obj([id, id]);
}

/** The XMP packet; every value repeats the document information dictionary, as PDF/A requires. */
export function xmpMetadata(metadata: InvoicePdfMetadata): string {
  const date = metadata.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const text = escapeXml;
  const property = (name: string, valueType: string, description: string): string => `
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>${valueType}</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
  return `<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${text(metadata.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>${text(metadata.author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${text(metadata.subject)}</rdf:li></rdf:Alt></dc:description>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${text(metadata.producer)}</pdf:Producer>
      <pdf:Keywords>${text(metadata.keywords.join(' '))}</pdf:Keywords>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${text(metadata.creator)}</xmp:CreatorTool>
      <xmp:CreateDate>${date}</xmp:CreateDate>
      <xmp:ModifyDate>${date}</xmp:ModifyDate>
      <xmp:MetadataDate>${date}</xmp:MetadataDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>${property('DocumentFileName', 'Text', 'The name of the embedded XML document')}${property('DocumentType', 'Text', 'The type of the hybrid document in capital letters, e.g. INVOICE or ORDER')}${property('Version', 'Text', 'The actual version of the standard applying to the embedded XML document')}${property('ConformanceLevel', 'Text', 'The conformance level of the embedded XML document')}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${facturXFileName}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${facturXConformanceLevel}</fx:ConformanceLevel>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
