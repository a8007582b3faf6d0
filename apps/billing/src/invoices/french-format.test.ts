import { describe, expect, it } from 'vitest';

import {
  countryNameFr,
  formatDateFr,
  formatDecimalFr,
  formatEurFr,
  formatPeriodFr,
  formatQuantityFr,
  formatUnitPriceFr,
} from './french-format.js';

const nb = '\u00a0';

describe('French formatting', () => {
  it('groups thousands with no-break spaces and uses a decimal comma', () => {
    expect(formatDecimalFr('1234567.5')).toBe(`1${nb}234${nb}567,5`);
    expect(formatDecimalFr('-1000')).toBe(`-1${nb}000`);
    expect(formatDecimalFr('999')).toBe('999');
  });

  it('writes amounts with cents, unit prices with their own decimals, quantities without trailing zeros', () => {
    expect(formatEurFr('1234.5')).toBe(`1${nb}234,50${nb}€`);
    expect(formatEurFr('-0.08')).toBe(`-0,08${nb}€`);
    expect(formatUnitPriceFr('1.8')).toBe(`1,80${nb}€`);
    expect(formatUnitPriceFr('0.000125')).toBe(`0,000125${nb}€`);
    expect(formatQuantityFr('12.500')).toBe('12,5');
    expect(formatQuantityFr('1234567')).toBe(`1${nb}234${nb}567`);
  });

  it('writes dates, months and countries in French', () => {
    expect(formatDateFr('2025-03-31')).toBe('31/03/2025');
    expect(formatPeriodFr('2025-08')).toBe('août 2025');
    expect(countryNameFr('DE')).toBe('Allemagne');
    expect(countryNameFr('AA')).toBe('AA');
  });
});
