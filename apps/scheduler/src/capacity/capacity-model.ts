import { type PriorityClass } from '@llmaas/contracts';

/** A worker as capacity planning sees it (from its last heartbeat). */
export interface WorkerCapacity {
  workerId: string;
  endpoint: string;
  /** Up (heartbeats on time) and taking work (not cordoned or draining). */
  available: boolean;
  /** Whether it obeys load/unload (a vLLM-style `openai` engine serves its one model, fixed). */
  placeable: boolean;
  vramTotalMiB: number;
  vramUsedMiB: number;
  models: {
    model: string;
    state: 'loading' | 'ready' | 'unloading';
    vramMiB: number;
    running: number;
    waiting: number;
    maxRunning: number;
  }[];
}

/**
 * One holder's last report (a gateway's, or the batch service's): credits it holds (and uses)
 * and requests waiting for a slot.
 */
export interface GatewayNeeds {
  gatewayId: string;
  /** 'batch' for the batch service: capped below every worker's slots and served last. */
  holderClass: PriorityClass;
  holdings: { workerId: string; model: string; credits: number; inUse: number }[];
  waiting: { model: string; priority: PriorityClass; count: number }[];
}

export interface Grant {
  workerId: string;
  endpoint: string;
  model: string;
  credits: number;
}
