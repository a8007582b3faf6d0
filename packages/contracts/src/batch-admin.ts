import { z } from 'zod';

/** The endpoints a batch may run (OpenAI's three we serve, and our rerank). */
export const batchEndpoint = z.enum(['/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/rerank']);
export type BatchEndpointName = z.infer<typeof batchEndpoint>;

const expiresAfter = z.object({ anchor: z.literal('created_at'), seconds: z.number().int().min(3600).max(2_592_000) }).strict();

/** OpenAI's metadata: at most 16 pairs, keys ≤ 64 characters, values ≤ 512. */
export const batchMetadata = z
  .record(z.string().max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, 'at most 16 metadata pairs');

/** `POST /v1/batches`, as the SDKs send it; `webhook_url` is ours (the SDKs' `extra_body`). */
export const batchCreate = z
  .object({
    input_file_id: z.string().min(1).max(200),
    endpoint: batchEndpoint,
    completion_window: z.literal('24h'),
    metadata: batchMetadata.nullish(),
    output_expires_after: expiresAfter.nullish(),
    webhook_url: z.url({ protocol: /^https?$/ }).max(2048).nullish(),
  })
  .strict();
export type BatchCreate = z.infer<typeof batchCreate>;

const unixSeconds = z.number().int().nullable();

/** OpenAI's `Batch` object; every key is present, unset ones null (as the spec's example). */
export const batchView = z.object({
  id: z.string(),
  object: z.literal('batch'),
  endpoint: z.string(),
  model: z.string().nullable(),
  errors: z.object({ object: z.literal('list'), data: z.array(z.object({ code: z.string(), message: z.string(), param: z.string().nullable(), line: z.number().int().nullable() })) }).nullable(),
  input_file_id: z.string(),
  completion_window: z.string(),
  status: z.enum(['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  created_at: z.number().int(),
  in_progress_at: unixSeconds,
  expires_at: unixSeconds,
  finalizing_at: unixSeconds,
  completed_at: unixSeconds,
  failed_at: unixSeconds,
  expired_at: unixSeconds,
  cancelling_at: unixSeconds,
  cancelled_at: unixSeconds,
  request_counts: z.object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int() }),
  usage: z.object({
    input_tokens: z.number().int(),
    input_tokens_details: z.object({ cached_tokens: z.number().int() }),
    output_tokens: z.number().int(),
    output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
    total_tokens: z.number().int(),
  }),
  metadata: z.record(z.string(), z.string()).nullable(),
});
export type BatchView = z.infer<typeof batchView>;

export const batchListQuery = z.object({
  after: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const batchPage = z.object({
  object: z.literal('list'),
  data: z.array(batchView),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});
