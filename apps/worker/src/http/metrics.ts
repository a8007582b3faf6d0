import { type LoadedModel } from '@llmaas/contracts';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text with vLLM's metric names, so dashboards and scrapers built for vLLM read it. */
export function prometheusText(models: readonly LoadedModel[], totals: ReadonlyMap<string, { promptTokens: number; generationTokens: number }>): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: (m: LoadedModel) => number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const m of models) lines.push(`${name}{model_name="${label(m.model)}"} ${value(m)}`);
  };
  gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', (m) => m.running);
  gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', (m) => m.waiting);
  gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', (m) => m.kvCacheUsage);
  const counter = (name: string, help: string, value: (t: { promptTokens: number; generationTokens: number }) => number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
    for (const [model, t] of totals) lines.push(`${name}{model_name="${label(model)}"} ${value(t)}`);
  };
  counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', (t) => t.promptTokens);
  counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', (t) => t.generationTokens);
  return `${lines.join('\n')}\n`;
}
