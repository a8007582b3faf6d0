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

/** One gateway's last report: credits it holds (and uses) and requests waiting for a slot. */
export interface GatewayNeeds {
  gatewayId: string;
  holdings: { workerId: string; model: string; credits: number; inUse: number }[];
  waiting: { model: string; priority: PriorityClass; count: number }[];
}

export interface Grant {
  workerId: string;
  endpoint: string;
  model: string;
  credits: number;
}
