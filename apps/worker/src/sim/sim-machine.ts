import { type FleetCommand, type WorkerHeartbeat } from '@llmaas/contracts';

import { type MachineMetrics } from '../http/metrics.js';
import { SimEngine } from './engine.js';
import { MiB, spreadOverGpus } from './engine-model.js';
import { type MachineSpec } from './fleet-spec.js';

export interface SimMachineOptions {
  readonly timeScale: number;
  readonly loadGBs: number;
  /** Where load / unload outcomes are told (the service logs them). */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface CommandOutcome {
  readonly applied: boolean;
  readonly detail: string;
}

/** Test hooks a machine obeys (POST /sim/faults). */
export interface Faults {
  /** Destroy the socket of every stream after this many tokens (a worker dying mid-stream). */
  abortStreamsAfterTokens: number | null;
}

/**
 * One simulated GPU machine: identity, operator state (cordon, drain) and its engine. The
 * heartbeat is read from the engine, so it always tells what the machine holds and runs.
 */
export class SimMachine {
  private seq = 0;
  private cordoned = false;
  private draining = false;
  private readonly startedAt = new Date().toISOString();
  readonly engine: SimEngine;
  readonly faults: Faults = { abortStreamsAfterTokens: null };

  constructor(
    readonly workerId: string,
    readonly endpoint: string,
    readonly spec: MachineSpec,
    private readonly options: SimMachineOptions = { timeScale: 1, loadGBs: 2 },
  ) {
    this.engine = new SimEngine({ gpus: spec.gpus, timeScale: options.timeScale, loadGBs: options.loadGBs });
  }

  /** New requests are refused (503) while cordoned or draining; running work goes on. */
  acceptsWork(): boolean {
    return !this.cordoned && !this.draining;
  }

  apply(command: FleetCommand): CommandOutcome {
    switch (command.action) {
      case 'cordon':
        this.cordoned = true;
        return { applied: true, detail: 'cordoned' };
      case 'drain':
        // Stop taking work; the engine finishes what it runs and what is queued.
        this.draining = true;
        return { applied: true, detail: this.engine.idle() ? 'drained' : 'draining' };
      case 'uncordon':
        this.cordoned = false;
        this.draining = false;
        return { applied: true, detail: 'uncordoned' };
      case 'load': {
        if (!command.model || !command.spec) return { applied: false, detail: 'load needs model and spec' };
        const model = command.model;
        const outcome = this.engine.load(model, command.spec, () => this.options.log?.({ msg: 'model ready', workerId: this.workerId, model }));
        if (!outcome.ok) return { applied: false, detail: `load of ${model} refused: ${outcome.reason}` };
        return { applied: true, detail: outcome.alreadyLoaded ? `${model} already present` : `loading ${model}` };
      }
      case 'unload':
        if (!command.model) return { applied: false, detail: 'unload needs model' };
        return this.engine.unload(command.model) ? { applied: true, detail: `unloading ${command.model}` } : { applied: false, detail: `${command.model} is not loaded` };
    }
  }

  /** The machine's GPUs with the VRAM its models hold, filling them in order. */
  gpus(): WorkerHeartbeat['gpus'] {
    const used = spreadOverGpus(this.engine.usedBytes() / MiB, this.spec.gpus);
    return this.spec.gpus.map((gpu, index) => ({ index, name: gpu.name, vramTotalMiB: gpu.vramTotalMiB, vramUsedMiB: used[index] ?? 0 }));
  }

  /** What its /metrics shows: the simulator knows every figure. */
  metrics(): MachineMetrics {
    return { gpus: this.gpus(), models: this.engine.snapshot(), batching: true, totals: this.engine.totals };
  }

  heartbeat(now: Date): WorkerHeartbeat {
    this.seq += 1;
    const models = this.engine.snapshot();
    return {
      workerId: this.workerId,
      engine: 'sim',
      endpoint: this.endpoint,
      gpus: this.gpus(),
      models,
      queueDepth: models.reduce((sum, m) => sum + m.waiting, 0),
      running: models.reduce((sum, m) => sum + m.running, 0),
      tokensPerSecond: this.engine.tokensPerSecond(now.getTime()),
      cordoned: this.cordoned || this.draining,
      seq: this.seq,
      startedAt: this.startedAt,
      sentAt: now.toISOString(),
    };
  }

  /** Everything /sim/state shows: the heartbeat's view plus operator flags and faults. */
  state(now = new Date()): Record<string, unknown> {
    const beat = this.heartbeat(now);
    this.seq -= 1; // reading state is not a heartbeat
    return { ...beat, seq: this.seq, draining: this.draining, cordonedByOperator: this.cordoned, faults: this.faults, vramCapacityMiB: this.engine.capacityBytes() / MiB, timeScale: this.options.timeScale };
  }

  close(): void {
    this.engine.close();
  }
}
