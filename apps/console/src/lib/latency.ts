import { type AuditRecord } from '../api/types';
import { isInferenceAction } from './throughput';

/**
 * The p-th percentile (0–100) of `values`, linearly interpolated between the closest ranks (as
 * NumPy's default and Prometheus' histogram_quantile do); null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0 || !Number.isFinite(p)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (rank - lower);
}

export interface LatencyBucket {
  /** Start of the minute, ISO. */
  minute: string;
  /** Inference requests with a measured latency that minute. */
  count: number;
  /** Milliseconds; null in a minute without such a request. */
  p50: number | null;
  p95: number | null;
}

/**
 * Latency percentiles per minute of the inference requests in the audit trail (the gateway's
 * time from a request's arrival to its last byte), for the `minutes` up to `now`. Records written
 * before latency was recorded (null) are left out.
 */
export function latencyPerMinute(
  records: readonly Pick<AuditRecord, 'at' | 'action' | 'latencyMs'>[],
  now: Date,
  minutes = 60,
): LatencyBucket[] {
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const start = end - (minutes - 1) * 60_000;
  const samples: number[][] = Array.from({ length: minutes }, () => []);
  for (const r of records) {
    if (r.latencyMs === null || !isInferenceAction(r.action)) continue;
    const i = Math.floor((Date.parse(r.at) - start) / 60_000);
    if (i < 0 || i >= minutes) continue;
    samples[i]!.push(r.latencyMs);
  }
  return samples.map((values, i) => ({
    minute: new Date(start + i * 60_000).toISOString(),
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
  }));
}
