import { wordTokens } from './embeddings.js';

/** Okapi BM25 with the usual constants. */
const K1 = 1.2;
const B = 0.75;

/**
 * Scores every document against the query with BM25 over the documents given (the collection is
 * the request's documents), then maps the raw score into 0..1 with a logistic curve centred on
 * a score of 2, so unrelated documents land near 0.1 and strong matches near 1.
 */
export function bm25Scores(query: string, documents: readonly string[]): number[] {
  const docs = documents.map(wordTokens);
  const n = docs.length;
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, n) || 1;
  const documentFrequency = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const terms = [...new Set(wordTokens(query))];
  return docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const term of doc) tf.set(term, (tf.get(term) ?? 0) + 1);
    let score = 0;
    for (const term of terms) {
      const f = tf.get(term);
      if (!f) continue;
      const df = documentFrequency.get(term) ?? 0;
      // The "+1" inside the log keeps idf positive for terms in most documents.
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += idf * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * doc.length) / avgLength)));
    }
    return score;
  });
}

export function relevance(rawScore: number): number {
  return 1 / (1 + Math.exp(-(rawScore - 2)));
}

export interface RankedDocument {
  readonly index: number;
  readonly relevanceScore: number;
}

/** Documents by descending relevance (ties keep input order), cut to topN when given (0 = all). */
export function rerank(query: string, documents: readonly string[], topN?: number): RankedDocument[] {
  const ranked = bm25Scores(query, documents)
    .map((raw, index) => ({ index, relevanceScore: relevance(raw) }))
    .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index);
  return topN !== undefined && topN > 0 ? ranked.slice(0, topN) : ranked;
}
