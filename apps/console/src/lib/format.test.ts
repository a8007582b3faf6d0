import { describe, expect, it } from 'vitest';

import { niceTicks, labelIndexes } from './chart-scale';
import { toUnits, unitsToFixed } from './decimal';
import { daysBetween, formatEuros, formatMiB, formatMs } from './format';
import { isInferenceAction, throughputPerMinute } from './throughput';

describe('decimal money', () => {
  it('reads decimal strings exactly and rounds half away from zero', () => {
    expect(toUnits('0.0026666667')).toBe(26_666_667n);
    expect(unitsToFixed(toUnits('5.885'))).toBe('5.89');
    expect(unitsToFixed(toUnits('-0.004'))).toBe('0.00');
    expect(unitsToFixed(toUnits('-1.005'))).toBe('-1.01');
  });
});

describe('formatting', () => {
  it('writes durations in ms, or s from a second', () => {
    expect(formatMs(0.4)).toBe('0.4 ms');
    expect(formatMs(312.26)).toBe('312 ms');
    expect(formatMs(2345)).toBe('2.35 s');
  });

  it('keeps sub-cent amounts readable', () => {
    expect(formatEuros('0.000192')).toBe('€0.00019');
    expect(formatEuros('1234.5')).toBe('€1,234.50');
  });
  it('writes VRAM in GiB from 1 GiB', () => {
    expect(formatMiB(81559)).toBe('79.6 GiB');
    expect(formatMiB(573)).toBe('573 MiB');
  });
  it('lists the days of a range, both ends included', () => {
    expect(daysBetween('2026-10-30', '2026-11-02')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    expect(daysBetween('2026-11-02', '2026-11-01')).toEqual([]);
  });
});

describe('chart scales', () => {
  it('rounds the axis up to a round step', () => {
    expect(niceTicks(87)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
  });
  it('spreads labels and keeps both ends', () => {
    expect(labelIndexes(3, 6)).toEqual([0, 1, 2]);
    expect(labelIndexes(31, 4)).toEqual([0, 10, 20, 30]);
  });
});

describe('throughput from the audit trail', () => {
  it('buckets inference requests per minute, with tokens and errors', () => {
    const now = new Date('2026-11-27T10:05:30Z');
    const rec = (at: string, action: string, httpStatus: number, tokens: number | null) => ({
      at,
      action,
      httpStatus,
      tokens,
    });
    const buckets = throughputPerMinute(
      [
        rec('2026-11-27T10:05:10Z', 'POST /v1/chat/completions', 200, 12),
        rec('2026-11-27T10:05:20Z', 'POST /v1/embeddings', 429, null),
        rec('2026-11-27T10:04:59Z', 'POST /v1/chat/completions', 200, 3),
        rec('2026-11-27T10:05:00Z', 'GET /admin/v1/tenants/:tenantId/keys', 200, null),
        rec('2026-11-27T08:00:00Z', 'POST /v1/chat/completions', 200, 5),
      ],
      now,
      3,
    );
    expect(buckets.map((b) => [b.minute.slice(11, 16), b.requests, b.tokens, b.errors])).toEqual([
      ['10:03', 0, 0, 0],
      ['10:04', 1, 3, 0],
      ['10:05', 2, 12, 1],
    ]);
    expect(isInferenceAction('POST /v1/files')).toBe(false);
  });
});
