import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { type WorkerHeartbeat } from '@llmaas/contracts';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type SchedulerConfig } from '../scheduler.config.js';
import { FleetState, type WorkerView } from './fleet-state.js';

@Injectable()
export class FleetService implements OnModuleInit, OnModuleDestroy {
  private readonly state: FleetState;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly meter = metrics.getMeter('llmaas.scheduler');

  constructor(@Inject(SERVICE_CONFIG) private readonly config: SchedulerConfig) {
    this.state = new FleetState(config.WORKER_DOWN_AFTER_MS);
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.state.forget(Date.now(), this.config.WORKER_FORGET_AFTER_MS), 10_000);
    this.sweeper.unref();
    this.meter.createObservableGauge('llmaas_fleet_workers', { description: 'Workers known to the scheduler, by liveness' }).addCallback((result) => {
      const view = this.state.view(Date.now());
      result.observe(view.filter((w) => w.up).length, { state: 'up' });
      result.observe(view.filter((w) => !w.up).length, { state: 'down' });
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  observe(beat: WorkerHeartbeat): void {
    this.state.observe(beat, Date.now());
  }

  view(): WorkerView[] {
    return this.state.view(Date.now());
  }
}
