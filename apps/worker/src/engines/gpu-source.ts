import { type WorkerHeartbeat } from '@llmaas/contracts';

import { probeNvidiaSmi, type GpuMemory } from '../probe/nvidia-smi.js';
import { spreadOverGpus } from '../sim/engine-model.js';
import { type GpuProfile } from '../sim/gpu-profiles.js';
import { TransitionLog } from './transition-log.js';

type GpuInfo = WorkerHeartbeat['gpus'][number];

export interface GpuReading {
  readonly gpus: readonly GpuMemory[];
  /** False where the figures are the configured profile's: VRAM used is then the engine's estimate. */
  readonly measured: boolean;
}

export type NvidiaSmiProbe = () => Promise<GpuMemory[] | undefined>;

/**
 * The GPUs of this host: nvidia-smi where the host has it, else the configured profile. One
 * instance serves every machine of the process, and readings are shared for `maxAgeMs` so N
 * machines polling each second run nvidia-smi about once a second, not N times.
 */
export class GpuSource {
  private absent = false;
  private last: { at: number; reading: Promise<GpuReading> } | undefined;
  private readonly probeHealth: TransitionLog;

  constructor(
    private readonly profile: readonly GpuProfile[],
    private readonly maxAgeMs: number,
    private readonly probe: NvidiaSmiProbe = probeNvidiaSmi,
    warn: (entry: Record<string, unknown>) => void = () => undefined,
  ) {
    this.probeHealth = new TransitionLog(
      (err) => warn({ msg: 'nvidia-smi failed; reporting the configured GPU profile', err }),
      () => warn({ msg: 'nvidia-smi answers again' }),
    );
  }

  read(now = Date.now()): Promise<GpuReading> {
    if (this.last && now - this.last.at < this.maxAgeMs) return this.last.reading;
    const reading = this.measure();
    this.last = { at: now, reading };
    return reading;
  }

  private async measure(): Promise<GpuReading> {
    if (!this.absent) {
      try {
        const gpus = await this.probe();
        this.probeHealth.ok();
        // A host without the binary will not grow one: stop spawning a process per poll.
        if (gpus === undefined) this.absent = true;
        else if (gpus.length > 0) return { gpus, measured: true };
      } catch (error) {
        this.probeHealth.failed(error);
      }
    }
    return { gpus: this.profile.map((gpu, index) => ({ index, name: gpu.name, memoryTotalMiB: gpu.vramTotalMiB, memoryUsedMiB: 0 })), measured: false };
  }
}

/** The heartbeat's GPUs: measured figures as they are, or the profile's with the models' VRAM spread over them. */
export function heartbeatGpus(reading: GpuReading, modelsVramMiB: number): GpuInfo[] {
  const used = reading.measured
    ? reading.gpus.map((gpu) => gpu.memoryUsedMiB)
    : spreadOverGpus(
        modelsVramMiB,
        reading.gpus.map((gpu) => ({ name: gpu.name, vramTotalMiB: gpu.memoryTotalMiB, bf16Tflops: 0, memoryBandwidthGBs: 0 })),
      );
  return reading.gpus.map((gpu, i) => ({
    index: gpu.index,
    name: gpu.name,
    vramTotalMiB: Math.round(gpu.memoryTotalMiB),
    vramUsedMiB: Math.round(Math.min(used[i] ?? 0, gpu.memoryTotalMiB)),
  }));
}
