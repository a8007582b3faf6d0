import { type TenantRecord, type TenantView } from '@llmaas/contracts';

import { type Tenant } from '../generated/prisma/client.js';

export function toTenantRecord(t: Tenant): TenantRecord {
  return {
    tenantId: t.id,
    name: t.name,
    status: t.status,
    tier: t.tier,
    guard: { enabled: t.guardEnabled, threshold: t.guardThreshold.toNumber() },
    betaOptIn: t.betaOptIn,
    models: t.allowedModels,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toTenantView(t: Tenant): TenantView {
  const legal =
    t.legalName && t.addressLine && t.postalCode && t.city && t.country
      ? { legalName: t.legalName, addressLine: t.addressLine, postalCode: t.postalCode, city: t.city, country: t.country, vatNumber: t.vatNumber }
      : null;
  return {
    ...toTenantRecord(t),
    legal,
    contactEmails: t.contactEmails,
    webhookUrl: t.webhookUrl,
    rotationDays: t.rotationDays,
    auditRetentionDays: t.auditRetentionDays,
    createdAt: t.createdAt.toISOString(),
  };
}
