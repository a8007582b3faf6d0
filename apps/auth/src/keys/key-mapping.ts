import { type ApiKeyRecord, type KeyView } from '@llmaas/contracts';

import { type ApiKey } from '../generated/prisma/client.js';

export type KeyWithSuccessor = ApiKey & { successor: { id: string } | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyRecord(k: ApiKey): ApiKeyRecord {
  return {
    keyId: k.id,
    tenantId: k.tenantId,
    secretHash: k.secretHash,
    role: k.role,
    models: k.models,
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    updatedAt: new Date().toISOString(),
  };
}

export function toKeyView(k: KeyWithSuccessor): KeyView {
  return {
    id: k.id,
    tenantId: k.tenantId,
    name: k.name,
    role: k.role,
    models: k.models,
    displayPrefix: k.displayPrefix,
    last4: k.last4,
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    predecessorId: k.predecessorId,
    successorId: k.successor?.id ?? null,
    successorSecretPending: k.pendingSecret !== null,
  };
}
