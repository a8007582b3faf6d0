import { type LoadedModel, type WorkerHeartbeat } from '@llmaas/contracts';

const MiB = 1024 * 1024;

type GpuInfo = WorkerHeartbeat['gpus'][number];

export interface TokenTotals {
  readonly promptTokens: number;
  readonly generationTokens: number;
}

/**
 * What one machine's /metrics tells (docs/monitoring.md), limited to what the machine knows:
 * figures it lacks are left out, never written as zeros.
 */
export interface MachineMetrics {
  /** Measured or simulated VRAM per GPU; empty where nobody knows it. */
  readonly gpus: readonly GpuInfo[];
  readonly models: readonly LoadedModel[];
  /** Whether the models' running, waiting and KV-cache figures are the engine's own (sim, vLLM's /metrics). */
  readonly batching: boolean;
  /** Tokens per model, where the engine counts them (sim). */
  readonly totals?: ReadonlyMap<string, TokenTotals>;
}

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * A machine's /metrics in Prometheus text: vLLM's metric names (so dashboards and scrapers built
 * for vLLM read it) and the llmaas_* machine gauges. No worker label: Prometheus adds it per target.
 */
export function prometheusText(machine: MachineMetrics): string {
  const lines: string[] = [];
  const header = (name: string, help: string, type: 'gauge' | 'counter') => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  if (machine.batching) {
    const gauge = (name: string, help: string, value: (m: LoadedModel) => number) => {
      header(name, help, 'gauge');
      for (const m of machine.models) lines.push(`${name}{model_name="${label(m.model)}"} ${value(m)}`);
    };
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', (m) => m.running);
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', (m) => m.waiting);
    gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', (m) => m.kvCacheUsage);
  }
  const totals = machine.totals;
  if (totals) {
    const counter = (name: string, help: string, value: (t: TokenTotals) => number) => {
      header(name, help, 'counter');
      for (const [model, t] of totals) lines.push(`${name}{model_name="${label(model)}"} ${value(t)}`);
    };
    counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', (t) => t.promptTokens);
    counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', (t) => t.generationTokens);
  }
  const perGpu = (name: string, help: string, mib: (g: GpuInfo) => number) => {
    header(name, help, 'gauge');
    for (const g of machine.gpus) lines.push(`${name}{gpu="${g.index}"} ${mib(g) * MiB}`);
  };
  perGpu('llmaas_gpu_vram_total_bytes', 'Memory of the GPU in bytes.', (g) => g.vramTotalMiB);
  perGpu('llmaas_gpu_vram_used_bytes', 'Memory of the GPU in use, in bytes.', (g) => g.vramUsedMiB);
  header('llmaas_worker_model_loaded', 'Models on the machine (1 per model, by state: loading, ready, unloading).', 'gauge');
  for (const m of machine.models) lines.push(`llmaas_worker_model_loaded{model="${label(m.model)}",state="${m.state}"} 1`);
  return `${lines.join('\n')}\n`;
}
