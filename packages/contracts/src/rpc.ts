import { defineRpc, type RpcDefinition } from './define.js';
import { fleetRequest, fleetView, serviceStatus, statusRequest } from './messages.js';

const statusOf = (pattern: string) =>
  defineRpc({ pattern, version: 1, partitions: 3, request: statusRequest, response: serviceStatus, timeoutMs: 3000 });

/** Every request/reply operation, by the service that answers it. */
export const rpc = {
  authStatus: statusOf('auth.status'),
  guardStatus: statusOf('guard.status'),
  schedulerStatus: statusOf('scheduler.status'),
  billingStatus: statusOf('billing.status'),
  lifecycleStatus: statusOf('lifecycle.status'),
  batchStatus: statusOf('batch.status'),
  schedulerFleet: defineRpc({ pattern: 'scheduler.fleet', version: 1, partitions: 1, request: fleetRequest, response: fleetView, timeoutMs: 3000 }),
} as const satisfies Record<string, RpcDefinition>;

export type Rpc = typeof rpc;
