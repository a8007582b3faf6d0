import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Ids as OpenAI writes them (`file-…`, `batch_…`): 24 random base62 characters after the prefix. */
export function newId(prefix: 'file-' | 'batch_' | 'evt_'): string {
  const bytes = randomBytes(24);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}
