import { Decimal, toCents } from '@llmaas/pricing';

// The platform's one money type (@llmaas/pricing: 40 significant digits, half-up). HALF_UP in
// decimal.js rounds half away from zero, so a credit note (negative quantities) rounds to exactly
// the opposite of the invoice it cancels.
export { toCents };

const decimalPattern = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string strictly: no exponent, no spaces, no thousands separators, no floats. */
export function parseDecimal(value: string, what: string): Decimal {
  if (!decimalPattern.test(value)) {
    throw new InvoiceDocumentError(
      `${what}: expected a decimal string, got ${JSON.stringify(value)}`,
    );
  }
  return new Decimal(value);
}

/** The canonical text of an amount in euros: two decimals, a point, no sign for zero. */
export function formatCents(value: Decimal): string {
  const cents = toCents(value);
  return (cents.isZero() ? new Decimal(0) : cents).toFixed(2);
}

export class InvoiceDocumentError extends Error {
  override readonly name = 'InvoiceDocumentError';
}
