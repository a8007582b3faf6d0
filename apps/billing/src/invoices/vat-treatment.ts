import type { Buyer } from './invoice-document.js';

// The seller is a French company selling services; where those services are taxed, and so whether
// French VAT is charged, depends on who the buyer is (articles 259 and 259 B du CGI).

/** UNTDID 5305 VAT category codes, as EN 16931 uses them. */
export type VatCategory = 'S' | 'AE' | 'G';

export type VatTreatmentKind =
  /** French VAT at the standard rate. */
  | 'fr_standard'
  /** Intra-community B2B service: the buyer self-assesses VAT in its own country. */
  | 'eu_reverse_charge'
  /** Service whose place of supply is outside the EU: no French VAT. */
  | 'outside_eu';

export interface VatTreatment {
  kind: VatTreatmentKind;
  category: VatCategory;
  /** Percent, as a decimal string. */
  ratePercent: string;
  /** CEF VATEX code for a zero-rated category (EN 16931 BT-121). */
  exemptionReasonCode?: string;
  /** The legal mention printed on the invoice and sent as the exemption reason (BT-120). */
  mention?: string;
}

/** Taux normal, article 278 du CGI. */
export const frenchStandardVatRate = '20';

// Member states on 1 January 2025, by ISO 3166-1 code (Greece is GR here, EL only in VAT numbers).
const euMemberStates = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

// Monaco belongs to the French VAT territory (Franco-Monegasque convention of 18 May 1963), so a
// Monegasque buyer is taxed as a French one. The French overseas departments, which have VAT rules
// of their own, are not handled here: they fall under "outside the EU", which is only right for B2B.
const frenchVatTerritory = new Set(['FR', 'MC']);

export function isEuMemberState(countryCode: string): boolean {
  return euMemberStates.has(countryCode);
}

export const reverseChargeMention =
  'Autoliquidation : TVA due par le preneur (article 283-2 du CGI ; article 196 de la directive 2006/112/CE)';
export const outsideEuBusinessMention = 'TVA non applicable, article 259-1 du CGI';
export const outsideEuConsumerMention = 'TVA non applicable, article 259 B du CGI';

export function vatTreatmentFor(buyer: Buyer): VatTreatment {
  const country = buyer.countryCode;
  const isBusiness = buyer.isBusiness ?? true;
  const hasVatNumber = (buyer.vatNumber ?? '').trim() !== '';
  const standard: VatTreatment = {
    kind: 'fr_standard',
    category: 'S',
    ratePercent: frenchStandardVatRate,
  };

  if (frenchVatTerritory.has(country)) return standard;

  if (isEuMemberState(country)) {
    // Reverse charge needs a business that can self-assess, which the VAT number proves; without
    // one (a consumer, or a business we cannot identify) the service is taxed in France.
    // Selling electronic services to EU consumers above the 10 000 € yearly threshold would move
    // their VAT to the consumer's country (OSS); tenants are businesses, so that is not handled.
    if (isBusiness && hasVatNumber) {
      return {
        kind: 'eu_reverse_charge',
        category: 'AE',
        ratePercent: '0',
        exemptionReasonCode: 'VATEX-EU-AE',
        mention: reverseChargeMention,
      };
    }
    return standard;
  }

  // Outside the EU the service is supplied where the buyer is: for a business by the general B2B
  // rule (259-1), for a consumer because electronically supplied services follow the consumer
  // (259 B). EN 16931 category G ("export outside the EU") rather than O ("not subject to VAT"):
  // rule BR-O-02 forbids the seller VAT number on an O invoice, and a French invoice must carry it.
  return {
    kind: 'outside_eu',
    category: 'G',
    ratePercent: '0',
    exemptionReasonCode: 'VATEX-EU-G',
    mention: isBusiness ? outsideEuBusinessMention : outsideEuConsumerMention,
  };
}
