import { describe, expect, it } from 'vitest';

import { parsePrometheusText } from './prometheus-text.js';
import { vllmMetrics } from './vllm-metrics.js';

// Trimmed from a vLLM 0.10 server's /metrics (one model, engine 0), with the process metrics around it.
const VLLM_METRICS_SAMPLE = `# HELP python_gc_objects_collected_total Objects collected during gc
# TYPE python_gc_objects_collected_total counter
python_gc_objects_collected_total{generation="0"} 12345.0
python_gc_objects_collected_total{generation="1"} 678.0
# HELP process_resident_memory_bytes Resident memory size in bytes.
# TYPE process_resident_memory_bytes gauge
process_resident_memory_bytes 2.147483648e+09
# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 7.0
# HELP vllm:num_requests_waiting Number of requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 3.0
# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:kv_cache_usage_perc gauge
vllm:kv_cache_usage_perc{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.4215
# HELP vllm:prefix_cache_queries_total Prefix cache queries, in terms of number of queried tokens.
# TYPE vllm:prefix_cache_queries_total counter
vllm:prefix_cache_queries_total{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 90412.0
# HELP vllm:generation_tokens_total Number of generation tokens processed.
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 51234.0
# HELP vllm:time_to_first_token_seconds Histogram of time to first token in seconds.
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.001",model_name="meta-llama/Llama-3.1-8B-Instruct"} 0.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="meta-llama/Llama-3.1-8B-Instruct"} 412.0
vllm:time_to_first_token_seconds_sum{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 38.91
vllm:time_to_first_token_seconds_count{engine="0",model_name="meta-llama/Llama-3.1-8B-Instruct"} 412.0
# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig
# TYPE vllm:cache_config_info gauge
vllm:cache_config_info{block_size="16",cache_dtype="auto",enable_prefix_caching="True",gpu_memory_utilization="0.9",num_gpu_blocks="27724"} 1.0
`;

describe('parsePrometheusText', () => {
  it('reads names, several labels, exponent values and skips HELP / TYPE lines', () => {
    const samples = parsePrometheusText(VLLM_METRICS_SAMPLE);
    expect(samples.some((s) => s.name.startsWith('#'))).toBe(false);
    expect(samples.find((s) => s.name === 'process_resident_memory_bytes')?.value).toBe(2_147_483_648);
    expect(samples.find((s) => s.name === 'vllm:num_requests_running')).toEqual({
      name: 'vllm:num_requests_running',
      labels: { engine: '0', model_name: 'meta-llama/Llama-3.1-8B-Instruct' },
      value: 7,
    });
    const inf = samples.find((s) => s.labels['le'] === '+Inf');
    expect(inf?.value).toBe(412);
  });

  it('reads escaped label values, timestamps and special values, and skips broken lines', () => {
    const samples = parsePrometheusText(
      ['m{a="x \\"quoted\\", y",b="back\\\\slash"} 1 1712345678000', 'n +Inf', 'o NaN', 'broken{a="x"', 'p{a="1"} notanumber', '  ', 'q{} -2.5'].join('\n'),
    );
    expect(samples.map((s) => s.name)).toEqual(['m', 'n', 'o', 'q']);
    expect(samples[0]?.labels).toEqual({ a: 'x "quoted", y', b: 'back\\slash' });
    expect(samples[0]?.value).toBe(1);
    expect(samples[1]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(samples[2]?.value).toBeNaN();
    expect(samples[3]?.value).toBe(-2.5);
  });
});

describe('vllmMetrics', () => {
  it('takes running, waiting and KV-cache usage per model and ignores the rest', () => {
    const metrics = vllmMetrics(parsePrometheusText(VLLM_METRICS_SAMPLE));
    expect([...metrics.models]).toEqual([['meta-llama/Llama-3.1-8B-Instruct', { running: 7, waiting: 3, kvCacheUsage: 0.4215 }]]);
    expect(metrics.generationTokensTotal).toBe(51234);
  });

  it('adds data-parallel engines up, averages their KV-cache, and reads the pre-0.10 cache metric', () => {
    const text = [
      'vllm:num_requests_running{engine="0",model_name="a"} 2',
      'vllm:num_requests_running{engine="1",model_name="a"} 4',
      'vllm:num_requests_waiting{engine="0",model_name="a"} 1',
      'vllm:kv_cache_usage_perc{engine="0",model_name="a"} 0.2',
      'vllm:kv_cache_usage_perc{engine="1",model_name="a"} 0.6',
      'vllm:gpu_cache_usage_perc{model_name="b"} 0.5',
      'vllm:num_requests_running{model_name="b"} NaN',
      'vllm:num_requests_running 9',
    ].join('\n');
    const { models, generationTokensTotal } = vllmMetrics(parsePrometheusText(text));
    expect(models.get('a')).toEqual({ running: 6, waiting: 1, kvCacheUsage: expect.closeTo(0.4, 10) as number });
    expect(models.get('b')).toEqual({ running: 0, waiting: 0, kvCacheUsage: 0.5 });
    expect(models.size).toBe(2);
    expect(generationTokensTotal).toBeUndefined();
  });
});
