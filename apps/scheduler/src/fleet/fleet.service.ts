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
    const workers = this.meter.createObservableGauge('llmaas_fleet_workers', { description: 'Workers known to the scheduler, by liveness' });
    // Per worker, so an operator sees which one is down without scraping the machines. Cordoned
    // workers heartbeat and count as available: that is an operator's choice, not an outage.
    const available = this.meter.createObservableGauge('llmaas_fleet_worker_available', {
      description: 'Whether the worker heartbeats: 1 while its beats arrive, 0 once silent for WORKER_DOWN_AFTER_MS',
    });
    // One view per scrape serves both gauges.
    this.meter.addBatchObservableCallback(
      (result) => {
        const view = this.state.view(Date.now());
        result.observe(workers, view.filter((w) => w.up).length, { state: 'up' });
        result.observe(workers, view.filter((w) => !w.up).length, { state: 'down' });
        for (const w of view) result.observe(available, w.up ? 1 : 0, { worker: w.workerId });
      },
      [workers, available],
    );
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
