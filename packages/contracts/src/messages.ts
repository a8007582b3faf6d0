import { z } from 'zod';

import { decimalString, id, modelId, modelKind, role, serviceName, timestamp } from './primitives.js';

// ---- shared tables (compacted topics) -------------------------------------------------------

export const apiKeyRecord = z.object({
  keyId: id,
  tenantId: id,
  /** HMAC-SHA-256 of the secret, hex; the secret itself never leaves auth. */
  secretHash: z.string().regex(/^[0-9a-f]{64}$/),
  role,
  /** Exact model ids or `*` patterns; empty = every model the tenant may use. */
  models: z.array(z.string().min(1)).default([]),
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  updatedAt: timestamp,
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecord>;

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as FR');
const vatNumber = z.string().regex(/^[A-Z]{2}[A-Z0-9+*.]{2,13}$/, 'a VAT number with its country prefix, e.g. FR40303265045');

/** A tenant's legal identity, as its invoices name it. */
export const legalIdentity = z.object({
  legalName: z.string().min(1).max(200),
  addressLine: z.string().min(1).max(300),
  postalCode: z.string().min(1).max(20),
  city: z.string().min(1).max(100),
  country: countryCode,
  vatNumber: vatNumber.nullable().default(null),
});
export type LegalIdentity = z.infer<typeof legalIdentity>;

export const tenantRecord = z.object({
  tenantId: id,
  name: z.string().min(1),
  status: z.enum(['active', 'suspended']),
  tier: z.string().min(1),
  guard: z.object({ enabled: z.boolean(), threshold: z.number().min(0).max(1) }),
  betaOptIn: z.boolean(),
  /** Exact model ids or `*` patterns the tenant may use; empty = the whole public catalog. */
  models: z.array(z.string().min(1)).default([]),
  /** For invoices (billing) and notices: null until the tenant gave them. */
  legal: legalIdentity.nullable().default(null),
  webhookUrl: z.string().nullable().default(null),
  updatedAt: timestamp,
});
export type TenantRecord = z.infer<typeof tenantRecord>;

export const catalogModel = z.object({
  id: modelId,
  publisher: z.string(),
  kind: modelKind,
  paramsBillion: z.number().positive(),
  contextLength: z.number().int().positive(),
  reasoning: z.boolean(),
  productionDate: z.iso.date().nullable(),
  endOfSupportDate: z.iso.date().nullable(),
  /** First day of the 3-month notice before the end of support (computed by lifecycle). */
  noticeStartDate: z.iso.date().nullable(),
  lts: z.boolean(),
  recommendedMigration: modelId.nullable(),
  stability: z.enum(['stable', 'experimental']),
  phase: z.enum(['evaluation', 'production', 'notice', 'removed']),
  /** VRAM a worker needs to hold the weights (MiB), before KV cache. */
  vramMiB: z.number().int().positive(),
  /** Set by an emergency withdrawal (a security flaw): removed at once, without notice. */
  withdrawnAt: timestamp.nullable().default(null),
  withdrawnReason: z.string().nullable().default(null),
  /** Tenants an operator re-enabled this model for after its public removal. */
  enabledTenants: z.array(id).default([]),
  updatedAt: timestamp,
});
export type CatalogModel = z.infer<typeof catalogModel>;

export const billingQuota = z.object({
  tenantId: id,
  tier: z.string(),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  limits: z.object({
    requestsPerMinute: z.number().int().positive(),
    tokensPerMinute: z.number().int().positive(),
    concurrentRequests: z.number().int().positive(),
  }),
  budgetEur: decimalString.nullable(),
  spendEur: decimalString,
  hardCap: z.boolean(),
  state: z.enum(['ok', 'warning', 'exhausted']),
  updatedAt: timestamp,
});
export type BillingQuota = z.infer<typeof billingQuota>;

/** A tenant's spend crossed a share of its monthly budget (80 %, 100 %): sent once per month and threshold. */
export const billingAlert = z.object({
  alertId: id,
  tenantId: id,
  period: z.string().regex(/^\d{4}-\d{2}$/),
  percent: z.number().int().positive(),
  budgetEur: decimalString,
  spendEur: decimalString,
  /** Whether work is now refused (hard cap at 100 %) or only reported (soft cap). */
  hardCap: z.boolean(),
  at: timestamp,
});
export type BillingAlert = z.infer<typeof billingAlert>;

// ---- fleet -----------------------------------------------------------------------------------

export const gpuInfo = z.object({
  index: z.number().int().min(0),
  name: z.string(),
  vramTotalMiB: z.number().int().nonnegative(),
  vramUsedMiB: z.number().int().nonnegative(),
});

export const loadedModel = z.object({
  model: modelId,
  state: z.enum(['loading', 'ready', 'unloading']),
  vramMiB: z.number().int().nonnegative(),
  /** Sequences decoding now, and waiting for a batch slot (the engine's own queue). */
  running: z.number().int().nonnegative().default(0),
  waiting: z.number().int().nonnegative().default(0),
  /** Sequences the engine runs at once for this model (continuous batching cap, KV-cache bound). */
  maxRunning: z.number().int().nonnegative().default(0),
  /** Share of this model's KV-cache in use, 0..1 (vLLM's kv_cache_usage_perc). */
  kvCacheUsage: z.number().min(0).max(1).default(0),
});
export type LoadedModel = z.infer<typeof loadedModel>;

export const workerHeartbeat = z.object({
  workerId: id,
  engine: z.enum(['sim', 'openai', 'ollama']),
  /** Base URL of the worker's OpenAI-compatible HTTP endpoint. */
  endpoint: z.url(),
  gpus: z.array(gpuInfo).min(1),
  models: z.array(loadedModel),
  queueDepth: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  tokensPerSecond: z.number().nonnegative(),
  cordoned: z.boolean(),
  /** Monotonic per worker process; lets the scheduler drop reordered beats. */
  seq: z.number().int().nonnegative(),
  startedAt: timestamp,
  sentAt: timestamp,
});
export type WorkerHeartbeat = z.infer<typeof workerHeartbeat>;

/** What an engine needs to know to host a model (from the catalog, sent with a load command). */
export const modelSpec = z.object({
  kind: modelKind,
  paramsBillion: z.number().positive(),
  contextLength: z.number().int().positive(),
  reasoning: z.boolean(),
  /** Weights' VRAM (MiB) at the served quantisation, before KV cache. */
  vramMiB: z.number().int().positive(),
});
export type ModelSpec = z.infer<typeof modelSpec>;

export const fleetCommand = z.object({
  commandId: id,
  workerId: id,
  action: z.enum(['load', 'unload', 'drain', 'cordon', 'uncordon']),
  model: modelId.optional(),
  /** With `load`: how to host the model. */
  spec: modelSpec.optional(),
  issuedAt: timestamp,
});
export type FleetCommand = z.infer<typeof fleetCommand>;

export const priorityClass = z.enum(['interactive', 'batch']);
export type PriorityClass = z.infer<typeof priorityClass>;

/**
 * What a gateway holds and needs, sent every sync interval and at once when it runs short:
 * the scheduler grants capacity from it. Credits a gateway holds are slots on a worker's
 * continuous batch; it assigns requests within them locally, without a round trip.
 */
export const gatewayDemand = z.object({
  gatewayId: id,
  /** The holder's class: gateways hold 'interactive' credits; the batch service reports 'batch' (capped, served last). */
  holderClass: priorityClass.default('interactive'),
  holdings: z.array(z.object({ workerId: id, model: modelId, credits: z.number().int().nonnegative(), inUse: z.number().int().nonnegative() })),
  /** Requests waiting at the gateway for a slot, per model and class. */
  waiting: z.array(z.object({ model: modelId, priority: priorityClass, count: z.number().int().positive() })),
  sentAt: timestamp,
});
export type GatewayDemand = z.infer<typeof gatewayDemand>;

/** The scheduler's authoritative credit table for one gateway: it replaces the previous one. */
export const creditGrants = z.object({
  gatewayId: id,
  grants: z.array(z.object({ workerId: id, endpoint: z.url(), model: modelId, credits: z.number().int().nonnegative() })),
  /** Models with waiting requests that no worker of the fleet can host now: fail those at once. */
  unplaceable: z.array(z.object({ model: modelId, reason: z.string() })).default([]),
  /** Increases per scheduler process; a gateway ignores an older table. */
  seq: z.number().int().nonnegative(),
  schedulerStartedAt: timestamp,
  sentAt: timestamp,
});
export type CreditGrants = z.infer<typeof creditGrants>;

// ---- events ----------------------------------------------------------------------------------

export const inferenceUsage = z.object({
  requestId: id,
  tenantId: id,
  keyId: id,
  model: modelId,
  kind: modelKind,
  mode: z.enum(['interactive', 'batch']),
  status: z.enum(['completed', 'failed', 'cancelled']),
  inputTokens: z.number().int().nonnegative(),
  /** Completion tokens including reasoning tokens, as OpenAI's `completion_tokens`. */
  outputTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  documents: z.number().int().nonnegative(),
  audioSeconds: z.number().nonnegative(),
  workerId: id.nullable(),
  startedAt: timestamp,
  finishedAt: timestamp,
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
});
export type InferenceUsage = z.infer<typeof inferenceUsage>;

export const auditEvent = z.object({
  eventId: id,
  at: timestamp,
  /** Null for platform-level actions (e.g. an operator creating a tenant before it exists). */
  tenantId: id.nullable(),
  keyId: id.nullable(),
  actor: z.string().min(1),
  source: serviceName,
  action: z.string().min(1),
  resource: z.string(),
  model: modelId.nullable().default(null),
  httpStatus: z.number().int().nullable().default(null),
  requestId: id.nullable().default(null),
  clientAddress: z.string().nullable().default(null),
  userAgent: z.string().nullable().default(null),
  tokens: z.number().int().nonnegative().nullable().default(null),
  /** Time the gateway took to answer, in ms (0.1 ms precision); null where not measured. */
  latencyMs: z.number().nonnegative().nullable().default(null),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const guardVerdict = z.object({
  requestId: id,
  tenantId: id,
  keyId: id,
  decision: z.enum(['allow', 'block']),
  score: z.number().min(0).max(1),
  layer: z.string().nullable(),
  rules: z.array(z.string()),
  reasons: z.array(z.string()),
  at: timestamp,
});
export type GuardVerdict = z.infer<typeof guardVerdict>;

/** A prompt to judge: every user-controlled text of one request, with the tenant's policy. */
export const guardCheckRequest = z.object({
  requestId: id,
  tenantId: id,
  keyId: id,
  /** From `auth.tenants` (the gateway holds it): the score at which a prompt is blocked. */
  threshold: z.number().min(0).max(1),
  texts: z.array(z.string().max(40_000_000)).min(1).max(4096),
});
export type GuardCheckRequest = z.infer<typeof guardCheckRequest>;

/** An alert of the platform's Alertmanager, as last notified: the latest state per fingerprint. */
export const platformAlert = z.object({
  fingerprint: z.string().min(1).max(64),
  status: z.enum(['firing', 'resolved']),
  alertname: z.string().max(200),
  severity: z.string().max(50).nullable(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: timestamp,
  endsAt: timestamp.nullable(),
  generatorURL: z.string().max(2000).nullable(),
  receivedAt: timestamp,
});
export type PlatformAlert = z.infer<typeof platformAlert>;

// ---- request / reply -------------------------------------------------------------------------

export const statusRequest = z.object({ from: serviceName });

export const dependencyState = z.enum(['up', 'down']);
export const serviceStatus = z.object({
  service: serviceName,
  instance: z.string(),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  dependencies: z.record(z.string(), dependencyState),
});
export type ServiceStatus = z.infer<typeof serviceStatus>;

export const fleetRequest = z.object({});
export const fleetView = z.object({
  workers: z.array(
    workerHeartbeat.extend({
      up: z.boolean(),
      lastSeenMsAgo: z.number().nonnegative(),
    }),
  ),
});
export type FleetView = z.infer<typeof fleetView>;
