/** Percentiles by nearest rank over a copy of the samples (ms). */
export function percentiles(samples: readonly number[], ps: readonly number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  for (const p of ps) {
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    out[`p${p}`] = round(sorted[rank] ?? NaN);
  }
  return out;
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
