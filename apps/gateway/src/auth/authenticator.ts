import { ApiKeyHasher, isWellFormedApiKey, modelAllowed } from '@llmaas/api-keys';
import { type ApiKeyRecord, type Principal, type Role, type TenantRecord } from '@llmaas/contracts';

import { ApiError } from '../http/api-error.js';

export interface KeyLookup {
  keyByHash(hash: string): ApiKeyRecord | undefined;
  tenant(id: string): TenantRecord | undefined;
}

export type Authenticated = { principal: Principal; tenant: TenantRecord };

/** `llm_ab12…wxyz`: enough to recognise a key in an error, not enough to use it. */
const redact = (key: string) => (key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : '…');

/**
 * The hot-path key check: format and checksum first (a typo costs no lookup), then one HMAC and
 * one map lookup in the in-memory copy of `auth.keys`, then expiry, revocation and the tenant.
 * No network, no I/O.
 */
export class Authenticator {
  private readonly hasher: ApiKeyHasher;

  constructor(
    hashSecret: string,
    private readonly lookup: KeyLookup,
    private readonly now: () => number = Date.now,
  ) {
    this.hasher = new ApiKeyHasher(hashSecret);
  }

  authenticate(authorization: string | undefined): Authenticated {
    if (!authorization) {
      throw new ApiError(401, 'authentication_error', "You didn't provide an API key. Send it in the Authorization header as 'Bearer YOUR_KEY'.", 'missing_api_key');
    }
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (!isWellFormedApiKey(token)) {
      throw new ApiError(401, 'authentication_error', `Incorrect API key provided: ${redact(token)}. Keys start with llm_ and carry a checksum; check it was copied whole.`, 'invalid_api_key');
    }
    const hash = this.hasher.hash(token);
    const key = this.lookup.keyByHash(hash);
    // The map lookup found it by hash already; the constant-time compare keeps the final decision
    // free of timing differences should the index ever be keyed otherwise.
    if (!key || !ApiKeyHasher.sameHash(key.secretHash, hash)) {
      throw new ApiError(401, 'authentication_error', `Incorrect API key provided: ${redact(token)}.`, 'invalid_api_key');
    }
    if (key.revokedAt !== null) throw new ApiError(401, 'authentication_error', 'This API key has been revoked.', 'api_key_revoked');
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= this.now()) {
      throw new ApiError(401, 'authentication_error', 'This API key has expired; use its successor or create a new key.', 'api_key_expired');
    }
    const tenant = this.lookup.tenant(key.tenantId);
    if (!tenant || tenant.status !== 'active') {
      throw new ApiError(403, 'permission_error', 'The organisation of this API key is suspended. Contact your administrator.', 'tenant_suspended');
    }
    return { principal: { keyId: key.keyId, tenantId: key.tenantId, role: key.role, models: key.models }, tenant };
  }
}

/** A model must be allowed by the key (if it narrows) and by the tenant (if it narrows). */
export function assertModelAllowed(principal: Principal, tenant: TenantRecord, model: string): void {
  if (!modelAllowed(principal.models, model) || !modelAllowed(tenant.models, model)) {
    throw new ApiError(403, 'permission_error', `This API key is not allowed to use the model '${model}'.`, 'model_not_allowed', 'model');
  }
}

/** Which roles may call a /v1 path: inference and batch for developers (and tenant admins). */
export function rolesForApiPath(path: string): readonly Role[] {
  // Who am I: any valid key may ask.
  if (path === '/v1/me') return ['operator', 'tenant_admin', 'developer', 'finance'];
  if (path === '/v1/models' || path.startsWith('/v1/models/')) return ['operator', 'tenant_admin', 'developer', 'finance'];
  // Anyone who calls models may price a call; the tenant's money is for finance and its admins.
  if (path === '/v1/billing/estimate') return ['tenant_admin', 'finance', 'developer'];
  if (path.startsWith('/v1/billing/')) return ['operator', 'tenant_admin', 'finance'];
  // The secret that authenticates the tenant's webhooks is its administrators' business.
  if (path.startsWith('/v1/webhook_secret')) return ['tenant_admin'];
  return ['tenant_admin', 'developer'];
}

export function assertRole(principal: Principal, allowed: readonly Role[]): void {
  if (!allowed.includes(principal.role)) {
    throw new ApiError(403, 'permission_error', `An API key with the role '${principal.role}' may not call this endpoint.`, 'insufficient_role');
  }
}
