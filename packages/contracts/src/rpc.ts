import { z } from 'zod';

import {
  auditPage,
  auditQuery,
  auditVerification,
  keyCreate,
  keyView,
  keyWithSecret,
  principal,
  tenantCreate,
  tenantUpdate,
  tenantView,
} from './auth-admin.js';
import {
  budgetUpdate,
  costEstimate,
  costEstimateRequest,
  creditNoteCreate,
  invoiceFile,
  invoiceFormat,
  invoicePreview,
  invoiceSummary,
  priceBookVersionCreate,
  priceBookVersionView,
  periodClose,
  periodClosed,
  tierUpsert,
  tierView,
  usageQuery,
  usageRow,
} from './billing-admin.js';
import { batchCreate, batchListQuery, batchPage, batchView } from './batch-admin.js';
import { catalogModelId, modelAdminView, modelCreate, modelDeprecate, modelGrant, modelPromote, modelUpdate, modelWithdraw } from './catalog-admin.js';
import { defineRpc, type RpcDefinition } from './define.js';
import { fleetCommand, fleetRequest, fleetView, guardCheckRequest, guardVerdict, serviceStatus, statusRequest } from './messages.js';
import { id } from './primitives.js';

const statusOf = (pattern: string) =>
  defineRpc({ pattern, version: 1, partitions: 3, request: statusRequest, response: serviceStatus, timeoutMs: 3000 });

/** Admin RPCs carry the caller; auth decides what that caller may see (other tenants: not found). */
const asCaller = <S extends z.ZodRawShape>(shape: S) => z.object({ caller: principal, ...shape });
const admin = <Req extends z.ZodType, Res extends z.ZodType>(pattern: string, request: Req, response: Res) =>
  defineRpc({ pattern, version: 1, partitions: 3, request, response, timeoutMs: 5000 });

