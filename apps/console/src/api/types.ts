// The shapes the console reads. Those the platform's contracts define are taken from there
// (type-only: nothing of @llmaas/contracts reaches the bundle), so a changed contract fails the
// console's typecheck instead of drifting; the rest are the gateway's own HTTP wrappings.
import type { AuditRecordView, BatchView, FleetView, KeyView, Role } from '@llmaas/contracts';

export type {
  AuditRecordView as AuditRecord,
  BatchView as BatchObject,
  FleetView,
  InvoiceSummary,
  KeyView,
  ModelAdminView as AdminModel,
  PlatformAlert,
  Role,
  TenantView,
  UsageRow,
} from '@llmaas/contracts';

export type FleetWorker = FleetView['workers'][number];

/** Creation and rotation answer the key once with its secret. */
export type KeyWithSecret = KeyView & { secret: string };

/** GET /v1/me: the calling key and its organisation (the gateway's MeController; never the secret). */
export interface MeObject {
  object: 'api_key';
  key_id: string;
  tenant_id: string;
  role: Role;
  models: string[];
  tenant: { id: string; name: string; tier: string; status: 'active' | 'suspended' };
}

export interface ListOf<T> {
  object: 'list';
  data: T[];
}

/** GET /admin/v1/tenants/{id}/audit: a page of the trail, latest first. */
export interface AuditPage {
  data: AuditRecordView[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface BatchPage extends ListOf<BatchView> {
  has_more: boolean;
  last_id: string | null;
}

/** GET /v1/models: OpenAI's model object plus the lifecycle fields (the gateway's ModelsController). */
export interface ModelObject {
  id: string;
  owned_by: string;
  kind: string;
  phase: 'evaluation' | 'production' | 'notice' | 'removed';
  production_date: string | null;
  end_of_support_date: string | null;
  lts: boolean;
  stability: string;
  recommended_migration: string | null;
  context_length: number;
  reasoning: boolean;
}

/** GET /v1/billing/invoices/preview: the month so far, as its invoice would read today. */
export interface InvoicePreview {
  period: string;
  lines: { lineNumber: number; model: string; item: string; quantity: string; amountEur: string }[];
  subtotalEur: string;
  vatEur: string;
  totalEur: string;
}
