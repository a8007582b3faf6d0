import { formatDateFr } from './french-format.js';
import type { Buyer, InvoiceMeta } from './invoice-document.js';
import type { VatTreatment } from './vat-treatment.js';

// The mentions French law requires on a B2B invoice (article 242 nonies A de l'annexe II au CGI,
// article L441-9 du Code de commerce), as data: the PDF prints them, the Factur-X XML carries them
// as notes, the JSON keeps them, so all renderings say the same thing.

export type MentionKey =
  | 'vat'
  | 'corrected_invoice'
  | 'payment_terms'
  | 'late_payment_penalty'
  | 'recovery_fee'
  | 'early_payment_discount';

export interface LegalMention {
  key: MentionKey;
  text: string;
}

export const defaultLatePaymentPenalty =
  "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de la date d'échéance (article L441-10 du Code de commerce)";

export const recoveryFeeMention =
  'Indemnité forfaitaire pour frais de recouvrement de 40 € due en cas de retard de paiement (articles L441-10 et D441-5 du Code de commerce)';

export const noEarlyPaymentDiscountMention = "Pas d'escompte pour paiement anticipé";

export function legalMentions(meta: InvoiceMeta, buyer: Buyer, vat: VatTreatment): LegalMention[] {
  const mentions: LegalMention[] = [];
  if (vat.mention !== undefined) mentions.push({ key: 'vat', text: vat.mention });
  if (meta.kind === 'credit_note' && meta.correctedInvoice !== undefined) {
    const { number, issueDate } = meta.correctedInvoice;
    mentions.push({
      key: 'corrected_invoice',
      text: `Avoir relatif à la facture n° ${number} du ${formatDateFr(issueDate)}`,
    });
  }
  mentions.push({ key: 'payment_terms', text: `Conditions de paiement : ${meta.paymentTerms}` });
  // The penalty and the 40 € fee of L441-10 exist only between professionals; a consumer is owed
  // neither mention (and could not be charged either).
  if (buyer.isBusiness ?? true) {
    mentions.push({
      key: 'late_payment_penalty',
      text: meta.latePaymentPenalty ?? defaultLatePaymentPenalty,
    });
    mentions.push({ key: 'recovery_fee', text: recoveryFeeMention });
  }
  mentions.push({ key: 'early_payment_discount', text: noEarlyPaymentDiscountMention });
  return mentions;
}
