import { type WorkerHeartbeat } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { FleetState } from './fleet-state.js';

const beat = (workerId: string, seq: number, startedAt = '2026-11-26T10:00:00.000Z'): WorkerHeartbeat => ({
  workerId,
  engine: 'sim',
  endpoint: 'http://127.0.0.1:9301',
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', vramTotalMiB: 81559, vramUsedMiB: 0 }],
  models: [],
  queueDepth: 0,
  running: 0,
  tokensPerSecond: 0,
  cordoned: false,
  seq,
  startedAt,
  sentAt: '2026-11-26T10:00:01.000Z',
});

describe('FleetState', () => {
  it('lists workers in natural order with their liveness', () => {
    const fleet = new FleetState(3000);
    fleet.observe(beat('worker-10', 1), 0);
    fleet.observe(beat('worker-2', 1), 0);
    expect(fleet.view(1000).map((w) => w.workerId)).toEqual(['worker-2', 'worker-10']);
    expect(fleet.view(1000).every((w) => w.up)).toBe(true);
  });

  it('marks a worker down after it misses beats, and up again when it returns', () => {
    const fleet = new FleetState(3000);
    fleet.observe(beat('w1', 1), 0);
    expect(fleet.isUp('w1', 3000)).toBe(true);
    expect(fleet.isUp('w1', 3001)).toBe(false);
    fleet.observe(beat('w1', 2), 5000);
    expect(fleet.isUp('w1', 5001)).toBe(true);
  });

  it('drops reordered beats from the same process but accepts a restarted worker', () => {
    const fleet = new FleetState(3000);
    expect(fleet.observe(beat('w1', 5), 0)).toBe(true);
    expect(fleet.observe(beat('w1', 4), 10)).toBe(false);
    expect(fleet.observe(beat('w1', 1, '2026-11-26T11:00:00.000Z'), 20)).toBe(true);
    expect(fleet.view(20)[0]?.seq).toBe(1);
  });

  it('forgets workers silent for too long', () => {
    const fleet = new FleetState(3000);
    fleet.observe(beat('w1', 1), 0);
    fleet.observe(beat('w2', 1), 50_000);
    expect(fleet.forget(60_001, 60_000)).toEqual(['w1']);
    expect(fleet.view(60_001).map((w) => w.workerId)).toEqual(['w2']);
  });
});
