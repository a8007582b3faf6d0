import { type Sample } from './prometheus-text.js';

export interface VllmModelLoad {
  readonly running: number;
  readonly waiting: number;
  /** 0..1 */
  readonly kvCacheUsage: number;
}

export interface VllmMetrics {
  /** By served model name (vLLM's `model_name` label, the id /v1/models lists). */
  readonly models: ReadonlyMap<string, VllmModelLoad>;
  /** Output tokens generated since the server started; undefined where the server does not say. */
  readonly generationTokensTotal: number | undefined;
}

const RUNNING = 'vllm:num_requests_running';
const WAITING = 'vllm:num_requests_waiting';
const KV_CACHE = 'vllm:kv_cache_usage_perc';
/** The name before vLLM 0.10; read when the new one is absent. */
const KV_CACHE_LEGACY = 'vllm:gpu_cache_usage_perc';
const GENERATION_TOKENS = 'vllm:generation_tokens_total';

const finite = (value: number) => (Number.isFinite(value) && value > 0 ? value : 0);

/**
 * The batching state of a vLLM server from its /metrics samples. A data-parallel server reports
 * one series per engine (label `engine`): requests add up, KV-cache usage is their mean.
 */
export function vllmMetrics(samples: readonly Sample[]): VllmMetrics {
  const acc = new Map<string, { running: number; waiting: number; kv: number[]; kvLegacy: number[] }>();
  let generated: number | undefined;
  for (const sample of samples) {
    if (sample.name === GENERATION_TOKENS) {
      generated = (generated ?? 0) + finite(sample.value);
      continue;
    }
    if (sample.name !== RUNNING && sample.name !== WAITING && sample.name !== KV_CACHE && sample.name !== KV_CACHE_LEGACY) continue;
    const model = sample.labels['model_name'];
    if (model === undefined) continue;
    let entry = acc.get(model);
    if (!entry) {
      entry = { running: 0, waiting: 0, kv: [], kvLegacy: [] };
      acc.set(model, entry);
    }
    if (sample.name === RUNNING) entry.running += finite(sample.value);
    else if (sample.name === WAITING) entry.waiting += finite(sample.value);
    else if (sample.name === KV_CACHE) entry.kv.push(finite(sample.value));
    else entry.kvLegacy.push(finite(sample.value));
  }
  const models = new Map<string, VllmModelLoad>();
  for (const [model, entry] of acc) {
    const kv = entry.kv.length > 0 ? entry.kv : entry.kvLegacy;
    const mean = kv.length > 0 ? kv.reduce((a, b) => a + b, 0) / kv.length : 0;
    models.set(model, { running: Math.round(entry.running), waiting: Math.round(entry.waiting), kvCacheUsage: Math.min(1, mean) });
  }
  return { models, generationTokensTotal: generated };
}
