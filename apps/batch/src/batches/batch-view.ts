import { type BatchView } from '@llmaas/contracts';

import { type Batch } from '../generated/prisma/client.js';

const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

type StoredErrors = { code: string; message: string; param: string | null; line: number | null }[];

/** The `Batch` object as OpenAI returns it: every key present, unset ones null. */
export function batchView(row: Batch): BatchView {
  const errors = row.errors as StoredErrors | null;
  const input = Number(row.inputTokens);
  const output = Number(row.outputTokens);
  return {
    id: row.id,
    object: 'batch',
    endpoint: row.endpoint,
    model: row.model,
    errors: errors && errors.length > 0 ? { object: 'list', data: errors } : null,
    input_file_id: row.inputFileId,
    completion_window: row.completionWindow,
    status: row.status,
    output_file_id: row.outputFileId,
    error_file_id: row.errorFileId,
    created_at: seconds(row.createdAt)!,
    in_progress_at: seconds(row.inProgressAt),
    expires_at: seconds(row.expiresAt),
    finalizing_at: seconds(row.finalizingAt),
    completed_at: seconds(row.completedAt),
    failed_at: seconds(row.failedAt),
    expired_at: seconds(row.expiredAt),
    cancelling_at: seconds(row.cancellingAt),
    cancelled_at: seconds(row.cancelledAt),
    request_counts: { total: row.totalCount, completed: row.completedCount, failed: row.failedCount },
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: Number(row.reasoningTokens) },
      total_tokens: input + output,
    },
    metadata: (row.metadata as Record<string, string> | null) ?? null,
  };
}
