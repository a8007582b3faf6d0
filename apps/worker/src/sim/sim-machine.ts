import { type FleetCommand, type WorkerHeartbeat } from '@llmaas/contracts';

import { type MachineSpec } from './fleet-spec.js';

/**
 * One simulated GPU machine: its identity, GPUs and the state its heartbeat reports. The
 * inference engine simulator plugs in here (issue "inference path"); today a machine starts
 * with no model loaded and an empty queue, which is the truth for a fresh machine.
 */
export class SimMachine {
  private seq = 0;
  private cordoned = false;
  private readonly startedAt = new Date().toISOString();

  constructor(
    readonly workerId: string,
    readonly endpoint: string,
    private readonly spec: MachineSpec,
  ) {}

  /** Applies an operator command addressed to this machine; returns false when it cannot. */
  apply(command: FleetCommand): boolean {
    switch (command.action) {
      case 'cordon':
      case 'drain':
        // With nothing running, draining is complete as soon as the machine stops taking work.
        this.cordoned = true;
        return true;
      case 'uncordon':
        this.cordoned = false;
        return true;
      case 'load':
      case 'unload':
        // Placement needs the engine simulator, which arrives with the inference path.
        return false;
    }
  }

  heartbeat(now: Date): WorkerHeartbeat {
    this.seq += 1;
    return {
      workerId: this.workerId,
      engine: 'sim',
      endpoint: this.endpoint,
      gpus: this.spec.gpus.map((gpu, index) => ({ index, name: gpu.name, vramTotalMiB: gpu.vramTotalMiB, vramUsedMiB: 0 })),
      models: [],
      queueDepth: 0,
      running: 0,
      tokensPerSecond: 0,
      cordoned: this.cordoned,
      seq: this.seq,
      startedAt: this.startedAt,
      sentAt: now.toISOString(),
    };
  }
}
