import { type FleetCommand, type WorkerHeartbeat } from '@llmaas/contracts';

import { type CommandOutcome } from '../sim/sim-machine.js';

export type { CommandOutcome };

/** Where engines tell what happens in the background (loads finishing, servers going away). */
export interface EngineLog {
  log(entry: Record<string, unknown>): void;
  warn(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

/**
 * One machine as MachinesService sees it, whatever runs behind it: the simulator, an
 * OpenAI-compatible server or an Ollama server. The heartbeat is synchronous so one slow server
 * never delays the beats of the other machines of the process; real engines poll on their own.
 */
export interface MachineEngine {
  readonly workerId: string;
  readonly engine: WorkerHeartbeat['engine'];
  /** What the gateway calls with OpenAI requests (the gateway appends /v1/...). */
  readonly endpoint: string;
  /** Resolves once the machine can tell a truthful first heartbeat. */
  start(): Promise<void>;
  apply(command: FleetCommand): CommandOutcome;
  heartbeat(now: Date): WorkerHeartbeat;
  stop(): Promise<void>;
}
