import { describe, expect, it } from 'vitest';

import { bm25Scores, rerank } from './bm25.js';

const documents = [
  'The stock market fell sharply on Monday after the earnings report.',
  'Machine learning is a field of artificial intelligence where a machine learns from data.',
  'Gardening tips: water your tomatoes early in the morning.',
  'Paris est la capitale de la France et une ville magnifique.',
];

describe('BM25 rerank', () => {
  it('ranks the machine-learning document first and the French Paris one last', () => {
    const ranked = rerank('what is machine learning?', documents);
    expect(ranked[0]?.index).toBe(1);
    expect(ranked.at(-1)?.index).toBe(3);
    expect(ranked.map((r) => r.relevanceScore)).toEqual([...ranked.map((r) => r.relevanceScore)].sort((a, b) => b - a));
    for (const r of ranked) {
      expect(r.relevanceScore).toBeGreaterThan(0);
      expect(r.relevanceScore).toBeLessThan(1);
    }
  });

  it('cuts to top_n, 0 meaning all', () => {
    expect(rerank('machine learning', documents, 2)).toHaveLength(2);
    expect(rerank('machine learning', documents, 0)).toHaveLength(4);
    expect(rerank('machine learning', documents, 10)).toHaveLength(4);
  });

  it('gives no score to a document without query terms', () => {
    expect(bm25Scores('machine', documents)[2]).toBe(0);
  });
});
