import { describe, expect, it } from 'vitest';

import { cosine, embedText, embedTokenIds, fromBase64, NATIVE_DIMENSIONS, toBase64 } from './embeddings.js';

describe('embeddings', () => {
  it('is deterministic and normalised', () => {
    const v = embedText('the cat sat on the mat');
    expect(v).toHaveLength(NATIVE_DIMENSIONS);
    expect(embedText('the cat sat on the mat')).toEqual(v);
    expect(cosine(v, v)).toBeCloseTo(1, 5);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it('puts texts that share words closer together', () => {
    const cat = embedText('the cat sat on the mat');
    const cat2 = embedText('a cat on a mat');
    const money = embedText('quarterly revenue grew');
    expect(cosine(cat, cat2)).toBeGreaterThan(cosine(cat, money));
    expect(cosine(cat, cat2)).toBeGreaterThan(0.3);
  });

  it('honours dimensions and stays normalised', () => {
    const v = embedText('hello there general kenobi', 64);
    expect(v).toHaveLength(64);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(embedTokenIds([1, 2, 3])).toHaveLength(NATIVE_DIMENSIONS);
    expect(embedText('!!!')).toHaveLength(NATIVE_DIMENSIONS);
  });

  it('round-trips base64 as little-endian float32', () => {
    const v = embedText('round trip');
    const back = fromBase64(toBase64(v));
    expect(Array.from(back)).toEqual(Array.from(v));
    expect(Buffer.from(toBase64(new Float32Array([1])), 'base64')).toEqual(Buffer.from([0, 0, 0x80, 0x3f]));
  });
});
