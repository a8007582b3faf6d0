import { type Server } from 'node:http';

import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type FleetCommand } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { parseFleetSpec } from '../sim/fleet-spec.js';
import { SimMachine } from '../sim/sim-machine.js';
import { type WorkerConfig } from '../worker.config.js';
import { listenMachineEndpoint } from './machine-endpoints.js';

/** Hosts the simulated machines of this process and publishes their heartbeats. */
@Injectable()
export class MachinesService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('machines');
  private readonly machines: SimMachine[];
  private readonly servers: Server[] = [];
  private timer: NodeJS.Timeout | undefined;
  private publishFailing = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: WorkerConfig,
    private readonly events: EventPublisher,
  ) {
    this.machines = parseFleetSpec(config.WORKER_FLEET).map(
      (spec, i) =>
        new SimMachine(`${config.WORKER_ID_PREFIX}-${i + 1}`, `http://${config.HTTP_HOST}:${config.WORKER_BASE_PORT + i}`, spec, {
          timeScale: config.SIM_TIME_SCALE,
          loadGBs: config.SIM_LOAD_BANDWIDTH_GBS,
          log: (entry) => this.logger.log(entry),
        }),
    );
  }

  async onModuleInit(): Promise<void> {
    for (const [i, machine] of this.machines.entries()) {
      this.servers.push(
        await listenMachineEndpoint(machine, this.config.HTTP_HOST, this.config.WORKER_BASE_PORT + i, (error) =>
          this.logger.error({ msg: 'request failed', workerId: machine.workerId, err: error instanceof Error ? error.message : String(error) }),
        ),
      );
    }
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_INTERVAL_MS);
    this.logger.log({ msg: `hosting ${this.machines.length} simulated machines`, workers: this.machines.map((m) => m.endpoint) });
  }

  /** One produce request per tick for the whole fleet of this process. */
  private async beat(): Promise<void> {
    const now = new Date();
    try {
      await this.events.publishMany(topics.fleetHeartbeats, this.machines.map((m) => m.heartbeat(now)));
      if (this.publishFailing) this.logger.log('heartbeats flowing again');
      this.publishFailing = false;
    } catch (error) {
      // Log the transition, not every missed beat.
      if (!this.publishFailing) this.logger.warn({ msg: 'heartbeats not published', err: error instanceof Error ? error.message : String(error) });
      this.publishFailing = true;
    }
  }

  apply(command: FleetCommand): void {
    const machine = this.machines.find((m) => m.workerId === command.workerId);
    if (!machine) return; // addressed to a machine of another worker process
    const outcome = machine.apply(command);
    // A refused load is a warning: the scheduler's plan and this machine's VRAM disagree.
    if (outcome.applied) this.logger.log({ msg: 'fleet command applied', detail: outcome.detail, command });
    else this.logger.warn({ msg: 'fleet command refused', detail: outcome.detail, command });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    for (const machine of this.machines) machine.close();
    await Promise.all(this.servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
