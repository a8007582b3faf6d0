import { performance } from 'node:perf_hooks';

import { type LoadedModel, type ModelSpec } from '@llmaas/contracts';

import { decodeStepMs, gpusSpanned, kvBytesPerToken, loadMs, maxRunningFor, MiB, prefillMs, referenceSequenceTokens } from './engine-model.js';
import { type GpuProfile } from './gpu-profiles.js';

export interface EngineOptions {
  readonly gpus: readonly GpuProfile[];
  /** Multiplies every engine latency; 0 = tokens as fast as the event loop allows. */
  readonly timeScale: number;
  /** Weights load bandwidth, GB/s. */
  readonly loadGBs: number;
}

export interface SequenceJob {
  readonly promptTokens: number;
  /** Tokens this sequence will emit (0 for pooling work: embeddings, rerank). */
  readonly outputTokens: number;
}

export interface SequenceHandlers {
  /** The i-th output token (0-based) is ready. */
  onToken(index: number): void;
  onDone(): void;
}

export interface SequenceHandle {
  cancel(): void;
}

export class EngineError extends Error {
  constructor(
    readonly code: 'model_not_loaded' | 'kv_cache_exhausted',
    message: string,
  ) {
    super(message);
  }
}

export type LoadOutcome = { ok: true; alreadyLoaded: boolean } | { ok: false; reason: string };

interface Sequence {
  readonly job: SequenceJob;
  readonly handlers: SequenceHandlers;
  readonly kvBytes: number;
  nextAt: number;
  emitted: number;
  state: 'waiting' | 'running' | 'done';
}

interface ModelRuntime {
  readonly model: string;
  readonly spec: ModelSpec;
  readonly weightsBytes: number;
  readonly kvPerToken: number;
  readonly gpus: number;
  state: LoadedModel['state'];
  readonly running: Set<Sequence>;
  readonly waiting: Sequence[];
  kvInUse: number;
  loadTimer: NodeJS.Timeout | undefined;
  stepTimer: NodeJS.Timeout | undefined;
  stepImmediate: NodeJS.Immediate | undefined;
}

/** Most tokens one sequence emits in one engine iteration, so one step never hogs the loop. */
const MAX_TOKENS_PER_STEP = 32;

/** Seconds of token history behind `tokensPerSecond`. */
const RATE_WINDOW_S = 5;

/**
 * The inference engine of one simulated machine: which models hold VRAM, and continuous batching
 * of their sequences. VRAM is accounted as weights (reserved from the start of a load) plus the KV
 * cache each running sequence reserves for its whole length (prompt + output) when admitted, so
 * nothing can grow past what was checked: neither a load nor an admission ever oversubscribes.
 */
export class SimEngine {
  private readonly models = new Map<string, ModelRuntime>();
  private readonly totalBytes: number;
  private readonly rateBuckets = new Float64Array(RATE_WINDOW_S + 1);
  private readonly rateSeconds = new Float64Array(RATE_WINDOW_S + 1);
  readonly totals = new Map<string, { promptTokens: number; generationTokens: number }>();

  constructor(private readonly options: EngineOptions) {
    this.totalBytes = options.gpus.reduce((sum, gpu) => sum + gpu.vramTotalMiB, 0) * MiB;
  }

  /** Starts loading a model; refused when weights plus one reference sequence of KV do not fit. */
  load(model: string, spec: ModelSpec, onReady?: () => void): LoadOutcome {
    const existing = this.models.get(model);
    if (existing) {
      // Loading it again while it drains for an unload keeps it: the operator changed their mind.
      if (existing.state === 'unloading') existing.state = 'ready';
      return { ok: true, alreadyLoaded: true };
    }
    const weightsBytes = spec.vramMiB * MiB;
    const kvPerToken = kvBytesPerToken(spec.paramsBillion);
    const need = weightsBytes + kvPerToken * referenceSequenceTokens(spec.contextLength);
    const free = this.freeBytes();
    if (need > free) {
      return { ok: false, reason: `needs ${Math.ceil(need / MiB)} MiB (weights ${spec.vramMiB} + KV for one sequence), ${Math.floor(free / MiB)} MiB free` };
    }
    const runtime: ModelRuntime = {
      model,
      spec,
      weightsBytes,
      kvPerToken,
      gpus: gpusSpanned(spec.vramMiB, this.options.gpus),
      state: 'loading',
      running: new Set(),
      waiting: [],
      kvInUse: 0,
      loadTimer: undefined,
      stepTimer: undefined,
      stepImmediate: undefined,
    };
    this.models.set(model, runtime);
    runtime.loadTimer = setTimeout(() => {
      runtime.loadTimer = undefined;
      runtime.state = 'ready';
      onReady?.();
    }, loadMs(spec.vramMiB, this.options.loadGBs, this.options.timeScale));
    runtime.loadTimer.unref();
    return { ok: true, alreadyLoaded: false };
  }

