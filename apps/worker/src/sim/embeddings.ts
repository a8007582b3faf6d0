import { createHash } from 'node:crypto';

/** Native width of every simulated embedding model. */
export const NATIVE_DIMENSIONS = 1024;

/** Lowercased word tokens: what both the embedder and BM25 compare. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function hash32(text: string): number {
  return createHash('md5').update(text).digest().readUInt32LE(0);
}

/**
 * Feature hashing (the "hashing trick"): each word adds ±1 at a hashed position, so texts that
 * share words share components and their cosine similarity grows with the overlap. The sign from a
 * second hash bit keeps unrelated words from adding up. Deterministic, and L2-normalised.
 */
export function embedText(text: string, dimensions = NATIVE_DIMENSIONS): Float32Array {
  return embedFeatures(wordTokens(text), text, dimensions);
}

/** Token-id input (number[]) embeds its ids as features. */
export function embedTokenIds(ids: readonly number[], dimensions = NATIVE_DIMENSIONS): Float32Array {
  return embedFeatures(ids.map((id) => `#${id}`), ids.join(','), dimensions);
}

function embedFeatures(features: readonly string[], whole: string, dimensions: number): Float32Array {
  const native = new Float64Array(NATIVE_DIMENSIONS);
  // A text without words still needs a direction of its own.
  const all = features.length > 0 ? features : [`\u0000${whole}`];
  for (const feature of all) {
    const h = hash32(feature);
    native[h % NATIVE_DIMENSIONS]! += (h >>> 31) === 1 ? -1 : 1;
  }
  // Matryoshka-style truncation: keep the first components, then renormalise.
  const out = new Float32Array(Math.min(dimensions, NATIVE_DIMENSIONS));
  let norm = 0;
  for (let i = 0; i < out.length; i++) norm += native[i]! * native[i]!;
  if (norm === 0) {
    // Truncation dropped every feature: fall back on a fixed direction from the text.
    out[hash32(whole) % out.length] = 1;
    return out;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < out.length; i++) out[i] = native[i]! * scale;
  return out;
}

/** OpenAI's base64 form: the raw little-endian float32 bytes. */
export function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString('base64');
}

export function fromBase64(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
