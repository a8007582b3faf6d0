import { describe, expect, it } from 'vitest';

import { decodeStepMs, gpusSpanned, kvBytesPerToken, loadMs, maxRunningFor, MiB, prefillMs, spreadOverGpus } from './engine-model.js';
import { gpuProfiles } from './gpu-profiles.js';

const h100 = gpuProfiles['H100-80GB']!;

describe('engine timing model', () => {
  it('estimates KV per token from the parameter count', () => {
    expect(kvBytesPerToken(8)).toBe(32 * 4096);
    expect(kvBytesPerToken(70)).toBeGreaterThan(kvBytesPerToken(8));
  });

  it('loads at the given bandwidth, scaled', () => {
    expect(loadMs(2000 * 1024, 2, 1)).toBeCloseTo(((2000 * 1024 * MiB) / 2e9) * 1000);
    expect(loadMs(16000, 2, 0)).toBe(0);
    expect(loadMs(16000, 2, 0.5)).toBeCloseTo(loadMs(16000, 2, 1) / 2);
  });

  it('makes prefill compute-bound and linear in prompt tokens', () => {
    const one = prefillMs(8, 1000, h100, 1, 1);
    expect(one).toBeCloseTo(((2 * 8e9 * 1000) / (989e12 * 0.4)) * 1000);
    expect(prefillMs(8, 2000, h100, 1, 1)).toBeCloseTo(2 * one);
    expect(prefillMs(8, 2000, h100, 2, 1)).toBeCloseTo(one);
    expect(prefillMs(8, 2000, h100, 1, 0)).toBe(0);
  });

  it('makes a decode step bandwidth-bound: weights bytes / bandwidth', () => {
    const step = decodeStepMs(15_000, 0, h100, 1, 1);
    expect(step).toBeCloseTo(((15_000 * MiB) / (3350e9 * 0.8)) * 1000);
    expect(decodeStepMs(15_000, 10 * MiB, h100, 1, 1)).toBeGreaterThan(step);
    expect(decodeStepMs(15_000, 0, h100, 1, 0)).toBe(0);
  });

  it('bounds the batch by KV headroom, capped at 256', () => {
    expect(maxRunningFor(1e15, 8, 8192)).toBe(256);
    expect(maxRunningFor(0, 8, 8192)).toBe(1);
    const perSeq = kvBytesPerToken(8) * 2048;
    expect(maxRunningFor(perSeq * 10.5, 8, 8192)).toBe(10);
  });

  it('spans as few GPUs as hold the weights and spreads usage over them', () => {
    const two = [h100, h100];
    expect(gpusSpanned(40_000, two)).toBe(1);
    expect(gpusSpanned(100_000, two)).toBe(2);
    expect(spreadOverGpus(100_000, two)).toEqual([81559, 100_000 - 81559]);
  });
});