  /** Stops taking requests for the model; its VRAM is freed once its sequences have finished. */
  unload(model: string): boolean {
    const runtime = this.models.get(model);
    if (!runtime) return false;
    if (runtime.state === 'loading') {
      // Nothing runs on a model still loading: abandon the load and free its VRAM now.
      if (runtime.loadTimer) clearTimeout(runtime.loadTimer);
      this.models.delete(model);
      this.admitEverywhere();
      return true;
    }
    runtime.state = 'unloading';
    this.freeIfDrained(runtime);
    return true;
  }

  /** The spec of a model that can take requests now, or undefined. */
  ready(model: string): ModelSpec | undefined {
    const runtime = this.models.get(model);
    return runtime?.state === 'ready' ? runtime.spec : undefined;
  }

  readyModels(): { model: string; spec: ModelSpec }[] {
    return [...this.models.values()].filter((m) => m.state === 'ready').map((m) => ({ model: m.model, spec: m.spec }));
  }

  /** Queues a sequence; it runs when a batch slot and its KV are free (FIFO per model). */
  submit(model: string, job: SequenceJob, handlers: SequenceHandlers): SequenceHandle {
    const runtime = this.models.get(model);
    if (runtime?.state !== 'ready') throw new EngineError('model_not_loaded', `model ${model} is not loaded`);
    const kvBytes = (job.promptTokens + job.outputTokens) * runtime.kvPerToken;
    if (kvBytes > this.kvHeadroomBytes()) {
      throw new EngineError('kv_cache_exhausted', `the sequence needs ${Math.ceil(kvBytes / MiB)} MiB of KV cache, more than this machine can ever hold for it`);
    }
    const seq: Sequence = { job, handlers, kvBytes, nextAt: 0, emitted: 0, state: 'waiting' };
    runtime.waiting.push(seq);
    this.admit(runtime);
    return { cancel: () => this.cancel(runtime, seq) };
  }

  /** VRAM in use: weights of every model present (loading included) plus KV reserved. */
  usedBytes(): number {
    let used = 0;
    for (const m of this.models.values()) used += m.weightsBytes + m.kvInUse;
    return used;
  }

  capacityBytes(): number {
    return this.totalBytes;
  }

  snapshot(): LoadedModel[] {
    return [...this.models.values()].map((m) => {
      const maxRunning = this.maxRunning(m);
      const budget = this.kvBudgetBytes();
      return {
        model: m.model,
        state: m.state,
        vramMiB: Math.round((m.weightsBytes + m.kvInUse) / MiB),
        running: m.running.size,
        waiting: m.waiting.length,
        maxRunning,
        kvCacheUsage: budget > 0 ? Math.min(1, m.kvInUse / budget) : 0,
      };
    });
  }

