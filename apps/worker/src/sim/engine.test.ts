import { type ModelSpec } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { EngineError, SimEngine } from './engine.js';
import { kvBytesPerToken, MiB } from './engine-model.js';
import { gpuProfiles } from './gpu-profiles.js';

const l40s = gpuProfiles['L40S-48GB']!;
const h100 = gpuProfiles['H100-80GB']!;
const small: ModelSpec = { kind: 'chat', paramsBillion: 8, contextLength: 8192, reasoning: false, vramMiB: 16_000 };

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function run(engine: SimEngine, model: string, promptTokens: number, outputTokens: number) {
  const tokens: number[] = [];
  let done = false;
  const handle = engine.submit(model, { promptTokens, outputTokens }, { onToken: (i) => tokens.push(i), onDone: () => (done = true) });
  return { tokens, isDone: () => done, handle };
}

describe('SimEngine VRAM accounting', () => {
  it('loads, becomes ready, and frees the weights on unload', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    expect(engine.load('m', small)).toEqual({ ok: true, alreadyLoaded: false });
    expect(engine.snapshot()[0]).toMatchObject({ model: 'm', state: 'loading', vramMiB: 16_000 });
    expect(engine.usedBytes()).toBe(16_000 * MiB);
    await tick();
    expect(engine.ready('m')).toEqual(small);
    expect(engine.unload('m')).toBe(true);
    expect(engine.usedBytes()).toBe(0);
    expect(engine.snapshot()).toEqual([]);
  });

  it('refuses a load that would oversubscribe, and never reports more than the total', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    expect(engine.load('a', small).ok).toBe(true);
    expect(engine.load('b', small).ok).toBe(true);
    const refused = engine.load('c', small);
    expect(refused.ok).toBe(false);
    expect(engine.snapshot().map((m) => m.model)).toEqual(['a', 'b']);
    expect(engine.usedBytes()).toBeLessThanOrEqual(engine.capacityBytes());
    // A model bigger than one GPU spans the machine's GPUs, but never two machines' worth.
    const twoGpus = new SimEngine({ gpus: [h100, h100], timeScale: 0, loadGBs: 2 });
    expect(twoGpus.load('big', { ...small, paramsBillion: 70, vramMiB: 140_000 }).ok).toBe(true);
    expect(twoGpus.load('too-big', { ...small, paramsBillion: 405, vramMiB: 200_000 }).ok).toBe(false);
    await tick();
  });

  it('takes load time = weights / bandwidth × scale', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0.01, loadGBs: 2 });
    const started = Date.now();
    let readyAt = 0;
    engine.load('m', small, () => (readyAt = Date.now()));
    expect(engine.ready('m')).toBeUndefined();
    await until(() => readyAt > 0);
    // 16000 MiB / 2 GB/s = 8.4 s, × 0.01 = 84 ms
    expect(readyAt - started).toBeGreaterThanOrEqual(80);
  });

  it('reserves KV per running sequence and frees it at the end', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    engine.load('m', small);
    await tick();
    const a = run(engine, 'm', 100, 10);
    expect(engine.usedBytes()).toBe(16_000 * MiB + 110 * kvBytesPerToken(8));
    expect(engine.snapshot()[0]).toMatchObject({ running: 1, waiting: 0 });
    expect(engine.snapshot()[0]!.kvCacheUsage).toBeGreaterThan(0);
    await until(a.isDone);
    expect(a.tokens).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(engine.usedBytes()).toBe(16_000 * MiB);
  });

  it('rejects a sequence whose KV can never fit', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    engine.load('m', small);
    await tick();
    expect(() => run(engine, 'm', 1_000_000, 1)).toThrow(EngineError);
    expect(() => run(engine, 'other', 1, 1)).toThrow(/not loaded/);
  });
});

