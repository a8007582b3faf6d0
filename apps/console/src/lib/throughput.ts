import { type AuditRecord } from '../api/types';

// Throughput from the audit trail: one record per authenticated request, with its route, status,
// model and tokens (never prompt text). Bucketed per minute for the last hour.

const inferenceRoutes = [
  '/v1/chat/completions',
  '/v1/completions',
  '/v1/embeddings',
  '/v1/rerank',
  '/v2/rerank',
  '/rerank',
  '/v1/audio/transcriptions',
];

/** "POST /v1/chat/completions" is inference; "GET /admin/v1/tenants/:tenantId/keys" is not. */
export const isInferenceAction = (action: string): boolean =>
  action.startsWith('POST ') && inferenceRoutes.includes(action.slice(5));

export interface MinuteBucket {
  /** Start of the minute, ISO. */
  minute: string;
  requests: number;
  tokens: number;
  errors: number;
}

export function throughputPerMinute(
  records: readonly Pick<AuditRecord, 'at' | 'action' | 'tokens' | 'httpStatus'>[],
  now: Date,
  minutes = 60,
): MinuteBucket[] {
  const end = Math.floor(now.getTime() / 60_000) * 60_000;
  const start = end - (minutes - 1) * 60_000;
  const buckets: MinuteBucket[] = Array.from({ length: minutes }, (_, i) => ({
    minute: new Date(start + i * 60_000).toISOString(),
    requests: 0,
    tokens: 0,
    errors: 0,
  }));
  for (const r of records) {
    if (!isInferenceAction(r.action)) continue;
    const i = Math.floor((Date.parse(r.at) - start) / 60_000);
    const bucket = buckets[i];
    if (i < 0 || !bucket) continue;
    bucket.requests += 1;
    bucket.tokens += r.tokens ?? 0;
    if ((r.httpStatus ?? 0) >= 400) bucket.errors += 1;
  }
  return buckets;
}
