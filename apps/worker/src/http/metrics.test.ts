import { type LoadedModel } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { parsePrometheusText } from '../engines/prometheus-text.js';
import { prometheusText } from './metrics.js';

const model = (name: string, state: LoadedModel['state'], running: number, waiting: number, kvCacheUsage: number): LoadedModel => ({
  model: name,
  state,
  vramMiB: 16_000,
  running,
  waiting,
  maxRunning: 64,
  kvCacheUsage,
});

describe('prometheusText', () => {
  it("writes vLLM's gauges and counters, then VRAM per GPU in bytes and one loaded-model gauge per model", () => {
    const text = prometheusText({
      gpus: [
        { index: 0, name: 'NVIDIA H200', vramTotalMiB: 143_771, vramUsedMiB: 143_771 },
        { index: 1, name: 'NVIDIA H200', vramTotalMiB: 143_771, vramUsedMiB: 21_491 },
      ],
      models: [model('meta-llama/Llama-3.1-8B-Instruct', 'ready', 3, 1, 0.25), model('say "hi"', 'loading', 0, 0, 0)],
      batching: true,
      totals: new Map([['meta-llama/Llama-3.1-8B-Instruct', { promptTokens: 120, generationTokens: 48 }]]),
    });
    expect(text).toBe(
      [
        '# HELP vllm:num_requests_running Number of requests in model execution batches.',
        '# TYPE vllm:num_requests_running gauge',
        'vllm:num_requests_running{model_name="meta-llama/Llama-3.1-8B-Instruct"} 3',
        'vllm:num_requests_running{model_name="say \\"hi\\""} 0',
        '# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
        '# TYPE vllm:num_requests_waiting gauge',
        'vllm:num_requests_waiting{model_name="meta-llama/Llama-3.1-8B-Instruct"} 1',
        'vllm:num_requests_waiting{model_name="say \\"hi\\""} 0',
        '# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.',
        '# TYPE vllm:kv_cache_usage_perc gauge',
        'vllm:kv_cache_usage_perc{model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.25',
        'vllm:kv_cache_usage_perc{model_name="say \\"hi\\""} 0',
        '# HELP vllm:prompt_tokens_total Number of prefill tokens processed.',
        '# TYPE vllm:prompt_tokens_total counter',
        'vllm:prompt_tokens_total{model_name="meta-llama/Llama-3.1-8B-Instruct"} 120',
        '# HELP vllm:generation_tokens_total Number of generation tokens processed.',
        '# TYPE vllm:generation_tokens_total counter',
        'vllm:generation_tokens_total{model_name="meta-llama/Llama-3.1-8B-Instruct"} 48',
        '# HELP llmaas_gpu_vram_total_bytes Memory of the GPU in bytes.',
        '# TYPE llmaas_gpu_vram_total_bytes gauge',
        'llmaas_gpu_vram_total_bytes{gpu="0"} 150754820096',
        'llmaas_gpu_vram_total_bytes{gpu="1"} 150754820096',
        '# HELP llmaas_gpu_vram_used_bytes Memory of the GPU in use, in bytes.',
        '# TYPE llmaas_gpu_vram_used_bytes gauge',
        'llmaas_gpu_vram_used_bytes{gpu="0"} 150754820096',
        'llmaas_gpu_vram_used_bytes{gpu="1"} 22534946816',
        '# HELP llmaas_worker_model_loaded Models on the machine (1 per model, by state: loading, ready, unloading).',
        '# TYPE llmaas_worker_model_loaded gauge',
        'llmaas_worker_model_loaded{model="meta-llama/Llama-3.1-8B-Instruct",state="ready"} 1',
        'llmaas_worker_model_loaded{model="say \\"hi\\"",state="loading"} 1',
        '',
      ].join('\n'),
    );
    // What a scraper reads back, escapes undone.
    expect(parsePrometheusText(text).filter((s) => s.name === 'llmaas_worker_model_loaded').map((s) => s.labels)).toEqual([
      { model: 'meta-llama/Llama-3.1-8B-Instruct', state: 'ready' },
      { model: 'say "hi"', state: 'loading' },
    ]);
  });

  it('keeps every HELP and TYPE line on a machine with no model (series appear as models do)', () => {
    const text = prometheusText({ gpus: [{ index: 0, name: 'NVIDIA L40S', vramTotalMiB: 46_068, vramUsedMiB: 0 }], models: [], batching: true, totals: new Map() });
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual(['llmaas_gpu_vram_total_bytes{gpu="0"} 48305799168', 'llmaas_gpu_vram_used_bytes{gpu="0"} 0']);
    expect(text.match(/^# TYPE /gm)).toHaveLength(8);
  });

  it('leaves out the figures a machine does not know rather than writing zeros', () => {
    const text = prometheusText({ gpus: [], models: [model('qwen3:0.6b', 'ready', 0, 0, 0)], batching: false });
    expect(text).toBe(
      [
        '# HELP llmaas_gpu_vram_total_bytes Memory of the GPU in bytes.',
        '# TYPE llmaas_gpu_vram_total_bytes gauge',
        '# HELP llmaas_gpu_vram_used_bytes Memory of the GPU in use, in bytes.',
        '# TYPE llmaas_gpu_vram_used_bytes gauge',
        '# HELP llmaas_worker_model_loaded Models on the machine (1 per model, by state: loading, ready, unloading).',
        '# TYPE llmaas_worker_model_loaded gauge',
        'llmaas_worker_model_loaded{model="qwen3:0.6b",state="ready"} 1',
        '',
      ].join('\n'),
    );
  });
});
