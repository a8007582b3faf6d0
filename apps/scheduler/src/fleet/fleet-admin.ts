import { type ModelSpec } from '@llmaas/contracts';
import { RpcFailure } from '@llmaas/kafka';

import { type WorkerCapacity } from '../capacity/capacity-model.js';
import { kvReserveMiB } from '../capacity/placement.js';

export type FleetAction = 'load' | 'unload' | 'drain' | 'cordon' | 'uncordon';

/**
 * Whether an operator's command can be carried out, as a typed refusal otherwise: the worker
 * must be known and up; a load needs a catalog model not already there and VRAM for its weights
 * and KV reserve (never oversubscribed); an unload needs the model there and idle.
 */
export function checkFleetCommand(worker: (WorkerCapacity & { up: boolean }) | undefined, action: FleetAction, model: string | undefined, spec: ModelSpec | undefined, pendingVramMiB: number): void {
  if (!worker) throw new RpcFailure('not_found', 'No such worker in the fleet.', 'workerId');
  if (!worker.up) throw new RpcFailure('conflict', `Worker ${worker.workerId} is down (no recent heartbeat).`, 'workerId');
  if (action !== 'load' && action !== 'unload') return;
  if (!worker.placeable) throw new RpcFailure('conflict', `Worker ${worker.workerId} serves a fixed model (its engine takes no load or unload).`, 'workerId');
  if (!model) throw new RpcFailure('invalid_request', `model: required to ${action}.`, 'model');
  const hosted = worker.models.find((m) => m.model === model);
  if (action === 'unload') {
    if (!hosted) throw new RpcFailure('not_found', `The model '${model}' is not loaded on ${worker.workerId}.`, 'model');
    if (hosted.running + hosted.waiting > 0) throw new RpcFailure('conflict', `The model '${model}' is serving ${hosted.running + hosted.waiting} requests on ${worker.workerId}; drain the worker first.`, 'model');
    return;
  }
  if (!spec) throw new RpcFailure('invalid_request', `model: '${model}' is not in the catalog.`, 'model');
  if (hosted) throw new RpcFailure('conflict', `The model '${model}' is already ${hosted.state} on ${worker.workerId}.`, 'model');
  const free = worker.vramTotalMiB - worker.vramUsedMiB - pendingVramMiB;
  const need = spec.vramMiB + kvReserveMiB(spec);
  if (free < need) throw new RpcFailure('conflict', `Worker ${worker.workerId} has ${free} MiB of VRAM free; '${model}' needs ${need} MiB (weights and KV reserve). Unload a model first.`, 'model');
}
