import { z } from 'zod';

import { defineTopic, type TopicDefinition } from './define.js';
import {
  apiKeyRecord,
  auditEvent,
  billingAlert,
  billingQuota,
  catalogModel,
  fleetCommand,
  guardVerdict,
  inferenceUsage,
  creditGrants,
  gatewayDemand,
  tenantRecord,
  workerHeartbeat,
  platformAlert,
} from './messages.js';
import { timestamp } from './primitives.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const deadLetter = z.object({
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  consumer: z.string(),
  reason: z.string(),
  /** The original bytes, base64, so nothing is lost even when they are not JSON. */
  payloadBase64: z.string(),
  at: timestamp,
});

/** Every event topic of the platform. Request/reply topics are in `rpc.ts`. */
export const topics = {
  authKeys: defineTopic({ name: 'auth.keys', version: 1, partitions: 3, compacted: true, keyField: 'keyId', schema: apiKeyRecord }),
  authTenants: defineTopic({ name: 'auth.tenants', version: 1, partitions: 3, compacted: true, keyField: 'tenantId', schema: tenantRecord }),
  catalogModels: defineTopic({ name: 'catalog.models', version: 1, partitions: 1, compacted: true, keyField: 'id', schema: catalogModel }),
  billingQuotas: defineTopic({ name: 'billing.quotas', version: 1, partitions: 3, compacted: true, keyField: 'tenantId', schema: billingQuota }),
  billingAlerts: defineTopic({ name: 'billing.alerts', version: 1, partitions: 3, compacted: false, retentionMs: 90 * DAY, keyField: 'tenantId', schema: billingAlert }),
  fleetHeartbeats: defineTopic({ name: 'fleet.heartbeats', version: 1, partitions: 3, compacted: false, retentionMs: HOUR, keyField: 'workerId', schema: workerHeartbeat }),
  fleetCommands: defineTopic({ name: 'fleet.commands', version: 1, partitions: 3, compacted: false, retentionMs: DAY, keyField: 'workerId', schema: fleetCommand }),
  schedulerDemand: defineTopic({ name: 'scheduler.demand', version: 1, partitions: 1, compacted: false, retentionMs: HOUR, keyField: 'gatewayId', schema: gatewayDemand }),
  schedulerGrants: defineTopic({ name: 'scheduler.grants', version: 1, partitions: 1, compacted: true, keyField: 'gatewayId', schema: creditGrants }),
  inferenceUsage: defineTopic({ name: 'inference.usage', version: 1, partitions: 6, compacted: false, retentionMs: 30 * DAY, keyField: 'tenantId', schema: inferenceUsage }),
  auditEvents: defineTopic({ name: 'audit.events', version: 1, partitions: 6, compacted: false, retentionMs: 30 * DAY, keyField: 'tenantId', schema: auditEvent }),
  guardVerdicts: defineTopic({ name: 'guard.verdicts', version: 1, partitions: 3, compacted: false, retentionMs: 7 * DAY, keyField: 'tenantId', schema: guardVerdict }),
  monitoringAlerts: defineTopic({ name: 'monitoring.alerts', version: 1, partitions: 1, compacted: true, keyField: 'fingerprint', schema: platformAlert }),
  deadLetters: defineTopic({ name: 'platform.dead-letters', version: 1, partitions: 1, compacted: false, retentionMs: 90 * DAY, keyField: 'topic', schema: deadLetter }),
} as const satisfies Record<string, TopicDefinition>;

export type Topics = typeof topics;
