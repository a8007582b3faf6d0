import { type GpuProfile } from './gpu-profiles.js';

/**
 * The simulator's physics, as plain functions so they can be checked by hand. Every duration is in
 * milliseconds of wall time and already multiplied by the time scale (0 = no engine latency).
 */

export const MiB = 1024 * 1024;

/** Continuous-batching cap of vLLM's default scheduler (max_num_seqs). */
export const MAX_RUNNING_CAP = 256;

/**
 * Prefill keeps the tensor cores busy but never at peak: 40 % model FLOPs utilisation is what
 * vLLM reaches on long prompts on Hopper. Decode streams the weights once per step at ~80 % of the
 * memory bandwidth.
 */
export const PREFILL_UTILISATION = 0.4;
export const DECODE_BANDWIDTH_UTILISATION = 0.8;

/**
 * KV-cache bytes per token, from the parameter count alone (the catalog gives nothing else):
 * modern models use grouped-query attention with 8 KV heads of 128 dims in BF16, so each layer
 * stores K and V = 2 × 8 × 128 × 2 B = 4096 B per token; the layer count follows
 * layers ≈ 15.5 × P^0.35 (P in billions), which gives 32 layers at 8B (Llama-3-8B: 32), 68 at 70B
 * (80) and 127 at 405B (126). So 8B → 128 KiB/token, 70B → 272 KiB/token.
 */
export function kvBytesPerToken(paramsBillion: number): number {
  const layers = Math.max(1, Math.round(15.5 * Math.pow(paramsBillion, 0.35)));
  return layers * 4096;
}

/**
 * KV sized for this many tokens per sequence when turning headroom into a batch cap: long enough
 * for a chat turn with context, short enough that small GPUs still batch.
 */
export function referenceSequenceTokens(contextLength: number): number {
  return Math.min(contextLength, 2048);
}

/** How many sequences fit in a KV budget at the reference length, 1..256. */
export function maxRunningFor(kvBudgetBytes: number, paramsBillion: number, contextLength: number): number {
  const perSequence = kvBytesPerToken(paramsBillion) * referenceSequenceTokens(contextLength);
  return Math.max(1, Math.min(MAX_RUNNING_CAP, Math.floor(kvBudgetBytes / perSequence)));
}

/** GPUs a model's weights span on one machine (tensor parallel): the fewest that hold them. */
export function gpusSpanned(weightsMiB: number, gpus: readonly GpuProfile[]): number {
  const perGpu = gpus[0]?.vramTotalMiB ?? 1;
  return Math.max(1, Math.min(gpus.length, Math.ceil(weightsMiB / perGpu)));
}

/** Loading copies the weights from disk / host memory at `loadGBs`: time = bytes / bandwidth. */
export function loadMs(weightsMiB: number, loadGBs: number, timeScale: number): number {
  return ((weightsMiB * MiB) / (loadGBs * 1e9)) * 1000 * timeScale;
}

/** Prefill is compute-bound: ≈ 2 × params × prompt tokens FLOPs on the spanned GPUs. */
export function prefillMs(paramsBillion: number, promptTokens: number, gpu: GpuProfile, gpus: number, timeScale: number): number {
  const flops = 2 * paramsBillion * 1e9 * promptTokens;
  return (flops / (gpu.bf16Tflops * 1e12 * gpus * PREFILL_UTILISATION)) * 1000 * timeScale;
}

/**
 * One decode step is bandwidth-bound: every step reads all weights plus the KV of the batch, and
 * yields one token for every running sequence, so the weights' cost is shared by the batch.
 */
export function decodeStepMs(weightsMiB: number, kvBytesInUse: number, gpu: GpuProfile, gpus: number, timeScale: number): number {
  const bytes = weightsMiB * MiB + kvBytesInUse;
  return (bytes / (gpu.memoryBandwidthGBs * 1e9 * gpus * DECODE_BANDWIDTH_UTILISATION)) * 1000 * timeScale;
}

/** Spreads a machine-wide figure over its GPUs, filling them in order, for the heartbeat. */
export function spreadOverGpus(usedMiB: number, gpus: readonly GpuProfile[]): number[] {
  let left = Math.max(0, Math.round(usedMiB));
  return gpus.map((gpu) => {
    const here = Math.min(left, gpu.vramTotalMiB);
    left -= here;
    return here;
  });
}
