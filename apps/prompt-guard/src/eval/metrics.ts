/** Wilson score interval (95 %) for a proportion: honest on the small per-language sets. */
export function wilson(successes: number, total: number, z = 1.96): [number, number] {
  if (total === 0) return [0, 1];
  const p = successes / total;
  const denominator = 1 + (z * z) / total;
  const centre = (p + (z * z) / (2 * total)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / denominator;
  return [Math.max(0, centre - margin), Math.min(1, centre + margin)];
}

export interface Counts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

export function scores(c: Counts) {
  const recall = c.tp + c.fn === 0 ? NaN : c.tp / (c.tp + c.fn);
  const precision = c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp);
  const fpr = c.fp + c.tn === 0 ? NaN : c.fp / (c.fp + c.tn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { recall, precision, fpr, f1, recallCi: wilson(c.tp, c.tp + c.fn), fprCi: wilson(c.fp, c.fp + c.tn) };
}
