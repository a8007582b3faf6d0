import { type FleetCommand } from '@llmaas/contracts';

import { getJson, getText } from './http-client.js';
import { type InferenceServer, type ServerState } from './inference-server.js';
import { type CommandOutcome, type EngineLog } from './machine-engine.js';
import { servedModelIds } from './openai-models.js';
import { parsePrometheusText } from './prometheus-text.js';
import { vllmMetrics, type VllmMetrics } from './vllm-metrics.js';
import { TransitionLog } from './transition-log.js';

export interface OpenAiServerOptions {
  readonly baseUrl: string;
  /** vLLM's --max-num-seqs: the batch the scheduler may fill. */
  readonly maxRunning: number;
  readonly workerId: string;
  readonly log: EngineLog;
  readonly timeoutMs?: number;
}

/**
 * Any OpenAI-compatible server (vLLM, llama.cpp, TGI, SGLang). Models come from /v1/models; the
 * batching state from vLLM's /metrics where the server has them. Servers without them (llama.cpp
 * without --metrics, TGI) still serve, reported with an empty queue.
 */
export class OpenAiServer implements InferenceServer {
  readonly engine = 'openai' as const;
  readonly reportsModelVram = false;
  private readonly metricsHealth: TransitionLog;
  private lastTokens: { total: number; at: number } | undefined;

  constructor(private readonly options: OpenAiServerOptions) {
    this.metricsHealth = new TransitionLog(
      (err) => options.log.log({ msg: 'no vLLM metrics; reporting an empty queue', workerId: options.workerId, url: options.baseUrl, err }),
      () => options.log.log({ msg: 'vLLM metrics readable', workerId: options.workerId, url: options.baseUrl }),
    );
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get reportsBatching(): boolean {
    return !this.metricsHealth.isFailing;
  }

  async poll(): Promise<ServerState> {
    const { baseUrl, timeoutMs } = this.options;
    const [ids, metrics] = await Promise.all([getJson(`${baseUrl}/v1/models`, timeoutMs).then(servedModelIds), this.readMetrics()]);
    const models = ids.map((model) => {
      const load = metrics?.models.get(model);
      // vramMiB: the weights' size is the catalog's, not the server's; nvidia-smi measures the GPUs.
      return { model, state: 'ready' as const, vramMiB: 0, running: load?.running ?? 0, waiting: load?.waiting ?? 0, maxRunning: this.options.maxRunning, kvCacheUsage: load?.kvCacheUsage ?? 0 };
    });
    return { models, tokensPerSecond: this.tokensPerSecond(metrics?.generationTokensTotal, Date.now()) };
  }

  private async readMetrics(): Promise<VllmMetrics | undefined> {
    try {
      const metrics = vllmMetrics(parsePrometheusText(await getText(`${this.options.baseUrl}/metrics`, this.options.timeoutMs)));
      if (metrics.models.size === 0) throw new Error('/metrics has no vllm:* request metrics');
      this.metricsHealth.ok();
      return metrics;
    } catch (error) {
      this.metricsHealth.failed(error);
      return undefined;
    }
  }

  /** The rate of vLLM's generated-token counter between two polls. */
  private tokensPerSecond(total: number | undefined, at: number): number {
    const previous = this.lastTokens;
    this.lastTokens = total === undefined ? undefined : { total, at };
    if (total === undefined || !previous || at <= previous.at || total < previous.total) return 0;
    return ((total - previous.total) * 1000) / (at - previous.at);
  }

  changeModels(command: FleetCommand & { action: 'load' | 'unload' }): CommandOutcome {
    // A vLLM server serves the model it was started with; swapping it is a restart, not a command.
    return { applied: false, detail: `the openai engine cannot ${command.action} models (${command.model ?? 'no model'}): ${this.baseUrl} serves what it was started with` };
  }

  close(): void {
    this.lastTokens = undefined;
  }
}
