import { margin, sigmoid } from './linear-model.js';

export interface TrainingRow {
  buckets: Int32Array;
  /** 1 for an attack, 0 for a benign prompt. */
  y: 0 | 1;
  /** How much the row counts (class and source balance). */
  weight: number;
}

export interface FitOptions {
  bits: number;
  epochs: number;
  /** AdaGrad's base step. */
  rate: number;
  /** L2 penalty per update, scaled by the row's share of the data. */
  l2: number;
  seed: number;
}

/**
 * Logistic regression by AdaGrad over hashed n-gram counts (the same margin as scoring uses).
 * Pure and deterministic: the rows are visited in an order drawn from `seed`.
 */
export function fitLogistic(rows: readonly TrainingRow[], options: FitOptions, random: () => number): { weights: Float32Array; bias: number } {
  const size = 1 << options.bits;
  const weights = new Float32Array(size);
  const g2 = new Float32Array(size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const row = rows[index]!;
      const n = row.buckets.length;
      if (n === 0) continue;
      const p = sigmoid(margin({ spec: { bits: options.bits, charOrders: [], wordOrders: [] }, bias, weights }, row.buckets));
      const err = (p - row.y) * row.weight;
      const scale = 1 / Math.sqrt(n);
      for (let k = 0; k < n; k++) {
        const signed = row.buckets[k]!;
        const b = signed >= 0 ? signed : ~signed;
        const g = (signed >= 0 ? err : -err) * scale + options.l2 * weights[b]!;
        const acc = g2[b]! + g * g;
        g2[b] = acc;
        weights[b] = weights[b]! - (options.rate * g) / Math.sqrt(acc);
      }
      biasG2 += err * err;
      bias -= (options.rate * err) / Math.sqrt(biasG2);
    }
  }
  return { weights, bias };
}
