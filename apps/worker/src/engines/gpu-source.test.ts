import { describe, expect, it, vi } from 'vitest';

import { gpuProfiles } from '../sim/gpu-profiles.js';
import { GpuSource, heartbeatGpus } from './gpu-source.js';

const h100 = gpuProfiles['H100-80GB']!;

describe('GpuSource', () => {
  it('reports the profile where nvidia-smi is absent, and stops asking', async () => {
    const probe = vi.fn(() => Promise.resolve(undefined));
    const source = new GpuSource([h100, h100], 0, probe);
    const reading = await source.read(1);
    expect(reading.measured).toBe(false);
    expect(reading.gpus.map((g) => g.memoryTotalMiB)).toEqual([81559, 81559]);
    await source.read(2);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(heartbeatGpus(reading, 100_000)).toEqual([
      { index: 0, name: h100.name, vramTotalMiB: 81559, vramUsedMiB: 81559 },
      { index: 1, name: h100.name, vramTotalMiB: 81559, vramUsedMiB: 18441 },
    ]);
  });

  it('reports measured figures, shares a fresh reading, and falls back (warning once) when nvidia-smi fails', async () => {
    const probe = vi
      .fn<() => Promise<{ index: number; name: string; memoryTotalMiB: number; memoryUsedMiB: number }[] | undefined>>()
      .mockResolvedValueOnce([{ index: 0, name: 'NVIDIA H200', memoryTotalMiB: 143771, memoryUsedMiB: 21491 }])
      .mockRejectedValue(new Error('nvidia-smi failed: NVML driver mismatch'));
    const warn = vi.fn();
    const source = new GpuSource([h100], 1000, probe, warn);
    const first = await source.read(0);
    expect(heartbeatGpus(first, 5)).toEqual([{ index: 0, name: 'NVIDIA H200', vramTotalMiB: 143771, vramUsedMiB: 21491 }]);
    expect(await source.read(500)).toBe(first);
    expect((await source.read(1000)).measured).toBe(false);
    expect((await source.read(2000)).measured).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(probe).toHaveBeenCalledTimes(3);
  });
});
