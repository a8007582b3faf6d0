import { type FleetCommand, type LoadedModel, type WorkerHeartbeat } from '@llmaas/contracts';

import { type CommandOutcome } from './machine-engine.js';

export interface ServerState {
  readonly models: LoadedModel[];
  readonly tokensPerSecond: number;
}

/** What differs between the real engines: how to read a server's state and change its models. */
export interface InferenceServer {
  readonly engine: Exclude<WorkerHeartbeat['engine'], 'sim'>;
  /** Base URL, without /v1: the gateway appends the OpenAI paths. */
  readonly baseUrl: string;
  /**
   * Whether the models' vramMiB are the server's own figures (Ollama's /api/ps), so the VRAM in
   * use can be told without nvidia-smi; false where they are not known (vLLM reports 0).
   */
  readonly reportsModelVram: boolean;
  /** Whether the models' running, waiting and KV-cache figures are the server's own (vLLM's /metrics read). */
  readonly reportsBatching: boolean;
  /** Throws when the server does not answer; the machine then reports no models. */
  poll(): Promise<ServerState>;
  /** Commands sent but not yet visible in the server's answer (a load under way), applied at each heartbeat. */
  overlay?(models: readonly LoadedModel[]): LoadedModel[];
  changeModels(command: FleetCommand & { action: 'load' | 'unload' }): CommandOutcome;
  close(): void;
}
