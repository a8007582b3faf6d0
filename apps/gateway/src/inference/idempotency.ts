import { createHash } from 'node:crypto';

import { type Redis } from 'ioredis';

import { ApiError } from '../http/api-error.js';

/** What a retry with the same key gets back: the first response, byte for byte. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
  workerId: string | null;
}

type Record = { state: 'pending'; fingerprint: string } | ({ state: 'done'; fingerprint: string } & StoredResponse);

const TTL_SECONDS = 24 * 3600;
/** Larger answers are not kept (a retry of such a request runs again, and says so). */
export const MAX_STORED_BYTES = 4 * 1024 * 1024;

/**
 * `Idempotency-Key` on inference POSTs: the first request with a key runs and its response is
 * kept 24 h (per tenant, path and key); a retry with the same key and body gets that response
 * and is not counted again; one still running answers 409 (the SDKs retry 409); the same key
 * with a different body is a 422.
 */
export class IdempotencyStore {
  constructor(private readonly redis: Redis) {}

  static keyOf(tenantId: string, path: string, key: string): string {
    return `idem:${tenantId}:${createHash('sha256').update(`${path}\u0000${key}`).digest('hex')}`;
  }

  static fingerprintOf(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('hex');
  }

  /** null: this request runs (and must `complete` or `abandon`); otherwise the stored response. */
  async begin(key: string, fingerprint: string): Promise<StoredResponse | null> {
    const claimed = await this.redis.set(key, JSON.stringify({ state: 'pending', fingerprint } satisfies Record), 'EX', TTL_SECONDS, 'NX');
    if (claimed === 'OK') return null;
    const raw = await this.redis.get(key);
    if (raw === null) return this.begin(key, fingerprint); // expired in between
    const record = JSON.parse(raw) as Record;
    if (record.fingerprint !== fingerprint) {
      throw new ApiError(422, 'invalid_request_error', 'This Idempotency-Key was used with a different request body.', 'idempotency_key_reused', null, { 'x-should-retry': 'false' });
    }
    if (record.state === 'pending') {
      throw new ApiError(409, 'invalid_request_error', 'A request with this Idempotency-Key is still running.', 'idempotency_key_in_use', null, { 'retry-after': '1' });
    }
    return record;
  }

  async complete(key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    if (Buffer.byteLength(response.body) > MAX_STORED_BYTES || response.status >= 500) {
      await this.redis.del(key);
      return;
    }
    await this.redis.set(key, JSON.stringify({ state: 'done', fingerprint, ...response } satisfies Record), 'EX', TTL_SECONDS);
  }

  /** The request failed before an answer worth keeping: a retry runs it again. */
  async abandon(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
