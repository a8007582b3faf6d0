import { databaseEnv } from '@llmaas/config';
import { type BaseConfig } from '@llmaas/service-kit';
import { z } from 'zod';

import { type Seller } from './invoices/index.js';

export const billingEnv = {
  ...databaseEnv,
  BILLING_SELLER_NAME: z.string().min(1).describe("The operator's legal name, printed on every invoice"),
  BILLING_SELLER_ADDRESS: z.string().min(1).describe("The operator's street address"),
  BILLING_SELLER_POSTCODE: z.string().min(1),
  BILLING_SELLER_CITY: z.string().min(1),
  BILLING_SELLER_COUNTRY: z.string().regex(/^[A-Z]{2}$/).default('FR'),
  BILLING_SELLER_VAT: z.string().regex(/^[A-Z]{2}[A-Z0-9]{2,13}$/).describe("The operator's intra-community VAT number"),
  BILLING_SELLER_SIREN: z.string().regex(/^\d{9}$/).describe("The operator's SIREN (9 digits)"),
  BILLING_SELLER_LEGAL_FORM: z.string().default('SAS'),
  BILLING_SELLER_CAPITAL: z.string().optional().describe('Share capital as printed, e.g. "10 000 €"'),
  BILLING_SELLER_REGISTRY: z.string().default('RCS Paris'),
  BILLING_SELLER_EMAIL: z.email().optional(),
  BILLING_SELLER_IBAN: z.string().regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/).optional().describe('Where customers pay by transfer'),
  BILLING_SELLER_BIC: z.string().optional(),
};

export type BillingConfig = z.infer<z.ZodObject<typeof billingEnv>> & BaseConfig;

export function sellerOf(config: BillingConfig): Seller {
  return {
    name: config.BILLING_SELLER_NAME,
    addressLines: [config.BILLING_SELLER_ADDRESS],
    postcode: config.BILLING_SELLER_POSTCODE,
    city: config.BILLING_SELLER_CITY,
    countryCode: config.BILLING_SELLER_COUNTRY,
    vatNumber: config.BILLING_SELLER_VAT,
    siren: config.BILLING_SELLER_SIREN,
    legalForm: config.BILLING_SELLER_LEGAL_FORM,
    registry: config.BILLING_SELLER_REGISTRY,
    ...(config.BILLING_SELLER_CAPITAL ? { shareCapital: config.BILLING_SELLER_CAPITAL } : {}),
    ...(config.BILLING_SELLER_EMAIL ? { email: config.BILLING_SELLER_EMAIL } : {}),
    ...(config.BILLING_SELLER_IBAN ? { bankAccount: { iban: config.BILLING_SELLER_IBAN, ...(config.BILLING_SELLER_BIC ? { bic: config.BILLING_SELLER_BIC } : {}) } } : {}),
  };
}
