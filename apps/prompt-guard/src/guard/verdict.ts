import { type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';

import { type Finding } from '../layers/finding.js';
import { loadPatternRules, patternFindings } from '../layers/patterns.js';
import { structureFindings } from '../layers/structure.js';
import { findingAt, learnedScore, letterCount, loadLinearModel } from '../learned/linear-model.js';
import { RecentTexts } from './recent-texts.js';

const patterns = loadPatternRules();
const model = loadLinearModel();

/**
 * Layer 3 reads each prompt again with the next ones: what layers 1, 2 and 4 found in a text is
 * kept for a while, so a prompt is analysed once, not once per window it appears in.
 */
const analysed = new RecentTexts<{ findings: Finding[]; p: number; letters: number }>(8192, 4096);

/** Independent signals add up: 1 − Π(1 − score), so two weak ones outweigh one. */
export const combine = (findings: readonly Finding[]): number => 1 - findings.reduce((rest, f) => rest * (1 - f.score), 1);

/**
 * Prompts read together (layer 3) are several unrelated requests glued: the learned layer, fitted
 * on single prompts, misreads such text (three short benign prompts of a load test, glued, scored
 * past any floor), so windows are read by layers 1 and 2 only.
 */
export const WINDOW_FLOOR = Number.POSITIVE_INFINITY;

/** Layers 1, 2 and 4 on one text. */
export const analyse = (text: string, floor = model.floor): Finding[] => {
  let known = analysed.get(text);
  if (!known) {
    known = { findings: [...structureFindings(text), ...patternFindings(text, patterns.rules)], p: learnedScore(model, text), letters: letterCount(text) };
    analysed.set(text, known);
  }
  const learned = findingAt(model, known.p, floor, known.letters);
  return learned ? [...known.findings, learned] : [...known.findings];
};

/** Layers 1 and 2 on prompts read together. */
export const analyseWindow = (text: string): Finding[] => analyse(text, WINDOW_FLOOR);

/** The verdict on every text of a request (plus layer 3's findings, when there is a history). */
export function judge(request: GuardCheckRequest, behaviour: readonly Finding[] = [], now = new Date()): GuardVerdict {
  const findings = [...request.texts.flatMap((text) => analyse(text)), ...behaviour];
  const score = Math.round(combine(findings) * 1000) / 1000;
  const strongest = [...findings].sort((a, b) => b.score - a.score)[0];
  return {
    requestId: request.requestId,
    tenantId: request.tenantId,
    keyId: request.keyId,
    decision: score >= request.threshold && findings.length > 0 ? 'block' : 'allow',
    score,
    layer: strongest?.layer ?? null,
    rules: [...new Set(findings.map((f) => f.rule))],
    reasons: [...new Set(findings.map((f) => f.reason))],
    at: now.toISOString(),
  };
}
