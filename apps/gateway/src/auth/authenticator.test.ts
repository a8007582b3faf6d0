import { ApiKeyHasher, generateApiKey } from '@llmaas/api-keys';
import { type ApiKeyRecord, type TenantRecord } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { ApiError } from '../http/api-error.js';
import { Authenticator, assertModelAllowed, assertRole, rolesForApiPath } from './authenticator.js';

const secret = 's'.repeat(32);
const hasher = new ApiKeyHasher(secret);
const now = Date.parse('2026-11-26T12:00:00Z');
const tenant: TenantRecord = { tenantId: 'acme', name: 'Acme', status: 'active', tier: 'standard', guard: { enabled: true, threshold: 0.5 }, betaOptIn: false, models: [], legal: null, webhookUrl: null, updatedAt: '2026-11-26T00:00:00Z' };

function setup(over: Partial<ApiKeyRecord> = {}, tenantOver: Partial<TenantRecord> = {}) {
  const key = generateApiKey();
  const record: ApiKeyRecord = { keyId: 'key_1', tenantId: 'acme', secretHash: hasher.hash(key), role: 'developer', models: [], expiresAt: null, revokedAt: null, updatedAt: '2026-11-26T00:00:00Z', ...over };
  const auth = new Authenticator(secret, { keyByHash: (h) => (h === record.secretHash ? record : undefined), tenant: (id) => (id === 'acme' ? { ...tenant, ...tenantOver } : undefined) }, () => now);
  return { key, auth };
}

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof ApiError ? `${error.status} ${error.code}` : String(error);
  }
};

describe('Authenticator', () => {
  it('accepts a live key and names its principal', () => {
    const { key, auth } = setup();
    expect(auth.authenticate(`Bearer ${key}`).principal).toEqual({ keyId: 'key_1', tenantId: 'acme', role: 'developer', models: [] });
  });

  it('tells a missing key from a malformed one, and rejects a typo by its checksum', () => {
    const { key, auth } = setup();
    expect(code(() => auth.authenticate(undefined))).toBe('401 missing_api_key');
    expect(code(() => auth.authenticate(key))).toBe('401 invalid_api_key');
    const typo = key.slice(0, 12) + (key[12] === 'x' ? 'y' : 'x') + key.slice(13);
    expect(code(() => auth.authenticate(`Bearer ${typo}`))).toBe('401 invalid_api_key');
    expect(code(() => auth.authenticate(`Bearer ${generateApiKey()}`))).toBe('401 invalid_api_key');
  });

  it('refuses revoked and expired keys, and keys of a suspended tenant', () => {
    const revoked = setup({ revokedAt: '2026-11-26T11:00:00Z' });
    expect(code(() => revoked.auth.authenticate(`Bearer ${revoked.key}`))).toBe('401 api_key_revoked');
    const expired = setup({ expiresAt: '2026-11-26T11:59:59Z' });
    expect(code(() => expired.auth.authenticate(`Bearer ${expired.key}`))).toBe('401 api_key_expired');
    const overlap = setup({ expiresAt: '2026-11-26T12:00:01Z' });
    expect(code(() => overlap.auth.authenticate(`Bearer ${overlap.key}`))).toBe('ok');
    const suspended = setup({}, { status: 'suspended' });
    expect(code(() => suspended.auth.authenticate(`Bearer ${suspended.key}`))).toBe('403 tenant_suspended');
  });

  it('never echoes a whole key in an error', () => {
    const { auth } = setup();
    const stranger = generateApiKey();
    try {
      auth.authenticate(`Bearer ${stranger}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(stranger);
    }
  });
});

describe('model and role permissions', () => {
  const principal = { keyId: 'k', tenantId: 'acme', role: 'developer' as const, models: ['qwen3*'] };

  it('needs both the key and the tenant to allow a model', () => {
    expect(code(() => assertModelAllowed(principal, tenant, 'qwen3-vl:8b'))).toBe('ok');
    expect(code(() => assertModelAllowed(principal, tenant, 'gpt-oss:120b'))).toBe('403 model_not_allowed');
    expect(code(() => assertModelAllowed({ ...principal, models: [] }, { ...tenant, models: ['gpt-oss*'] }, 'qwen3:0.6b'))).toBe('403 model_not_allowed');
  });

  it('keeps finance keys off inference and lets every role list models', () => {
    expect(code(() => assertRole({ ...principal, role: 'finance' }, rolesForApiPath('/v1/chat/completions')))).toBe('403 insufficient_role');
    expect(code(() => assertRole({ ...principal, role: 'finance' }, rolesForApiPath('/v1/models')))).toBe('ok');
    for (const role of ['operator', 'tenant_admin', 'developer', 'finance'] as const) {
      expect(code(() => assertRole({ ...principal, role }, rolesForApiPath('/v1/me')))).toBe('ok');
    }
    expect(code(() => assertRole(principal, rolesForApiPath('/v1/chat/completions')))).toBe('ok');
  });
});
