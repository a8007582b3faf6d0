// `pnpm guard:eval <file.jsonl>`: the guard's verdicts on a labelled set (../shared/guard format:
// {"text", "label": "attack"|"benign", "lang", "seq_id"?}), with precision, recall, F1 and the
// false-positive rate, overall and per language (95 % Wilson intervals), and analysis latency.
// Rows with a `seq_id` are scored per sequence: flagged when any of its turns is blocked.
import { readFileSync } from 'node:fs';

import { analyseWindow, judge } from '../guard/verdict.js';
import { behaviourFindings } from '../layers/behaviour.js';
import { scores, type Counts } from './metrics.js';

interface Row {
  text: string;
  label: 'attack' | 'benign';
  lang: string;
  seq_id?: string;
}

const file = process.argv[2];
const threshold = Number(process.env.GUARD_THRESHOLD ?? 0.5);
if (!file) {
  process.stderr.write('usage: pnpm guard:eval <file.jsonl>   (GUARD_THRESHOLD=0.5)\n');
  process.exit(2);
}
const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Row);

const units = new Map<string, { label: Row['label']; lang: string; blocked: boolean }>();
const latencies: number[] = [];
// A sequence's turns come from one key, one after the other: layer 3 sees the earlier turns.
const turns = new Map<string, string[]>();
for (const [i, row] of rows.entries()) {
  const t0 = performance.now();
  const recent = row.seq_id ? (turns.get(row.seq_id) ?? []) : [];
  const behaviour = recent.length > 0 ? behaviourFindings(row.text, { recent: [...recent].reverse(), repeats: 1 }, analyseWindow) : [];
  if (row.seq_id) turns.set(row.seq_id, [...recent, row.text]);
  const verdict = judge({ requestId: `r${i}`, tenantId: 'eval', keyId: 'eval', threshold, texts: [row.text] }, behaviour);
  latencies.push(performance.now() - t0);
  const key = row.seq_id ?? `row-${i}`;
  const unit = units.get(key) ?? { label: row.label, lang: row.lang, blocked: false };
  unit.blocked ||= verdict.decision === 'block';
  units.set(key, unit);
}

const count = (filter: (u: { lang: string }) => boolean): Counts => {
  const c = { tp: 0, fn: 0, fp: 0, tn: 0 };
  for (const u of units.values()) {
    if (!filter(u)) continue;
    const key = u.label === 'attack' ? (u.blocked ? 'tp' : 'fn') : u.blocked ? 'fp' : 'tn';
    c[key] += 1;
  }
  return c;
};
const pct = (v: number) => (Number.isNaN(v) ? '—' : `${(v * 100).toFixed(1)} %`);
const ci = ([lo, hi]: [number, number]) => `[${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}]`;
const line = (name: string, c: Counts) => {
  const s = scores(c);
  return `| ${name} | ${c.tp + c.fn} / ${c.fp + c.tn} | ${pct(s.recall)} ${ci(s.recallCi)} | ${pct(s.precision)} | ${s.f1.toFixed(3)} | ${pct(s.fpr)} ${ci(s.fprCi)} |`;
};
const langs = [...new Set([...units.values()].map((u) => u.lang))].sort();
const sorted = [...latencies].sort((a, b) => a - b);
const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

process.stdout.write(
  [
    `${file}: ${rows.length} rows, ${units.size} ${units.size === rows.length ? 'prompts' : 'units (sequences scored as one)'}, threshold ${threshold}`,
    '',
    '| set | attacks / benign | recall [95 % CI] | precision | F1 | false-positive rate [95 % CI] |',
    '| --- | --- | --- | --- | --- | --- |',
    line('all', count(() => true)),
    ...langs.map((lang) => line(lang, count((u) => u.lang === lang))),
    '',
    `Analysis latency per prompt (layers in process): p50 ${at(50).toFixed(3)} ms, p99 ${at(99).toFixed(3)} ms, max ${sorted.at(-1)?.toFixed(3)} ms`,
    '',
  ].join('\n'),
);
