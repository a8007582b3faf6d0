import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keys are stored and shared only as HMAC-SHA-256 under a server secret: a leaked table (or a
 * compacted topic) cannot be brute-forced offline without the secret as well.
 */
export class ApiKeyHasher {
  private readonly secret: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the key hashing secret must be at least 32 characters');
    this.secret = Buffer.from(secret);
  }

  hash(key: string): string {
    return createHmac('sha256', this.secret).update(key).digest('hex');
  }

  /** Constant-time comparison of two hex digests. */
  static sameHash(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
