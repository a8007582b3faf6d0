/**
 * GPU models a simulated machine can carry. VRAM totals are what `nvidia-smi` reports
 * (memory.total, MiB) on the real cards; the H200 figure is from ../shared/fixtures/nvidia-smi.
 * Compute and bandwidth feed the engine simulator (prefill is compute-bound, decode bandwidth-bound).
 */
export interface GpuProfile {
  readonly name: string;
  readonly vramTotalMiB: number;
  /** Dense BF16 tensor throughput, TFLOP/s. */
  readonly bf16Tflops: number;
  /** HBM / GDDR bandwidth, GB/s. */
  readonly memoryBandwidthGBs: number;
}

export const gpuProfiles: Readonly<Record<string, GpuProfile>> = {
  'H100-80GB': { name: 'NVIDIA H100 80GB HBM3', vramTotalMiB: 81559, bf16Tflops: 989, memoryBandwidthGBs: 3350 },
  'H200-141GB': { name: 'NVIDIA H200', vramTotalMiB: 143771, bf16Tflops: 989, memoryBandwidthGBs: 4800 },
  'L40S-48GB': { name: 'NVIDIA L40S', vramTotalMiB: 46068, bf16Tflops: 362, memoryBandwidthGBs: 864 },
  'A100-80GB': { name: 'NVIDIA A100 80GB PCIe', vramTotalMiB: 81920, bf16Tflops: 312, memoryBandwidthGBs: 1935 },
};
