import { Decimal } from '@llmaas/pricing';

// How numbers and dates read on a French invoice. Built from decimal strings by hand: going through
// Intl.NumberFormat would turn money into a float first.

const nbsp = '\u00a0';

/** "1234567.5" → "1 234 567,5" (no-break spaces, so a number never wraps across two lines). */
export function formatDecimalFr(value: string): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction] = (negative ? value.slice(1) : value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, nbsp);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
}

/** An amount in euros, always with cents: "1 234,50 €". */
export function formatEurFr(amount: string): string {
  return `${formatDecimalFr(new Decimal(amount).toFixed(2))}${nbsp}€`;
}

/** A unit price keeps the decimals the price book gave it, at least cents: "0,000125 €", "1,80 €". */
export function formatUnitPriceFr(price: string): string {
  const value = new Decimal(price);
  return `${formatDecimalFr(value.toFixed(Math.max(2, value.decimalPlaces())))}${nbsp}€`;
}

/** A quantity as given, with no trailing zeros after the decimal point: "12,5", "1 234 567". */
export function formatQuantityFr(quantity: string): string {
  return formatDecimalFr(new Decimal(quantity).toFixed());
}

/** "2025-03-31" → "31/03/2025". */
export function formatDateFr(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** "2025-03" → "mars 2025". */
export function formatPeriodFr(period: string): string {
  const months = [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ];
  const [year, month] = period.split('-');
  return `${months[Number(month) - 1] ?? month} ${year}`;
}

const regionNames = new Intl.DisplayNames(['fr'], { type: 'region' });

/** "DE" → "Allemagne"; the code itself if the runtime does not know it. */
export function countryNameFr(countryCode: string): string {
  try {
    return regionNames.of(countryCode) ?? countryCode;
  } catch {
    return countryCode;
  }
}
