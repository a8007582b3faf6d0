import { type Server } from 'node:http';

import { type FleetCommand, type WorkerHeartbeat } from '@llmaas/contracts';

import { listenMachineEndpoint } from '../fleet/machine-endpoints.js';
import { type SimMachine } from '../sim/sim-machine.js';
import { type CommandOutcome, type EngineLog, type MachineEngine } from './machine-engine.js';

/** A simulated machine plus the HTTP port it serves inference on. */
export class SimMachineEngine implements MachineEngine {
  readonly engine = 'sim' as const;
  private server: Server | undefined;

  constructor(
    readonly machine: SimMachine,
    private readonly host: string,
    private readonly port: number,
    private readonly log: EngineLog,
  ) {}

  get workerId(): string {
    return this.machine.workerId;
  }

  get endpoint(): string {
    return this.machine.endpoint;
  }

  async start(): Promise<void> {
    this.server = await listenMachineEndpoint(this.machine, this.host, this.port, (error) =>
      this.log.error({ msg: 'request failed', workerId: this.workerId, err: error instanceof Error ? error.message : String(error) }),
    );
  }

  apply(command: FleetCommand): CommandOutcome {
    return this.machine.apply(command);
  }

  heartbeat(now: Date): WorkerHeartbeat {
    return this.machine.heartbeat(now);
  }

  async stop(): Promise<void> {
    this.machine.close();
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
