// Money arrives as decimal strings ("0.0026666667"): summed exactly in integer units of 1e-10 €,
// never as floats, so a total of many small amounts is the platform's own to the last digit.
const SCALE = 10;
const UNIT = 10n ** BigInt(SCALE);

export function toUnits(value: string): bigint {
  const text = value.trim();
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const units =
    BigInt(whole || '0') * UNIT + BigInt((fraction + '0'.repeat(SCALE)).slice(0, SCALE) || '0');
  return negative ? -units : units;
}

export function sumDecimals(values: readonly string[]): bigint {
  return values.reduce((sum, v) => sum + toUnits(v), 0n);
}

/** Rounded half away from zero to `digits` decimals, as a string ("12.35"). */
export function unitsToFixed(units: bigint, digits = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const step = 10n ** BigInt(SCALE - digits);
  const rounded = (abs + step / 2n) / step;
  const base = 10n ** BigInt(digits);
  const whole = rounded / base;
  const fraction = digits > 0 ? `.${(rounded % base).toString().padStart(digits, '0')}` : '';
  return `${negative && rounded !== 0n ? '-' : ''}${whole.toString()}${fraction}`;
}

/** For charts only: a float is fine to draw with. */
export const unitsToNumber = (units: bigint): number => Number(units) / Number(UNIT);
