import { describe, expect, it } from 'vitest';

import { latencyPerMinute, percentile } from './latency';

describe('percentile', () => {
  it('is null for no values and the value itself for one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 95)).toBe(42);
  });

  it('interpolates between the closest ranks, whatever the input order', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5], 100)).toBe(5);
    // rank 0.95 × 19 = 18.05: between the 19th (19) and 20th (20) values.
    const hundred = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(hundred, 95)).toBeCloseTo(19.05, 10);
    expect(percentile([10, 1000], 95)).toBeCloseTo(950.5, 10);
  });

  it('clamps p to 0–100 and does not sort its input in place', () => {
    const values = [3, 1, 2];
    expect(percentile(values, 150)).toBe(3);
    expect(percentile(values, -5)).toBe(1);
    expect(values).toEqual([3, 1, 2]);
    expect(percentile(values, Number.NaN)).toBeNull();
  });
});

describe('latency per minute', () => {
  it('takes p50 and p95 of the inference requests with a latency, per minute', () => {
    const now = new Date('2026-11-27T10:05:30Z');
    const rec = (at: string, action: string, latencyMs: number | null) => ({
      at,
      action,
      latencyMs,
    });
    const buckets = latencyPerMinute(
      [
        rec('2026-11-27T10:05:01Z', 'POST /v1/chat/completions', 100),
        rec('2026-11-27T10:05:02Z', 'POST /v1/chat/completions', 300),
        rec('2026-11-27T10:05:03Z', 'POST /v1/embeddings', 200),
        rec('2026-11-27T10:05:04Z', 'GET /v1/models', 9000),
        rec('2026-11-27T10:05:05Z', 'POST /v1/chat/completions', null),
        rec('2026-11-27T10:03:59Z', 'POST /v1/chat/completions', 50.5),
        rec('2026-11-27T08:00:00Z', 'POST /v1/chat/completions', 7),
      ],
      now,
      3,
    );
    expect(buckets.map((b) => [b.minute.slice(11, 16), b.count, b.p50, b.p95])).toEqual([
      ['10:03', 1, 50.5, 50.5],
      ['10:04', 0, null, null],
      ['10:05', 3, 200, 290],
    ]);
  });
});
