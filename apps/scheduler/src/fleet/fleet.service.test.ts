import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { type WorkerHeartbeat } from '@llmaas/contracts';
import { initTelemetry, type Telemetry } from '@llmaas/telemetry';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import { schedulerEnv } from '../scheduler.config.js';
import { FleetService } from './fleet.service.js';

const beat = (workerId: string, seq: number): WorkerHeartbeat => ({
  workerId,
  engine: 'sim',
  endpoint: 'http://127.0.0.1:9301',
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', vramTotalMiB: 81559, vramUsedMiB: 0 }],
  models: [],
  queueDepth: 0,
  running: 0,
  tokensPerSecond: 0,
  cordoned: workerId === 'worker-10',
  seq,
  startedAt: '2026-11-26T10:00:00.000Z',
  sentAt: '2026-11-26T10:00:01.000Z',
});

let telemetry: Telemetry;
let server: Server;
let fleet: FleetService;
let url: string;

beforeAll(async () => {
  // The service's gauges through the same OpenTelemetry → Prometheus stack a running scheduler serves.
  telemetry = await initTelemetry({ service: 'scheduler', instance: 'test', version: '0' });
  server = createServer((req, res) => telemetry.handleMetricsRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  fleet = new FleetService(z.object(schedulerEnv).parse({ WORKER_DOWN_AFTER_MS: '3000' }));
  fleet.onModuleInit();
});

afterAll(async () => {
  fleet.onModuleDestroy();
  vi.useRealTimers();
  await new Promise((resolve) => server.close(resolve));
  await telemetry.shutdown();
});

const fleetLines = async () => (await (await fetch(url)).text()).split('\n').filter((line) => line.includes('llmaas_fleet_'));

describe('fleet gauges', () => {
  it('counts workers by liveness and tells per worker whether it is available (cordoned ones are)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    fleet.observe(beat('worker-2', 1));
    fleet.observe(beat('worker-10', 1));
    vi.setSystemTime(2000);
    fleet.observe(beat('worker-2', 2));
    expect(await fleetLines()).toEqual([
      '# HELP llmaas_fleet_workers Workers known to the scheduler, by liveness',
      '# TYPE llmaas_fleet_workers gauge',
      'llmaas_fleet_workers{state="up"} 2',
      'llmaas_fleet_workers{state="down"} 0',
      '# HELP llmaas_fleet_worker_available Whether the worker heartbeats: 1 while its beats arrive, 0 once silent for WORKER_DOWN_AFTER_MS',
      '# TYPE llmaas_fleet_worker_available gauge',
      'llmaas_fleet_worker_available{worker="worker-2"} 1',
      'llmaas_fleet_worker_available{worker="worker-10"} 1',
    ]);

    // worker-10 falls silent past WORKER_DOWN_AFTER_MS, then beats again.
    vi.setSystemTime(4000);
    fleet.observe(beat('worker-2', 3));
    expect((await fleetLines()).filter((line) => !line.startsWith('#'))).toEqual([
      'llmaas_fleet_workers{state="up"} 1',
      'llmaas_fleet_workers{state="down"} 1',
      'llmaas_fleet_worker_available{worker="worker-2"} 1',
      'llmaas_fleet_worker_available{worker="worker-10"} 0',
    ]);
    fleet.observe(beat('worker-10', 2));
    expect(await fleetLines()).toContain('llmaas_fleet_worker_available{worker="worker-10"} 1');
  });
});
