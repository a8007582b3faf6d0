import { Decimal } from 'decimal.js';

// Our own Decimal constructor: the library default (20 significant digits) could round a product
// of a large token count and a 10-decimal price before we decide how to round it; 60 digits cannot.
// HALF_UP in decimal.js rounds half away from zero, so a credit note (negative quantities) rounds
// to exactly the opposite of the invoice it cancels.
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const decimalPattern = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string strictly: no exponent, no spaces, no thousands separators, no floats. */
export function parseDecimal(value: string, what: string): Decimal {
  if (!decimalPattern.test(value)) {
    throw new InvoiceDocumentError(
      `${what}: expected a decimal string, got ${JSON.stringify(value)}`,
    );
  }
  return new Dec(value);
}

/** Rounds to the cent, half up (0.005 → 0.01, −0.005 → −0.01), as French invoices are rounded. */
export function toCents(value: Decimal): Decimal {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The canonical text of an amount in euros: two decimals, a point, no sign for zero. */
export function formatCents(value: Decimal): string {
  const cents = toCents(value);
  return (cents.isZero() ? new Dec(0) : cents).toFixed(2);
}

export class InvoiceDocumentError extends Error {
  override readonly name = 'InvoiceDocumentError';
}
