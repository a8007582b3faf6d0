import { type Principal } from '@llmaas/contracts';
import { RpcFailure } from '@llmaas/kafka';
import { describe, expect, it } from 'vitest';

import { assertMayGrantRole, assertMayPatchTenant, assertTenantVisible } from './access-policy.js';

const caller = (role: Principal['role'], tenantId = 'acme'): Principal => ({ keyId: 'k', tenantId, role, models: [] });
const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof RpcFailure ? error.code : 'other';
  }
};

describe('access policy', () => {
  it('lets operators see every tenant and tenant admins only their own; others get not_found', () => {
    expect(code(() => assertTenantVisible(caller('operator', 'platform'), 'acme'))).toBe('ok');
    expect(code(() => assertTenantVisible(caller('tenant_admin'), 'acme'))).toBe('ok');
    expect(code(() => assertTenantVisible(caller('tenant_admin'), 'globex'))).toBe('not_found');
    expect(code(() => assertTenantVisible(caller('developer'), 'acme'))).toBe('not_found');
    expect(code(() => assertTenantVisible(caller('finance'), 'acme'))).toBe('not_found');
  });

  it('keeps the guard policy, tier, status and models for operators', () => {
    expect(code(() => assertMayPatchTenant(caller('tenant_admin'), { webhookUrl: 'https://x.test' }))).toBe('ok');
    for (const field of ['guard', 'tier', 'status', 'models', 'auditRetentionDays']) {
      expect(code(() => assertMayPatchTenant(caller('tenant_admin'), { [field]: 1 }))).toBe('forbidden');
      expect(code(() => assertMayPatchTenant(caller('operator'), { [field]: 1 }))).toBe('ok');
    }
  });

  it('never lets a tenant admin mint an operator key', () => {
    expect(code(() => assertMayGrantRole(caller('tenant_admin'), 'operator'))).toBe('forbidden');
    expect(code(() => assertMayGrantRole(caller('tenant_admin'), 'finance'))).toBe('ok');
    expect(code(() => assertMayGrantRole(caller('operator'), 'operator'))).toBe('ok');
  });
});
