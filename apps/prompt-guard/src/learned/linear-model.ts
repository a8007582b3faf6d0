import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { type Finding } from '../layers/finding.js';
import { featureBuckets, type FeatureSpec } from './features.js';

const modelFile = z.object({
  format: z.literal('ngram-linear'),
  version: z.number().int().positive(),
  trainedAt: z.string(),
  spec: z.object({ bits: z.number().int().min(8).max(24), charOrders: z.array(z.number().int().min(1).max(8)), wordOrders: z.array(z.number().int().min(1).max(4)) }),
  bias: z.number(),
  /** Weights are stored as little-endian int16 × scale (a quarter of the size of float32, same ranking). */
  scale: z.number().positive(),
  weights: z.string(),
  /** The probability from which the score counts as a finding (fitted on held-out shippable rows). */
  floor: z.number().min(0).max(1),
  training: z.record(z.string(), z.unknown()),
});

export interface LinearModel {
  version: number;
  spec: FeatureSpec;
  bias: number;
  weights: Float32Array;
  floor: number;
}

export const MODEL_FILE = new URL('../../model/ngram-linear.json', import.meta.url);

export function loadLinearModel(file: URL | string = MODEL_FILE): LinearModel {
  const parsed = modelFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const raw = Buffer.from(parsed.weights, 'base64');
  if (raw.length !== 2 * (1 << parsed.spec.bits)) throw new Error(`model weights hold ${raw.length} bytes, expected ${2 * (1 << parsed.spec.bits)}`);
  const weights = new Float32Array(1 << parsed.spec.bits);
  for (let i = 0; i < weights.length; i++) weights[i] = raw.readInt16LE(i * 2) * parsed.scale;
  return { version: parsed.version, spec: parsed.spec, bias: parsed.bias, weights, floor: parsed.floor };
}

/** The linear part: bias plus the signed weights of every n-gram, summed and divided by the square root of their count. */
export function margin(model: Pick<LinearModel, 'spec' | 'bias' | 'weights'>, buckets: Int32Array): number {
  if (buckets.length === 0) return model.bias;
  let sum = 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    sum += b >= 0 ? model.weights[b]! : -model.weights[~b]!;
  }
  return model.bias + sum / Math.sqrt(buckets.length);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The probability that a text is an attack, by the learned model. */
export function learnedScore(model: LinearModel, text: string): number {
  return sigmoid(margin(model, featureBuckets(text, model.spec)));
}

/** Layer 4 on one text: a finding when the model's probability reaches its floor (or a stricter one). */
export function learnedFinding(model: LinearModel, text: string, floor = model.floor): Finding | null {
  return findingAt(model, learnedScore(model, text), floor, letterCount(text));
}

/**
 * Below this many letters a text gives the n-gram model too little to read: "spread me 12 0.37"
 * scored past the floor about once in seventy tries. Such texts are left to layers 1 to 3.
 */
export const MIN_LETTERS = 16;

const LETTER = /\p{L}/gu;
export const letterCount = (text: string): number => text.match(LETTER)?.length ?? 0;

/** The finding for a probability already computed (null for a text too short to judge). */
export function findingAt(model: LinearModel, p: number, floor = model.floor, letters = MIN_LETTERS): Finding | null {
  if (p < floor || letters < MIN_LETTERS) return null;
  return { layer: 'learned', rule: `L4.ngram-linear.v${model.version}`, score: Math.round(p * 1000) / 1000, reason: 'It reads like known prompt-injection and jailbreak attempts.' };
}
