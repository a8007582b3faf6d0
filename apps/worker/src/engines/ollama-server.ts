import { type FleetCommand, type LoadedModel } from '@llmaas/contracts';

import { getJson, postJson } from './http-client.js';
import { type InferenceServer, type ServerState } from './inference-server.js';
import { type CommandOutcome, type EngineLog } from './machine-engine.js';
import { ollamaLoadedModels } from './ollama-ps.js';

/** Ollama answers a load once the weights are in VRAM: minutes for a large model from a slow disk. */
const LOAD_TIMEOUT_MS = 10 * 60_000;
const UNLOAD_TIMEOUT_MS = 30_000;
/** How long Ollama keeps a model the scheduler placed; inference requests may shorten it (OLLAMA_KEEP_ALIVE). */
const PLACED_KEEP_ALIVE = '24h';

export interface OllamaServerOptions {
  readonly baseUrl: string;
  /** OLLAMA_NUM_PARALLEL of the server: requests it runs at once per model. */
  readonly maxRunning: number;
  readonly workerId: string;
  readonly log: EngineLog;
  readonly timeoutMs?: number;
}

interface PendingLoad {
  readonly vramMiB: number;
  /** When the load request returned; undefined while it runs. */
  finishedAt?: number;
}

/**
 * An Ollama server: /api/ps tells what it holds; loads and unloads are /api/generate calls
 * without a prompt. Between a command and /api/ps showing its effect the model is reported
 * loading or unloading, so the scheduler does not place it twice or route to a leaving model.
 */
export class OllamaServer implements InferenceServer {
  readonly engine = 'ollama' as const;
  readonly reportsModelVram = true;
  /** Ollama does not expose its queue. */
  readonly reportsBatching = false;
  private readonly loading = new Map<string, PendingLoad>();
  private readonly unloading = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly cancel = new AbortController();
  private lastSeen = new Set<string>();

  constructor(private readonly options: OllamaServerOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async poll(): Promise<ServerState> {
    const startedAt = Date.now();
    const held = ollamaLoadedModels(await getJson(`${this.baseUrl}/api/ps`, this.options.timeoutMs));
    this.lastSeen = new Set(held.map((m) => m.model));
    for (const model of this.unloading) if (!this.lastSeen.has(model)) this.unloading.delete(model);
    for (const [model, pending] of this.loading) {
      // A poll that began after the load returned and still lacks the model: Ollama let it go.
      if (this.lastSeen.has(model) || (pending.finishedAt !== undefined && pending.finishedAt <= startedAt)) this.loading.delete(model);
    }
    const models = held.map(({ model, vramMiB }) => this.entry(model, 'ready', vramMiB));
    return { models, tokensPerSecond: 0 };
  }

  overlay(models: readonly LoadedModel[]): LoadedModel[] {
    const marked = models.map((m) => (this.unloading.has(m.model) ? { ...m, state: 'unloading' as const } : m));
    for (const [model, pending] of this.loading) if (!marked.some((m) => m.model === model)) marked.push(this.entry(model, 'loading', pending.vramMiB));
    return marked;
  }

  private entry(model: string, state: LoadedModel['state'], vramMiB: number): LoadedModel {
    // Ollama does not expose its queue: the scheduler sees the cap, never a backlog.
    return { model, state, vramMiB, running: 0, waiting: 0, maxRunning: this.options.maxRunning, kvCacheUsage: 0 };
  }

  changeModels(command: FleetCommand & { action: 'load' | 'unload' }): CommandOutcome {
    const model = command.model;
    if (!model) return { applied: false, detail: `${command.action} needs model` };
    if (command.action === 'load') {
      if (this.loading.has(model)) return { applied: true, detail: `${model} already loading` };
      const present = this.lastSeen.has(model) && !this.unloading.has(model);
      this.unloading.delete(model);
      const pending: PendingLoad = { vramMiB: command.spec?.vramMiB ?? 0 };
      if (!present) this.loading.set(model, pending);
      // Sent even when present: it renews the keep-alive, which an inference request may have shortened.
      this.track(model, 'load', { model, keep_alive: PLACED_KEEP_ALIVE }, LOAD_TIMEOUT_MS, pending);
      return { applied: true, detail: present ? `${model} already present` : `loading ${model}` };
    }
    if (!this.lastSeen.has(model) && !this.loading.has(model)) return { applied: false, detail: `${model} is not loaded` };
    this.loading.delete(model);
    this.unloading.add(model);
    this.track(model, 'unload', { model, keep_alive: 0 }, UNLOAD_TIMEOUT_MS);
    return { applied: true, detail: `unloading ${model}` };
  }

  private track(model: string, action: 'load' | 'unload', body: Record<string, unknown>, timeoutMs: number, pending?: PendingLoad): void {
    const { workerId, log } = this.options;
    const request = postJson(`${this.baseUrl}/api/generate`, body, timeoutMs, this.cancel.signal).then(
      () => {
        if (pending) pending.finishedAt = Date.now();
        log.log({ msg: action === 'load' ? 'model ready' : 'model unloaded', workerId, model });
      },
      (error: unknown) => {
        if (this.cancel.signal.aborted) return;
        if (action === 'load' && this.loading.get(model) === pending) this.loading.delete(model);
        if (action === 'unload') this.unloading.delete(model);
        log.warn({ msg: `${action} failed`, workerId, model, err: error instanceof Error ? error.message : String(error) });
      },
    );
    this.inFlight.add(request);
    void request.finally(() => this.inFlight.delete(request));
  }

  /** Resolves once every load and unload sent so far has answered (tests, orderly shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.cancel.abort();
  }
}
