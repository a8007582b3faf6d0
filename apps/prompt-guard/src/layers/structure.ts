import { type Finding } from './finding.js';

// Layer 1 of the product document ("structure"): what a prompt is made of, before what it says.
// Every expression here is linear-time (no nested quantifiers), so size cannot make it slow.

const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
// Zero-width characters inside a Latin word split a keyword for filters and nothing else. Between
// emoji (family sequences use U+200D) or in scripts that need ZWNJ (Persian, Hindi), they are
// ordinary text and are not matched here.
const ZERO_WIDTH_IN_LATIN_WORD = /\p{Script=Latin}[\u200B-\u200D\u2060\uFEFF]+\p{Script=Latin}/u;
const WORD = /\p{L}+/gu;
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
// Full-width Latin letters only: CJK full-width punctuation (U+3000–U+303F, U+FF01–U+FF0F …) and
// no-break spaces are ordinary in Chinese, Japanese and French text.
const FULLWIDTH_LATIN_RUN = /[\uFF21-\uFF3A\uFF41-\uFF5A]{3,}/gu;
const SENSITIVE = /ignore|system|admin|prompt|bypass|jailbreak|instruction|override|password|secret/i;

const SUSPICIOUS_KEYS = new Set(['system', 'system_prompt', 'systemprompt', 'instructions', 'override', 'bypass', 'jailbreak', 'developer_mode', 'sudo', 'admin', 'ignore_previous', 'new_instructions']);
const PRIVILEGED_ROLES = new Set(['system', 'developer', 'admin', 'root']);

function jsonFindings(text: string): Finding[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // Plenty of honest prompts start with a brace (code, templates): a weak signal only.
    return trimmed.endsWith('}') ? [{ layer: 'structure', rule: 'L1.json.unparseable', score: 0.2, reason: 'The prompt looks like JSON but does not parse.' }] : [];
  }
  const findings: Finding[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 32 || node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const k = key.toLowerCase();
      if (SUSPICIOUS_KEYS.has(k)) findings.push({ layer: 'structure', rule: 'L1.json.privileged-key', score: 0.7, reason: `The JSON prompt carries a "${key}" field that tries to act as platform instructions.` });
      if (k === 'role' && typeof child === 'string' && PRIVILEGED_ROLES.has(child.toLowerCase())) {
        findings.push({ layer: 'structure', rule: 'L1.json.role-override', score: 0.8, reason: `The JSON prompt claims the "${child}" role.` });
      }
      walk(child, depth + 1);
    }
  };
  walk(value, 0);
  return findings;
}

function unicodeFindings(text: string): Finding[] {
  const findings: Finding[] = [];
  if (BIDI_CONTROL.test(text)) findings.push({ layer: 'structure', rule: 'L1.unicode.bidi-control', score: 0.9, reason: 'The prompt contains bidirectional control characters that reorder what is displayed.' });
  if (ZERO_WIDTH_IN_LATIN_WORD.test(text)) findings.push({ layer: 'structure', rule: 'L1.unicode.zero-width', score: 0.7, reason: 'The prompt hides zero-width characters inside words.' });
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (word.length > 1 && LATIN.test(word) && LOOKALIKE_SCRIPT.test(word)) {
      findings.push({ layer: 'structure', rule: 'L1.unicode.homoglyph', score: 0.8, reason: `The word "${word.slice(0, 40)}" mixes Latin with look-alike Cyrillic or Greek letters.` });
      break;
    }
  }
  for (const match of text.matchAll(FULLWIDTH_LATIN_RUN)) {
    const plain = match[0].normalize('NFKC');
    // Japanese writes some abbreviations full-width (ＰＣ, ＮＨＫ): only a disguised keyword counts much.
    const sensitive = SENSITIVE.test(plain);
    findings.push({ layer: 'structure', rule: 'L1.unicode.fullwidth-latin', score: sensitive ? 0.7 : 0.3, reason: `The prompt spells "${plain.slice(0, 40)}" in full-width letters.` });
    if (sensitive) break;
  }
  return findings;
}

/** Layer 1 on one text. */
export function structureFindings(text: string): Finding[] {
  return [...jsonFindings(text), ...unicodeFindings(text)];
}
