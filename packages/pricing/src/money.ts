import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one decimal type for money: 40 significant digits (a token costs 0.0000018 €; a year of a
 * large tenant is millions of euros, both exact), rounding half-up where we round at all.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export const ZERO = new Decimal(0);

/** To the cent, half-up (0.005 → 0.01): how invoice lines and VAT are rounded. */
export const toCents = (amount: Decimal): Decimal => amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

/** A decimal as the plain string the contracts carry (no exponent, no float). */
export const decimalText = (amount: Decimal): string => amount.toFixed();

export const sum = (amounts: readonly Decimal[]): Decimal => amounts.reduce((a, b) => a.plus(b), ZERO);
