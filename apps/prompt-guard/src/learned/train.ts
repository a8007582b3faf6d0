// `pnpm guard:train`: fits layer 4 (hashed character and word n-grams, logistic regression) and
// writes apps/prompt-guard/model/ngram-linear.json. Only data that may train a shipped model:
//  - ../shared/guard/train.jsonl rows with `may_train_shipped_model: true`;
//  - apps/prompt-guard/training/data/*.jsonl (permissively licensed public sets, see NOTICE.md there);
//  - our own multilingual examples, apps/prompt-guard/training/synthetic/*.json.
// dev.jsonl and dev-sequences.jsonl are never read here: they are the evaluation set.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

import { normalise } from '../layers/patterns.js';
import { featureBuckets, type FeatureSpec } from './features.js';
import { fitLogistic, type FitOptions, type TrainingRow } from './fit.js';
import { margin, MODEL_FILE, sigmoid } from './linear-model.js';
import { prng, synthesise, syntheticFile, type Example } from './synthetic.js';

const root = new URL('../../../../', import.meta.url);
const trainingDir = new URL('apps/prompt-guard/training/', root);
const sharedTrain = process.argv[2] ?? new URL('../shared/guard/train.jsonl', root).pathname;

const spec: FeatureSpec = { bits: Number(process.env.BITS ?? 18), charOrders: [1, 2, 3, 4], wordOrders: [1, 2] };
const options: FitOptions = { bits: spec.bits, epochs: Number(process.env.EPOCHS ?? 6), rate: Number(process.env.RATE ?? 0.3), l2: Number(process.env.L2 ?? 3e-4), seed: 7 };
/** The highest false-positive rate allowed to layer 4 alone on held-out benign rows, per language with enough rows. */
const FLOOR_FPR = Number(process.env.FLOOR_FPR ?? 0.02);
const SYNTHETIC_WEIGHT = Number(process.env.SYNTHETIC_WEIGHT ?? 0.1);
/**
 * Sources that count for less (or nothing). CyberSecEval's prompt-injection inputs are attacks
 * only against the system prompt they were written for ("write a haiku about the password"):
 * alone they teach ordinary requests ("write a haiku") as attacks.
 */
