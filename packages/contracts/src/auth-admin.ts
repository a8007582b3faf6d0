import { z } from 'zod';

import { auditEvent, legalIdentity, tenantRecord, type AuditEvent } from './messages.js';
import { id, role, timestamp, type ServiceName } from './primitives.js';

/** Who is calling, as the gateway established it from the API key. Downstream never looks keys up. */
export const principal = z.object({
  keyId: id,
  tenantId: id,
  role,
  /** The model patterns the key may use (empty = all the tenant may use). */
  models: z.array(z.string()),
});
export type Principal = z.infer<typeof principal>;

const modelPattern = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*\*?$|^\*$/, 'a model id, optionally ending with *');

const tenantId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes, 2 to 63 characters');
/** Fields a tenant admin may change on its own tenant. */
export const tenantSelfService = z.object({
  name: z.string().min(1).max(200).optional(),
  legal: legalIdentity.optional(),
  contactEmails: z.array(z.email()).max(20).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  rotationDays: z.number().int().min(7).max(730).nullable().optional(),
  betaOptIn: z.boolean().optional(),
});

/** Fields only a platform operator may change. */
export const tenantOperatorFields = z.object({
  status: z.enum(['active', 'suspended']).optional(),
  tier: z.string().min(1).max(50).optional(),
  guard: z.object({ enabled: z.boolean(), threshold: z.number().min(0).max(1) }).optional(),
  models: z.array(modelPattern).max(200).optional(),
  auditRetentionDays: z.number().int().min(30).max(3650).optional(),
});

export const tenantCreate = tenantSelfService
  .extend(tenantOperatorFields.shape)
  .extend({ id: tenantId, name: z.string().min(1).max(200) })
  .strict();
export const tenantUpdate = tenantSelfService.extend(tenantOperatorFields.shape).strict();

export const tenantView = tenantRecord.extend({
  legal: legalIdentity.nullable(),
  contactEmails: z.array(z.string()),
  webhookUrl: z.string().nullable(),
  rotationDays: z.number().int().nullable(),
  auditRetentionDays: z.number().int(),
  createdAt: timestamp,
});
export type TenantView = z.infer<typeof tenantView>;

export const keyCreate = z
  .object({
    name: z.string().min(1).max(100),
    role,
    models: z.array(modelPattern).max(100).default([]),
    expiresAt: timestamp.nullable().default(null),
  })
  .strict();

export const keyView = z.object({
  id,
  tenantId: id,
  name: z.string(),
  role,
  models: z.array(z.string()),
  displayPrefix: z.string(),
  /** With the prefix, enough for a person to recognise a key: `llm_ab12cd…wxyz`. */
  last4: z.string().nullable(),
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  createdBy: z.string(),
  createdAt: timestamp,
  predecessorId: id.nullable(),
  successorId: id.nullable(),
  /** An automatic rotation left a successor whose secret a tenant admin may fetch once. */
  successorSecretPending: z.boolean(),
});
export type KeyView = z.infer<typeof keyView>;

/** A key with its secret: returned once, at creation or rotation. */
export const keyWithSecret = keyView.extend({ secret: z.string() });

export const auditQuery = z.object({
  tenantId: id,
  from: timestamp.optional(),
  to: timestamp.optional(),
  action: z.string().max(100).optional(),
  keyId: id.optional(),
  /** Opaque cursor from a previous page. */
  after: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const auditRecordView = auditEvent.extend({ seq: z.number().int().positive(), hash: z.string() });
export type AuditRecordView = z.infer<typeof auditRecordView>;

export const auditPage = z.object({ data: z.array(auditRecordView), nextCursor: z.string().nullable() });

export const auditVerification = z.object({
  tenantId: id,
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  /** Where the chain starts after retention removed older records. */
  checkpointSeq: z.number().int().nonnegative(),
  firstBrokenSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});

/** An action a service performed for someone (or on its own), as one audit event. */
export function auditEventOf(
  source: ServiceName,
  actor: Principal | 'system',
  action: string,
  resource: string,
  tenantId: string | null,
  extra: Partial<Pick<AuditEvent, 'model' | 'requestId'>> = {},
): AuditEvent {
  return {
    eventId: globalThis.crypto.randomUUID(),
    at: new Date().toISOString(),
    tenantId,
    keyId: actor === 'system' ? null : actor.keyId,
    actor: actor === 'system' ? `system:${source}` : `key:${actor.keyId}`,
    source,
    action,
    resource,
    model: extra.model ?? null,
    httpStatus: null,
    requestId: extra.requestId ?? null,
    clientAddress: null,
    userAgent: null,
    tokens: null,
    latencyMs: null,
  };
}