describe('SimEngine under random load', () => {
  it('never reports more VRAM in use than the machine has', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const handles: { cancel(): void }[] = [];
    for (let round = 0; round < 300; round++) {
      const model = `m${Math.floor(random() * 4)}`;
      const action = random();
      if (action < 0.2) engine.load(model, { ...small, paramsBillion: 1 + random() * 30, vramMiB: 2000 + Math.floor(random() * 20_000) });
      else if (action < 0.3) engine.unload(model);
      else if (action < 0.4) handles.splice(0, 1).forEach((h) => h.cancel());
      else if (engine.ready(model)) {
        try {
          handles.push(engine.submit(model, { promptTokens: Math.floor(random() * 4000), outputTokens: Math.floor(random() * 50) }, { onToken: () => undefined, onDone: () => undefined }));
        } catch (error) {
          expect(error).toBeInstanceOf(EngineError);
        }
      }
      expect(engine.usedBytes()).toBeLessThanOrEqual(engine.capacityBytes());
      if (round % 10 === 0) await tick();
    }
  });

  it('keeps a model asked back while it unloads, and drops a load in progress at once', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0.01, loadGBs: 2 });
    engine.load('m', small);
    expect(engine.unload('m')).toBe(true);
    expect(engine.usedBytes()).toBe(0);
    engine.load('m', small);
    await until(() => engine.ready('m') !== undefined);
    const a = run(engine, 'm', 10, 50);
    engine.unload('m');
    expect(engine.load('m', small)).toEqual({ ok: true, alreadyLoaded: true });
    await until(a.isDone);
    expect(engine.ready('m')).toEqual(small);
  });
});

describe('SimEngine batching', () => {
  it('caps running sequences at maxRunning, queues the rest, and admits them as slots free', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    // A 30B model leaves little KV room on an L40S, so the cap is small.
    const big: ModelSpec = { ...small, paramsBillion: 30, vramMiB: 40_000 };
    engine.load('m', big);
    await tick();
    const cap = engine.snapshot()[0]!.maxRunning;
    expect(cap).toBeGreaterThan(0);
    expect(cap).toBeLessThan(20);
    const seqs = Array.from({ length: cap + 3 }, () => run(engine, 'm', 10, 5));
    expect(engine.snapshot()[0]).toMatchObject({ running: cap, waiting: 3 });
    await until(() => seqs.every((s) => s.isDone()));
    expect(engine.snapshot()[0]).toMatchObject({ running: 0, waiting: 0 });
    expect(engine.totals.get('m')).toEqual({ promptTokens: 10 * (cap + 3), generationTokens: 5 * (cap + 3) });
  });

  it('frees the slot and KV of a cancelled sequence', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0.001, loadGBs: 2 });
    engine.load('m', small);
    await until(() => engine.ready('m') !== undefined);
    const a = run(engine, 'm', 10, 1_000);
    a.handle.cancel();
    expect(engine.snapshot()[0]).toMatchObject({ running: 0 });
    expect(engine.usedBytes()).toBe(16_000 * MiB);
  });

  it('paces decode by bandwidth: one step ≈ weights / bandwidth', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 1, loadGBs: 1e6 });
    engine.load('m', small);
    await until(() => engine.ready('m') !== undefined);
    // 16000 MiB / (864 GB/s × 0.8) ≈ 24 ms per token on an L40S
    const started = performance.now();
    const a = run(engine, 'm', 10, 6);
    await until(a.isDone);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(5 * 24 - 5);
    expect(elapsed).toBeLessThan(600);
  });

  it('delays the first token by the compute-bound prefill', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0.01, loadGBs: 1e6 });
    engine.load('m', small);
    await until(() => engine.ready('m') !== undefined);
    // 2 × 8e9 × 6000 FLOPs / (362 TFLOP/s × 0.4) ≈ 663 ms, × 0.01 ≈ 6.6 ms; decode ≈ 0.24 ms a token
    const started = performance.now();
    let firstAt = 0;
    let done = false;
    engine.submit('m', { promptTokens: 6000, outputTokens: 2 }, { onToken: () => (firstAt ||= performance.now()), onDone: () => (done = true) });
    await until(() => done);
    expect(firstAt - started).toBeGreaterThanOrEqual(6);
  });

  it('finishes running work when unloading, then frees the VRAM', async () => {
    const engine = new SimEngine({ gpus: [l40s], timeScale: 0, loadGBs: 2 });
    engine.load('m', small);
    await tick();
    const a = run(engine, 'm', 10, 20);
    engine.unload('m');
    expect(engine.snapshot()[0]?.state).toBe('unloading');
    expect(engine.ready('m')).toBeUndefined();
    await until(a.isDone);
    expect(a.tokens).toHaveLength(20);
    expect(engine.usedBytes()).toBe(0);
  });
});
