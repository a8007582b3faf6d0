import { type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';

import { type Finding } from '../layers/finding.js';
import { loadPatternRules, patternFindings } from '../layers/patterns.js';
import { structureFindings } from '../layers/structure.js';

const patterns = loadPatternRules();

/** Independent signals add up: 1 − Π(1 − score), so two weak ones outweigh one. */
export const combine = (findings: readonly Finding[]): number => 1 - findings.reduce((rest, f) => rest * (1 - f.score), 1);

/** The verdict on every text of a request against the tenant's threshold. */
export function judge(request: GuardCheckRequest, now = new Date()): GuardVerdict {
  const findings = request.texts.flatMap((text) => [...structureFindings(text), ...patternFindings(text, patterns.rules)]);
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
