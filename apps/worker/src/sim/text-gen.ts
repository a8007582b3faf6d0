import { createHash } from 'node:crypto';

/** A 32-bit seed from any tuple: same inputs, same seed, on every machine. */
export function seedOf(...parts: readonly (string | number | undefined)[]): number {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part ?? ''}\u0000`);
  return hash.digest().readUInt32LE(0);
}

export type Rng = () => number;

/** mulberry32: tiny, fast and good enough to pick words. */
export function rngFrom(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

export function intBetween(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

const adjectives = ['quick', 'quiet', 'bright', 'careful', 'simple', 'large', 'small', 'modern', 'ancient', 'steady', 'clever', 'gentle', 'remote', 'local', 'shared', 'useful', 'curious', 'patient', 'early', 'final'];
const nouns = ['system', 'river', 'engine', 'garden', 'model', 'city', 'teacher', 'network', 'library', 'machine', 'signal', 'forest', 'market', 'team', 'answer', 'bridge', 'report', 'window', 'process', 'question', 'journey', 'server', 'idea', 'pattern'];
const verbs = ['builds', 'follows', 'explains', 'improves', 'carries', 'measures', 'finds', 'shapes', 'connects', 'reads', 'supports', 'changes', 'protects', 'describes', 'reaches', 'guides', 'balances', 'collects'];
const preps = ['across', 'near', 'within', 'beyond', 'under', 'over', 'through', 'behind', 'beside', 'toward'];
const openers = ['In practice,', 'Over time,', 'For example,', 'In short,', 'As a rule,', 'Meanwhile,', 'Often,', 'Still,'];

/** One readable pseudo-sentence: "The careful engine reads the river across the quiet city." */
export function sentence(r: Rng): string {
  const opener = r() < 0.25 ? `${pick(r, openers)} the` : 'The';
  let s = `${opener} ${pick(r, adjectives)} ${pick(r, nouns)} ${pick(r, verbs)} the ${pick(r, nouns)}`;
  if (r() < 0.7) s += ` ${pick(r, preps)} the ${pick(r, adjectives)} ${pick(r, nouns)}`;
  if (r() < 0.3) s += ` and ${pick(r, verbs)} a ${pick(r, nouns)}`;
  return `${s}.`;
}

/** Words of prose, for titles and JSON strings. */
export function words(r: Rng, count: number): string {
  const pool = [...adjectives, ...nouns];
  return Array.from({ length: count }, () => pick(r, pool)).join(' ');
}

/**
 * Sentences until `enough(text)` says the text is long enough: the natural stop falls at the end
 * of a sentence, as a model's end-of-sequence would.
 */
export function prose(r: Rng, enough: (text: string) => boolean): string {
  let text = sentence(r);
  while (!enough(text)) text += ` ${sentence(r)}`;
  return text;
}

const transcriptWords = ['so', 'we', 'talked', 'about', 'the', 'plan', 'for', 'next', 'week', 'and', 'it', 'looks', 'good', 'to', 'me', 'then', 'they', 'said', 'that', 'our', 'team', 'will', 'ship', 'soon'];

/** Transcript of `seconds` of speech at ~2.5 words per second, deterministic from the audio. */
export function transcript(seed: number, seconds: number): string {
  const r = rngFrom(seed);
  const count = Math.max(1, Math.round(seconds * 2.5));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(pick(r, transcriptWords));
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
