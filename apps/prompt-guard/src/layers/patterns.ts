import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { type Finding } from './finding.js';

const ruleFile = z.object({
  version: z.number().int().positive(),
  description: z.string(),
  rules: z
    .array(
      z.object({
        id: z.string().regex(/^L2\.[a-z0-9.-]+$/),
        languages: z.array(z.string().min(1)).min(1),
        category: z.string().min(1),
        weight: z.number().gt(0).lte(1),
        pattern: z.string().min(1),
        reason: z.string().min(1),
      }),
    )
    .min(1),
});
export type PatternRules = z.infer<typeof ruleFile>;

export interface CompiledRule {
  id: string;
  category: string;
  weight: number;
  reason: string;
  regex: RegExp;
}

/** The rules are data, versioned beside the code (rules/patterns.v<N>.json), checked when loaded. */
export function loadPatternRules(file = new URL('../../rules/patterns.v2.json', import.meta.url)): { version: number; rules: CompiledRule[] } {
  const parsed = ruleFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const ids = new Set<string>();
  const rules = parsed.rules.map((r) => {
    if (ids.has(r.id)) throw new Error(`rule ${r.id} is defined twice`);
    ids.add(r.id);
    return { id: r.id, category: r.category, weight: r.weight, reason: r.reason, regex: new RegExp(r.pattern, 'iu') };
  });
  return { version: parsed.version, rules };
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;
const SPACES = /\s+/gu;

/** What the patterns see: NFKC (full-width and look-alike forms folded), lower case, no zero-width, single spaces. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(ZERO_WIDTH, '').replace(SPACES, ' ').toLowerCase();
}

/** A prompt made of a few tokens repeated over and over (a known way to derail a model). */
export function repetitionFinding(normalised: string): Finding | null {
  const tokens = normalised.split(' ').filter(Boolean);
  if (tokens.length < 40) return null;
  const distinct = new Set(tokens).size;
  return distinct / tokens.length <= 0.1
    ? { layer: 'patterns', rule: 'L2.repetition', score: 0.5, reason: 'The prompt repeats a few tokens over and over.' }
    : null;
}

/** Layer 2 on one text. */
export function patternFindings(text: string, rules: readonly CompiledRule[]): Finding[] {
  const normalised = normalise(text);
  const findings: Finding[] = [];
  for (const rule of rules) if (rule.regex.test(normalised)) findings.push({ layer: 'patterns', rule: rule.id, score: rule.weight, reason: rule.reason });
  const repeated = repetitionFinding(normalised);
  if (repeated) findings.push(repeated);
  return findings;
}
