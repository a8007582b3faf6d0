import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type FleetCommand } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { createEngines } from '../engines/create-engines.js';
import { type MachineEngine } from '../engines/machine-engine.js';
import { type WorkerConfig } from '../worker.config.js';

/** Hosts the machines of this process (simulated, or fronting real servers) and publishes their heartbeats. */
@Injectable()
export class MachinesService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('machines');
  private readonly machines: MachineEngine[];
  private timer: NodeJS.Timeout | undefined;
  private publishFailing = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: WorkerConfig,
    private readonly events: EventPublisher,
  ) {
    // A bad engine setup (openai without WORKER_ENGINE_URLS) throws here and the service stops naming the variable.
    this.machines = createEngines(config, { log: (entry) => this.logger.log(entry), warn: (entry) => this.logger.warn(entry), error: (entry) => this.logger.error(entry) });
  }

  async onModuleInit(): Promise<void> {
    await Promise.all(this.machines.map((machine) => machine.start()));
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_INTERVAL_MS);
    this.logger.log({ msg: `hosting ${this.machines.length} ${this.config.WORKER_ENGINE} machines`, workers: this.machines.map((m) => m.endpoint) });
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
    // A refused load is a warning: the scheduler's plan and this machine disagree.
    if (outcome.applied) this.logger.log({ msg: 'fleet command applied', detail: outcome.detail, command });
    else this.logger.warn({ msg: 'fleet command refused', detail: outcome.detail, command });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.machines.map((machine) => machine.stop()));
  }
}
