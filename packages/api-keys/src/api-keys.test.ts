import { describe, expect, it } from 'vitest';

import { ApiKeyHasher, generateApiKey, isWellFormedApiKey, modelAllowed, signIdentity, verifyIdentity } from './index.js';

describe('API key format', () => {
  it('generates well-formed, distinct keys with the prefix', () => {
    const keys = Array.from({ length: 1000 }, generateApiKey);
    expect(new Set(keys).size).toBe(1000);
    for (const key of keys) {
      expect(key).toMatch(/^llm_[0-9A-Za-z]{38}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
  });

  it('rejects a key with one character changed, truncated, or foreign', () => {
    const key = generateApiKey();
    const i = 10;
    const changed = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    expect(isWellFormedApiKey(changed)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`sk-${key.slice(4)}`)).toBe(false);
    expect(isWellFormedApiKey('')).toBe(false);
  });

  it('detects every single-character substitution in a sample', () => {
    const key = generateApiKey();
    let missed = 0;
    for (let i = 4; i < key.length; i++) {
      const replacement = key[i] === 'Z' ? 'Y' : 'Z';
      if (isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1))) missed++;
    }
    expect(missed).toBe(0);
  });
});

describe('ApiKeyHasher', () => {
  it('hashes with the server secret, not plain SHA-256', () => {
    const key = generateApiKey();
    const a = new ApiKeyHasher('x'.repeat(32)).hash(key);
    const b = new ApiKeyHasher('y'.repeat(32)).hash(key);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(ApiKeyHasher.sameHash(a, a)).toBe(true);
    expect(ApiKeyHasher.sameHash(a, b)).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => new ApiKeyHasher('short')).toThrow(/at least 32/);
  });
});

describe('modelAllowed', () => {
  it('matches exact ids and prefix patterns', () => {
    expect(modelAllowed(['qwen3*'], 'qwen3-vl:8b')).toBe(true);
    expect(modelAllowed(['qwen3*'], 'qwen2.5:7b')).toBe(false);
    expect(modelAllowed(['gpt-oss:120b'], 'gpt-oss:120b')).toBe(true);
    expect(modelAllowed(['gpt-oss:120b'], 'gpt-oss:20b')).toBe(false);
    expect(modelAllowed(['*'], 'anything')).toBe(true);
    expect(modelAllowed([], 'anything')).toBe(true);
  });
});

describe('forwarded identity', () => {
  const identity = { keyId: 'key_1', tenantId: 'tn_1', role: 'developer', models: ['llama-*'] };
  it('verifies what the same secret signed, within a minute', () => {
    const header = signIdentity('s3cret', identity, 1_000_000);
    expect(verifyIdentity('s3cret', header, 1_030_000)).toEqual(identity);
  });
  it('refuses another secret, a changed body, a stale header and garbage', () => {
    const header = signIdentity('s3cret', identity, 1_000_000);
    expect(verifyIdentity('other', header, 1_000_000)).toBeNull();
    const forged = Buffer.from(JSON.stringify({ ...identity, tenantId: 'tn_2' })).toString('base64url');
    expect(verifyIdentity('s3cret', [forged, ...header.split('.').slice(1)].join('.'), 1_000_000)).toBeNull();
    expect(verifyIdentity('s3cret', header, 1_000_000 + 61_000)).toBeNull();
    expect(verifyIdentity('s3cret', 'a.b', 1_000_000)).toBeNull();
    expect(verifyIdentity('s3cret', undefined)).toBeNull();
  });
});
