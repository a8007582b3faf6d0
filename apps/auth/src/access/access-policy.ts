import { RpcFailure } from '@llmaas/kafka';
import { type Principal, type Role } from '@llmaas/contracts';

/**
 * Which tenant a caller may act on. Operators act on every tenant; tenant admins on their own.
 * Anything else is reported as not found, never as forbidden: a caller must not learn that
 * another tenant's tenant, key or audit trail exists.
 */
export function assertTenantVisible(caller: Principal, tenantId: string, what = 'tenant'): void {
  if (caller.role === 'operator') return;
  if (caller.role === 'tenant_admin' && caller.tenantId === tenantId) return;
  throw new RpcFailure('not_found', `No ${what} found with id '${tenantId}'.`, 'tenant_id');
}

/** Operator-only tenant fields: status, tier, guard policy, models, audit retention. */
const operatorFields = ['status', 'tier', 'guard', 'models', 'auditRetentionDays'] as const;

export function assertMayPatchTenant(caller: Principal, patch: Record<string, unknown>): void {
  if (caller.role === 'operator') return;
  const field = operatorFields.find((f) => patch[f] !== undefined);
  if (field) throw new RpcFailure('forbidden', `Only a platform operator may change ${field}.`, field);
}

/** The roles a caller may give to a key it creates: never more than its own. */
export function assertMayGrantRole(caller: Principal, role: Role): void {
  if (role === 'operator' && caller.role !== 'operator') {
    throw new RpcFailure('forbidden', 'Only a platform operator may create operator keys.', 'role');
  }
}
