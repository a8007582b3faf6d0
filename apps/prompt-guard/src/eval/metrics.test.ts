import { describe, expect, it } from 'vitest';

import { scores, wilson } from './metrics.js';

describe('evaluation metrics', () => {
  it('computes recall, precision, F1, false-positive rate and Wilson intervals', () => {
    const s = scores({ tp: 27, fn: 3, fp: 1, tn: 44 });
    expect(s.recall).toBeCloseTo(0.9);
    expect(s.precision).toBeCloseTo(27 / 28);
    expect(s.fpr).toBeCloseTo(1 / 45);
    const [lo, hi] = wilson(27, 30);
    expect(lo).toBeCloseTo(0.744, 2);
    expect(hi).toBeCloseTo(0.965, 2);
  });
});