const SOURCE_WEIGHTS: Record<string, number> = JSON.parse(process.env.SOURCE_WEIGHTS ?? '{"meta-llama/PurpleLlama":0.3}') as Record<string, number>;

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function loadExamples(): { examples: Example[]; counts: Record<string, number> } {
  const examples: Example[] = [];
  for (const r of readJsonl(sharedTrain)) {
    if (r.may_train_shipped_model !== true) continue;
    examples.push({ text: String(r.text), label: r.label === 'attack' ? 'attack' : 'benign', lang: String(r.lang), source: `shared/guard/train.jsonl:${String(r.source)}` });
  }
  const dataDir = new URL('data/', trainingDir);
  if (existsSync(dataDir)) {
    for (const name of readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')).sort()) {
      for (const r of readJsonl(new URL(name, dataDir).pathname)) {
        if (SOURCE_WEIGHTS[String(r.source).split(':')[0]!] === 0) continue;
        examples.push({ text: String(r.text), label: r.label === 'attack' ? 'attack' : 'benign', lang: String(r.lang), source: String(r.source) });
      }
    }
  }
  const synthDir = new URL('synthetic/', trainingDir);
  for (const name of readdirSync(synthDir).filter((f) => f.endsWith('.json')).sort()) {
    const file = syntheticFile.parse(JSON.parse(readFileSync(new URL(name, synthDir), 'utf8')));
    const extra = examples.filter((e) => e.label === 'benign' && e.lang === file.lang && !e.source.startsWith('llmaas:')).map((e) => e.text).filter((t) => t.length < 400);
    examples.push(...synthesise(file, extra.slice(0, 200), 600, name.length * 7919));
  }
  // One copy of each text (after normalisation); a text labelled both ways is dropped.
  const byText = new Map<string, Example | null>();
  for (const e of examples) {
    const key = normalise(e.text);
    const prior = byText.get(key);
    if (prior === undefined) byText.set(key, e);
    else if (prior && prior.label !== e.label) byText.set(key, null);
  }
  const unique = [...byText.values()].filter((e): e is Example => e !== null);
  const counts: Record<string, number> = {};
  for (const e of unique) {
    const k = `${e.label} ${e.lang} ${e.source.replace(/:.*$/, '')}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return { examples: unique, counts };
}

function rowsOf(examples: readonly Example[]): TrainingRow[] {
  // Within each language, attacks and benign prompts weigh the same in total: otherwise a language
  // with more attack than benign examples (fr, zh, ja here) would teach the model its alphabet is
  // the attack. A language with one class only keeps weight 1.
  const n = new Map<string, number>();
  for (const e of examples) n.set(`${e.lang} ${e.label}`, (n.get(`${e.lang} ${e.label}`) ?? 0) + 1);
  return examples.map((e) => {
    const own = n.get(`${e.lang} ${e.label}`)!;
    const other = n.get(`${e.lang} ${e.label === 'attack' ? 'benign' : 'attack'}`) ?? 0;
    // Our own templated examples repeat their few phrasings: each counts for less than a real row.
    const share = e.source.startsWith('llmaas:synthetic') ? SYNTHETIC_WEIGHT : (SOURCE_WEIGHTS[e.source.split(':')[0]!] ?? 1);
    return { buckets: featureBuckets(e.text, spec), y: e.label === 'attack' ? 1 : 0, weight: share * (other ? (own + other) / (2 * own) : 1) };
  });
}

/** A stable fifth of the rows, by a hash of their text, held out to choose the floor. */
const heldOut = (e: Example) => {
  let h = 0;
  for (const c of e.text) h = Math.imul(h ^ c.codePointAt(0)!, 0x01000193);
  return (h >>> 0) % 5 === 0;
};

function quantise(weights: Float32Array): { scale: number; data: string } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max / 32767 || 1;
  const buf = Buffer.alloc(weights.length * 2);
  for (let i = 0; i < weights.length; i++) buf.writeInt16LE(Math.round(weights[i]! / scale), i * 2);
  return { scale, data: buf.toString('base64') };
}

const { examples, counts } = loadExamples();
const fitSet = examples.filter((e) => !heldOut(e));
const checkSet = examples.filter(heldOut);
const first = fitLogistic(rowsOf(fitSet), options, prng(options.seed));
const scored = checkSet.map((e) => ({ e, p: sigmoid(margin({ spec, ...first }, featureBuckets(e.text, spec))) }));

// The floor: the lowest probability at which layer 4 alone stays within FLOOR_FPR on the held-out
// benign rows of every language with at least 20 of them.
const langs = [...new Set(scored.map((s) => s.e.lang))];
let floor = 0.5;
for (const lang of langs) {
  const benign = scored.filter((s) => s.e.lang === lang && s.e.label === 'benign').map((s) => s.p).sort((a, b) => b - a);
  if (benign.length < 20) continue;
  const allowed = Math.floor(benign.length * FLOOR_FPR);
  floor = Math.max(floor, (benign[allowed] ?? 0) + 1e-3);
}
floor = Math.min(0.95, Math.round(floor * 1000) / 1000);

const report: Record<string, unknown> = {};
for (const lang of ['all', ...langs.sort()]) {
  const s = scored.filter((x) => lang === 'all' || x.e.lang === lang);
  const attacks = s.filter((x) => x.e.label === 'attack');
  const benign = s.filter((x) => x.e.label === 'benign');
  report[lang] = {
    attacks: attacks.length,
    benign: benign.length,
    recallAtFloor: attacks.length ? +(attacks.filter((x) => x.p >= floor).length / attacks.length).toFixed(3) : null,
    fprAtFloor: benign.length ? +(benign.filter((x) => x.p >= floor).length / benign.length).toFixed(3) : null,
  };
}
process.stdout.write(`held-out fifth (${checkSet.length} rows), floor ${floor}:\n${JSON.stringify(report, null, 1)}\n`);

const final = fitLogistic(rowsOf(examples), options, prng(options.seed));
const { scale, data } = quantise(final.weights);
const model = {
  format: 'ngram-linear',
  version: 1,
  trainedAt: new Date().toISOString(),
  spec,
  bias: final.bias,
  scale,
  weights: data,
  floor,
  training: { command: 'pnpm guard:train', options, floorFpr: FLOOR_FPR, rows: examples.length, counts, heldOut: report },
};
writeFileSync(MODEL_FILE, `${JSON.stringify(model)}\n`);
process.stdout.write(`wrote ${MODEL_FILE.pathname}: ${examples.length} rows, ${(data.length / 1024).toFixed(0)} KiB of weights\n`);
