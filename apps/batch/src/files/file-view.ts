/** What an `OpenAIFile` is made from. */
export interface FileRow {
  id: string;
  purpose: string;
  filename: string;
  bytes: bigint;
  createdAt: Date;
  expiresAt: Date | null;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** The File object as OpenAI returns it; `status` is deprecated but required (Python's wait_for_processing polls it). */
export function fileView(row: FileRow) {
  return {
    id: row.id,
    object: 'file' as const,
    bytes: Number(row.bytes),
    created_at: seconds(row.createdAt),
    expires_at: row.expiresAt ? seconds(row.expiresAt) : null,
    filename: row.filename,
    purpose: row.purpose,
    status: 'processed' as const,
    status_details: null,
  };
}

export const uploadPurposes = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
