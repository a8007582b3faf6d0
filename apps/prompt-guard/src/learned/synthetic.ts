import { z } from 'zod';

// Our own multilingual examples (written for this project, no third-party licence): attack
// families of the product document in fr, zh, ja and en — goal hijacking appended to an ordinary
// question, prompt extraction, role-play jailbreaks — and benign near-misses that use the same
// words honestly ("ignore the empty cells", "répète après moi", "直接回答"). They fill the gap
// that no permissively licensed multilingual attack set covers.

export const syntheticFile = z.object({
  lang: z.string(),
  questions: z.array(z.string()).min(1),
  /** Ordinary prompts shaped like attacks: personas, fixed output formats, standing instructions. */
  benign: z.array(z.string()).min(1),
  targets: z.array(z.string()).min(1),
  hijacks: z.array(z.string().includes('{target}')).min(1),
  extractions: z.array(z.string()).min(1),
  roleplays: z.array(z.string()).min(1),
  nearMiss: z.array(z.string()).min(1),
});
export type SyntheticFile = z.infer<typeof syntheticFile>;

export interface Example {
  text: string;
  label: 'attack' | 'benign';
  lang: string;
  source: string;
}

/** A small deterministic generator (mulberry32): the same seed gives the same training set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEPARATORS = ['', ' ', '\n', '\n\n', ' — '];

/**
 * Attacks composed from the parts (an ordinary question followed by a hijack, an extraction, or a
 * role-play in front of a question) and benign prompts from the same questions and near-misses,
 * so the model learns what the attack adds rather than what language or topic it is in.
 */
export function synthesise(file: SyntheticFile, extraQuestions: readonly string[], count: number, seed: number): Example[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const questions = [...file.questions, ...file.benign, ...extraQuestions];
  const source = `llmaas:synthetic/${file.lang}`;
  const out: Example[] = [];
  const seen = new Set<string>();
  const add = (text: string, label: Example['label']) => {
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ text, label, lang: file.lang, source });
  };
  for (let i = 0; i < count * 4 && out.filter((e) => e.label === 'attack').length < count; i++) {
    const roll = rnd();
    const q = pick(questions);
    if (roll < 0.6) add(`${q}${pick(SEPARATORS)}${pick(file.hijacks).replace('{target}', pick(file.targets))}`, 'attack');
    else if (roll < 0.8) add(rnd() < 0.5 ? pick(file.extractions) : `${q}${pick(SEPARATORS)}${pick(file.extractions)}`, 'attack');
    else add(`${pick(file.roleplays)}${pick(SEPARATORS)}${q}`, 'attack');
  }
  for (const q of [...file.questions, ...file.benign]) add(q, 'benign');
  for (const n of file.nearMiss) add(n, 'benign');
  for (let i = 0; i < count; i++) add(`${pick(file.nearMiss)}${pick(SEPARATORS)}${pick(questions)}`, 'benign');
  for (let i = 0; i < count / 2; i++) add(`${pick(questions)}${pick(SEPARATORS)}${pick(file.nearMiss)}`, 'benign');
  return out;
}