/** Every request/reply operation, by the service that answers it. */
export const rpc = {
  authStatus: statusOf('auth.status'),
  guardStatus: statusOf('guard.status'),
  schedulerStatus: statusOf('scheduler.status'),
  billingStatus: statusOf('billing.status'),
  lifecycleStatus: statusOf('lifecycle.status'),
  batchStatus: statusOf('batch.status'),
  schedulerFleet: defineRpc({ pattern: 'scheduler.fleet', version: 1, partitions: 1, request: fleetRequest, response: fleetView, timeoutMs: 3000 }),
  /** The prompt guard's verdict on one request's texts; on the hot path, overlapped with assignment and prefill. */
  guardCheck: defineRpc({ pattern: 'guard.check', version: 1, partitions: 6, request: guardCheckRequest, response: guardVerdict, timeoutMs: 2000, maxMessageBytes: 48 * 1024 * 1024 }),
  /** An operator's command to one worker (cordon, drain, load, unload), checked and audited by the scheduler. */
  fleetCommand: admin('scheduler.fleet.command', asCaller({ workerId: id, action: z.enum(['load', 'unload', 'drain', 'cordon', 'uncordon']), model: z.string().min(1).max(200).optional() }), fleetCommand),

  tenantCreate: admin('auth.tenant.create', asCaller({ tenant: tenantCreate }), tenantView),
  tenantList: admin('auth.tenant.list', asCaller({}), z.object({ data: z.array(tenantView) })),
  tenantGet: admin('auth.tenant.get', asCaller({ tenantId: id }), tenantView),
  tenantUpdate: admin('auth.tenant.update', asCaller({ tenantId: id, patch: tenantUpdate }), tenantView),
  keyCreate: admin('auth.key.create', asCaller({ tenantId: id, key: keyCreate }), keyWithSecret),
  keyList: admin('auth.key.list', asCaller({ tenantId: id }), z.object({ data: z.array(keyView) })),
  keyGet: admin('auth.key.get', asCaller({ keyId: id }), keyView),
  keyRotate: admin('auth.key.rotate', asCaller({ keyId: id, overlapHours: z.number().min(0).max(720).optional() }), keyWithSecret),
  keyRevoke: admin('auth.key.revoke', asCaller({ keyId: id }), keyView),
  keySuccessorSecret: admin('auth.key.successor-secret', asCaller({ keyId: id }), keyWithSecret),
  auditQuery: admin('auth.audit.query', asCaller({ query: auditQuery }), auditPage),
  auditVerify: admin('auth.audit.verify', asCaller({ tenantId: id }), auditVerification),

  /** The Batch API (files travel over HTTP to the batch service: decision 0009). */
  batchCreate: admin('batch.create', asCaller({ batch: batchCreate }), batchView),
  batchGet: admin('batch.get', asCaller({ batchId: z.string().min(1).max(200) }), batchView),
  batchList: admin('batch.list', asCaller({ query: batchListQuery }), batchPage),
  batchCancel: admin('batch.cancel', asCaller({ batchId: z.string().min(1).max(200) }), batchView),

  modelList: admin('lifecycle.model.list', asCaller({}), z.object({ data: z.array(modelAdminView) })),
  modelGet: admin('lifecycle.model.get', asCaller({ modelId: catalogModelId }), modelAdminView),
  modelCreate: admin('lifecycle.model.create', asCaller({ model: modelCreate }), modelAdminView),
  modelUpdate: admin('lifecycle.model.update', asCaller({ modelId: catalogModelId, patch: modelUpdate }), modelAdminView),
  modelPromote: admin('lifecycle.model.promote', asCaller({ modelId: catalogModelId, promote: modelPromote }), modelAdminView),
  modelDeprecate: admin('lifecycle.model.deprecate', asCaller({ modelId: catalogModelId, deprecate: modelDeprecate }), modelAdminView),
  modelWithdraw: admin('lifecycle.model.withdraw', asCaller({ modelId: catalogModelId, withdraw: modelWithdraw }), modelAdminView),
  modelGrant: admin('lifecycle.model.grant', asCaller({ modelId: catalogModelId, tenantId: id, grant: modelGrant }), modelAdminView),
  modelRevokeGrant: admin('lifecycle.model.revoke-grant', asCaller({ modelId: catalogModelId, tenantId: id }), modelAdminView),

  billingEstimate: admin('billing.estimate', costEstimateRequest, costEstimate),
  billingUsage: admin('billing.usage.query', asCaller({ query: usageQuery }), z.object({ data: z.array(usageRow) })),
  invoiceList: admin('billing.invoice.list', asCaller({ tenantId: id.optional(), period: z.string().optional() }), z.object({ data: z.array(invoiceSummary) })),
  invoiceGet: defineRpc({ pattern: 'billing.invoice.get', version: 1, partitions: 3, request: asCaller({ invoiceId: id, format: invoiceFormat }), response: invoiceFile, timeoutMs: 15_000, maxMessageBytes: 16 * 1024 * 1024 }),
  periodClose: defineRpc({ pattern: 'billing.period.close', version: 1, partitions: 1, request: asCaller({ close: periodClose }), response: periodClosed, timeoutMs: 120_000, maxMessageBytes: 16 * 1024 * 1024 }),
  creditNoteCreate: admin('billing.credit-note.create', asCaller({ invoiceId: id, note: creditNoteCreate }), invoiceSummary),
  budgetSet: admin('billing.budget.set', asCaller({ tenantId: id, budget: budgetUpdate }), z.object({ tenantId: id, monthlyBudgetEur: z.string().nullable(), hardCap: z.boolean().nullable() })),
  priceBookCreate: admin('billing.price-book.create', asCaller({ version: priceBookVersionCreate }), priceBookVersionView),
  priceBookList: admin('billing.price-book.list', asCaller({ tenantId: id.optional() }), z.object({ data: z.array(priceBookVersionView) })),
  invoicePreview: admin('billing.invoice.preview', asCaller({ tenantId: id.optional(), period: z.string() }), invoicePreview),
  tierPut: admin('billing.tier.put', asCaller({ name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/), tier: tierUpsert }), tierView),
} as const satisfies Record<string, RpcDefinition>;

export type Rpc = typeof rpc;
