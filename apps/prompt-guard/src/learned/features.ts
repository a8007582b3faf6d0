import { normalise } from '../layers/patterns.js';

/** How a text becomes hashed features; stored with the weights so that scoring matches training. */
export interface FeatureSpec {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Character n-gram lengths, over normalised text (they carry CJK, where there are no spaces). */
  charOrders: number[];
  /** Word n-gram lengths, over runs of letters and digits (they carry phrasing in en, fr …). */
  wordOrders: number[];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD = /[\p{L}\p{N}]+/gu;

/** The bucket of a hash, negated (~) when the hash's top bit is set. */
const signed = (h: number, mask: number): number => (h < 0 || h & 0x80000000 ? ~(h & mask) : h & mask);

/**
 * The bucket of every n-gram occurrence of a text (with repeats: the model reads counts), by
 * FNV-1a rolling over UTF-16 code units, signed: a bucket index b stands for +1, ~b (negative)
 * for −1, the sign drawn from a hash bit the index does not use. Millions of distinct n-grams
 * share the buckets; with signs their collisions cancel out on average instead of adding up with
 * the text's length (a long ordinary prompt would otherwise drift towards one class).
 * Linear in the text's length times the longest order.
 */
export function featureBuckets(text: string, spec: FeatureSpec): Int32Array {
  const s = normalise(text);
  const mask = (1 << spec.bits) - 1;
  const maxChar = Math.max(0, ...spec.charOrders);
  const wanted = new Uint8Array(maxChar + 1);
  for (const n of spec.charOrders) wanted[n] = 1;
  const words = s.match(WORD) ?? [];
  const out = new Int32Array(s.length * spec.charOrders.length + words.length * spec.wordOrders.length);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    let h = FNV_OFFSET;
    for (let n = 1; n <= maxChar && i + n <= s.length; n++) {
      h = Math.imul(h ^ s.charCodeAt(i + n - 1), FNV_PRIME);
      // The order is mixed in so that "ab" as a 2-gram and a word do not share a bucket by design.
      if (wanted[n]) out[k++] = signed(Math.imul(h ^ n, FNV_PRIME), mask);
    }
  }
  const wordHashes = words.map((w) => {
    let h = FNV_OFFSET ^ 0x5bd1e995;
    for (let j = 0; j < w.length; j++) h = Math.imul(h ^ w.charCodeAt(j), FNV_PRIME);
    return h;
  });
  for (const n of spec.wordOrders) {
    for (let i = 0; i + n <= wordHashes.length; i++) {
      let h = Math.imul(FNV_OFFSET ^ (0x100 + n), FNV_PRIME);
      for (let j = 0; j < n; j++) h = Math.imul(h ^ wordHashes[i + j]!, FNV_PRIME);
      out[k++] = signed(h, mask);
    }
  }
  return out.subarray(0, k);
}
