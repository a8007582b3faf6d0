import { type TenantRecord, type TenantView } from '@llmaas/contracts';

import { type Tenant } from '../generated/prisma/client.js';

function legalOf(t: Tenant): TenantRecord['legal'] {
  return t.legalName && t.addressLine && t.postalCode && t.city && t.country
    ? { legalName: t.legalName, addressLine: t.addressLine, postalCode: t.postalCode, city: t.city, country: t.country, vatNumber: t.vatNumber }
    : null;
}

export function toTenantRecord(t: Tenant): TenantRecord {
  return {
    tenantId: t.id,
    name: t.name,
    status: t.status,
    tier: t.tier,
    guard: { enabled: t.guardEnabled, threshold: t.guardThreshold.toNumber() },
    betaOptIn: t.betaOptIn,
    models: t.allowedModels,
    legal: legalOf(t),
    webhookUrl: t.webhookUrl,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toTenantView(t: Tenant): TenantView {
  return {
    ...toTenantRecord(t),
    contactEmails: t.contactEmails,
    webhookUrl: t.webhookUrl,
    rotationDays: t.rotationDays,
    auditRetentionDays: t.auditRetentionDays,
    createdAt: t.createdAt.toISOString(),
  };
}