  /** Output tokens per second over the last few seconds. */
  tokensPerSecond(nowMs = Date.now()): number {
    const second = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.rateBuckets.length; i++) {
      const age = second - (this.rateSeconds[i] ?? 0);
      if (age >= 1 && age <= RATE_WINDOW_S) sum += this.rateBuckets[i] ?? 0;
    }
    return sum / RATE_WINDOW_S;
  }

  /** True when no sequence is running or waiting. */
  idle(): boolean {
    for (const m of this.models.values()) if (m.running.size > 0 || m.waiting.length > 0) return false;
    return true;
  }

  close(): void {
    for (const m of this.models.values()) {
      if (m.loadTimer) clearTimeout(m.loadTimer);
      this.stopStepping(m);
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private weightsBytes(): number {
    let weights = 0;
    for (const m of this.models.values()) weights += m.weightsBytes;
    return weights;
  }

  private freeBytes(): number {
    return this.totalBytes - this.usedBytes();
  }

  /** VRAM left for KV once every model's weights are in. */
  private kvHeadroomBytes(): number {
    return Math.max(0, this.totalBytes - this.weightsBytes());
  }

  /** Each model's fair share of the KV headroom: what its batch cap and usage are measured against. */
  private kvBudgetBytes(): number {
    return this.kvHeadroomBytes() / Math.max(1, this.models.size);
  }

  private maxRunning(m: ModelRuntime): number {
    return maxRunningFor(this.kvBudgetBytes(), m.spec.paramsBillion, m.spec.contextLength);
  }

  private admit(m: ModelRuntime): void {
    if (m.waiting.length === 0) return;
    const cap = this.maxRunning(m);
    const now = performance.now();
    while (m.waiting.length > 0 && m.running.size < cap) {
      const head = m.waiting[0]!;
      if (head.kvBytes > this.freeBytes()) break; // FCFS: the head waits for KV, as in vLLM
      m.waiting.shift();
      head.state = 'running';
      m.kvInUse += head.kvBytes;
      // The first token comes out of the prefill pass.
      head.nextAt = now + prefillMs(m.spec.paramsBillion, head.job.promptTokens, this.options.gpus[0]!, m.gpus, this.options.timeScale);
      m.running.add(head);
      this.countPrompt(m.model, head.job.promptTokens);
    }
    this.schedule(m);
  }

  private admitEverywhere(): void {
    for (const m of this.models.values()) this.admit(m);
  }

  private schedule(m: ModelRuntime): void {
    if (m.stepTimer || m.stepImmediate || m.running.size === 0) return;
    if (this.options.timeScale === 0) {
      m.stepImmediate = setImmediate(() => {
        m.stepImmediate = undefined;
        this.step(m);
      });
      return;
    }
    let wake = Infinity;
    for (const seq of m.running) if (seq.nextAt < wake) wake = seq.nextAt;
    m.stepTimer = setTimeout(
      () => {
        m.stepTimer = undefined;
        this.step(m);
      },
      Math.max(0, wake - performance.now()),
    );
  }

  private stopStepping(m: ModelRuntime): void {
    if (m.stepTimer) clearTimeout(m.stepTimer);
    if (m.stepImmediate) clearImmediate(m.stepImmediate);
    m.stepTimer = undefined;
    m.stepImmediate = undefined;
  }

  /** One engine iteration: every sequence whose next token is due emits it. */
  private step(m: ModelRuntime): void {
    const now = performance.now();
    // Sequences due within half a millisecond share this step (timers are not finer than that).
    const due = now + 0.5;
    const stepMs = decodeStepMs(m.spec.vramMiB, m.kvInUse, this.options.gpus[0]!, m.gpus, this.options.timeScale);
    let finished = false;
    let emitted = 0;
    for (const seq of m.running) {
      if (seq.nextAt > due) continue;
      // Steps shorter than a timer tick (small models, fast GPUs) emit every token that is due, so
      // the rate follows the model rather than the event loop; at scale 0 one token per turn.
      let burst = 0;
      while (seq.state === 'running' && seq.emitted < seq.job.outputTokens && seq.nextAt <= due && burst < MAX_TOKENS_PER_STEP) {
        const index = seq.emitted++;
        emitted++;
        burst++;
        seq.handlers.onToken(index);
        // Keep the cadence from the planned time, so a late timer catches up instead of drifting.
        seq.nextAt = stepMs === 0 ? Infinity : Math.max(seq.nextAt + stepMs, now - stepMs);
      }
      if (stepMs === 0) seq.nextAt = now;
      if (seq.state === 'running' && seq.emitted >= seq.job.outputTokens) {
        this.finish(m, seq);
        seq.handlers.onDone();
        finished = true;
      }
    }
    if (emitted > 0) this.countGenerated(m.model, emitted);
    if (finished) {
      this.admitEverywhere();
      this.freeIfDrained(m);
    }
    this.schedule(m);
  }

  private finish(m: ModelRuntime, seq: Sequence): void {
    seq.state = 'done';
    m.running.delete(seq);
    m.kvInUse -= seq.kvBytes;
  }

  private cancel(m: ModelRuntime, seq: Sequence): void {
    if (seq.state === 'done') return;
    if (seq.state === 'waiting') {
      const at = m.waiting.indexOf(seq);
      if (at >= 0) m.waiting.splice(at, 1);
      seq.state = 'done';
    } else {
      this.finish(m, seq);
    }
    this.admitEverywhere();
    this.freeIfDrained(m);
  }

  private freeIfDrained(m: ModelRuntime): void {
    if (m.state !== 'unloading' || m.running.size > 0 || m.waiting.length > 0) return;
    this.stopStepping(m);
    if (this.models.get(m.model) === m) this.models.delete(m.model);
    this.admitEverywhere();
  }

  private countPrompt(model: string, tokens: number): void {
    this.totalsFor(model).promptTokens += tokens;
  }

  private countGenerated(model: string, tokens: number): void {
    this.totalsFor(model).generationTokens += tokens;
    const second = Math.floor(Date.now() / 1000);
    const slot = second % this.rateBuckets.length;
    if (this.rateSeconds[slot] !== second) {
      this.rateSeconds[slot] = second;
      this.rateBuckets[slot] = 0;
    }
    this.rateBuckets[slot] = (this.rateBuckets[slot] ?? 0) + tokens;
  }

  private totalsFor(model: string): { promptTokens: number; generationTokens: number } {
    let totals = this.totals.get(model);
    if (!totals) {
      totals = { promptTokens: 0, generationTokens: 0 };
      this.totals.set(model, totals);
    }
    return totals;
  }
}
