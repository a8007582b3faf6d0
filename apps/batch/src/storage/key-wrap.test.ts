import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import {
  BlobIntegrityError,
  decryptBlob,
  encryptBlob,
  generateDataKey,
  KeyUnwrapError,
  type MasterKey,
  parseMasterKeys,
  unwrapDataKey,
  wrapDataKey,
} from './key-wrap.js';

const hexA = 'a1'.repeat(32);
const hexB = '0123456789abcdef'.repeat(4);

function master(id: string): MasterKey {
  return { id, key: randomBytes(32) };
}

describe('parseMasterKeys', () => {
  it('takes the first key as current and keeps the others by id', () => {
    const { current, byId } = parseMasterKeys(` k2026:${hexA} , k2025:${hexB.toUpperCase()}`);
    expect(current.id).toBe('k2026');
    expect(current.key).toEqual(Buffer.from(hexA, 'hex'));
    expect([...byId.keys()]).toEqual(['k2026', 'k2025']);
    expect(byId.get('k2025')?.key).toEqual(Buffer.from(hexB, 'hex'));
  });

  it.each([
    ['', /BATCH_MASTER_KEYS: is empty/],
    ['   ', /BATCH_MASTER_KEYS: is empty/],
    [hexA, /BATCH_MASTER_KEYS: entry 1 is not "id:<64 hex chars>"/],
    [`bad id:${hexA}`, /BATCH_MASTER_KEYS: entry 1 has an invalid id/],
    [`:${hexA}`, /BATCH_MASTER_KEYS: entry 1 has an invalid id/],
    [
      `k1:${hexA.slice(2)}`,
      /BATCH_MASTER_KEYS: key "k1" must be exactly 64 hex characters \(32 bytes\), got 62/,
    ],
    [`k1:${hexA}00`, /BATCH_MASTER_KEYS: key "k1" must be exactly 64 hex/],
    [`k1:${'zz'.repeat(32)}`, /BATCH_MASTER_KEYS: key "k1" must be exactly 64 hex/],
    [`k1:${hexA},k1:${hexB}`, /BATCH_MASTER_KEYS: duplicate key id "k1"/],
    [`k1:${hexA},`, /BATCH_MASTER_KEYS: entry 2 is empty/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseMasterKeys(spec)).toThrow(message);
  });

  it('never echoes key material in its errors', () => {
    const secret = 'c3'.repeat(31);
    expect(() => parseMasterKeys(`k1:${secret}`)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) as string }),
    );
  });
});

describe('data key wrapping', () => {
  it('round-trips a data key', () => {
    const a = master('a');
    const dataKey = generateDataKey();
    expect(dataKey).toHaveLength(32);
    const wrapped = wrapDataKey(a, 'tenant-1', dataKey);
    expect(wrapped).toHaveLength(12 + 32 + 16);
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(unwrapDataKey(a, 'tenant-1', wrapped)).toEqual(dataKey);
    // A fresh nonce each time: wrapping twice never gives the same bytes.
    expect(wrapDataKey(a, 'tenant-1', dataKey)).not.toEqual(wrapped);
  });

  it('fails with KeyUnwrapError for another tenant, master key, master id or a flipped bit', () => {
    const a = master('a');
    const wrapped = wrapDataKey(a, 'tenant-1', generateDataKey());
    const flipped = Buffer.from(wrapped);
    flipped[20] = flipped[20]! ^ 1;

    expect(() => unwrapDataKey(a, 'tenant-2', wrapped)).toThrow(KeyUnwrapError);
    expect(() => unwrapDataKey(master('a'), 'tenant-1', wrapped)).toThrow(KeyUnwrapError);
    expect(() => unwrapDataKey({ id: 'b', key: a.key }, 'tenant-1', wrapped)).toThrow(
      KeyUnwrapError,
    );
    expect(() => unwrapDataKey(a, 'tenant-1', flipped)).toThrow(KeyUnwrapError);
    expect(() => unwrapDataKey(a, 'tenant-1', wrapped.subarray(0, 40))).toThrow(KeyUnwrapError);
    expect(() => unwrapDataKey(a, 'tenant-2', wrapped)).toThrow(
      'cannot unwrap the data key of tenant "tenant-2" with master key "a"',
    );
  });

  it('refuses keys of the wrong size', () => {
    expect(() => wrapDataKey(master('a'), 't', randomBytes(16))).toThrow(/32 bytes/);
    expect(() => wrapDataKey({ id: 'a', key: randomBytes(16) }, 't', generateDataKey())).toThrow(
      /32 bytes/,
    );
  });
});

describe('blobs', () => {
  it('round-trips small values, including an empty one', () => {
    const key = generateDataKey();
    for (const value of [Buffer.alloc(0), Buffer.from('whsec_123'), randomBytes(5000)]) {
      const blob = encryptBlob(key, 'webhook-secret:batch_1', value);
      expect(decryptBlob(key, 'webhook-secret:batch_1', blob)).toEqual(value);
    }
  });

  it('fails with BlobIntegrityError for another key, another AAD, a flipped bit or a short blob', () => {
    const key = generateDataKey();
    const blob = encryptBlob(key, 'result:batch_1:0', Buffer.from('{"id":1}'));
    const flipped = Buffer.from(blob);
    flipped[13] = flipped[13]! ^ 0x80;

    expect(() => decryptBlob(generateDataKey(), 'result:batch_1:0', blob)).toThrow(
      BlobIntegrityError,
    );
    expect(() => decryptBlob(key, 'result:batch_1:1', blob)).toThrow(BlobIntegrityError);
    expect(() => decryptBlob(key, 'result:batch_1:0', flipped)).toThrow(BlobIntegrityError);
    expect(() => decryptBlob(key, 'result:batch_1:0', blob.subarray(0, 27))).toThrow(
      BlobIntegrityError,
    );
  });

  it('keeps wrapped data keys and blobs apart even under the same key', () => {
    const a = master('a');
    const wrapped = wrapDataKey(a, 'tenant-1', generateDataKey());
    expect(() => decryptBlob(a.key, 'tenant-1', wrapped)).toThrow(BlobIntegrityError);
  });
});
