import { type ModelSpec } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { type WorkerCapacity } from './capacity-model.js';
import { planPlacement, slotKey, unplaceableReason, type PlacementInputs } from './placement.js';

const spec = (vramMiB: number): ModelSpec => ({ kind: 'chat', paramsBillion: vramMiB / 600, contextLength: 32768, reasoning: false, vramMiB });
const worker = (workerId: string, vramTotalMiB: number, models: { model: string; vramMiB: number; running?: number; state?: 'ready' | 'loading'; maxRunning?: number }[] = [], available = true): WorkerCapacity => ({
  workerId,
  endpoint: 'http://127.0.0.1:1',
  available,
  placeable: true,
  vramTotalMiB,
  vramUsedMiB: models.reduce((s, m) => s + m.vramMiB, 0),
  models: models.map((m) => ({ model: m.model, state: m.state ?? 'ready', vramMiB: m.vramMiB, running: m.running ?? 0, waiting: 0, maxRunning: m.maxRunning ?? 16 })),
});
const inputs = (over: Partial<PlacementInputs>): PlacementInputs => ({
  fleet: [],
  waiting: new Map(),
  inUse: new Map(),
  specs: new Map([['big', spec(70_000)], ['small', spec(4_000)], ['mid', spec(20_000)]]),
  pendingLoads: [],
  lastActive: new Map(),
  ...over,
});

describe('planPlacement', () => {
  it('loads a waiting model on the tightest worker that fits weights and KV reserve', () => {
    const fleet = [worker('h200', 143_771), worker('h100', 81_559), worker('l40s', 46_068)];
    expect(planPlacement(inputs({ fleet, waiting: new Map([['small', 1]]) }))).toEqual([{ workerId: 'l40s', action: 'load', model: 'small' }]);
    expect(planPlacement(inputs({ fleet, waiting: new Map([['big', 1]]) }))).toEqual([{ workerId: 'h100', action: 'load', model: 'big' }]);
  });

  it('does nothing while a replica is loading, a load is pending or a slot is free', () => {
    const fleet = [worker('w1', 81_559, [{ model: 'small', vramMiB: 4000, state: 'loading' }]), worker('w2', 81_559)];
    expect(planPlacement(inputs({ fleet, waiting: new Map([['small', 3]]) }))).toEqual([]);
    expect(planPlacement(inputs({ fleet: [worker('w2', 81_559)], waiting: new Map([['small', 3]]), pendingLoads: [{ workerId: 'w2', model: 'small', vramMiB: 4000 }] }))).toEqual([]);
    expect(planPlacement(inputs({ fleet: [worker('w1', 81_559, [{ model: 'small', vramMiB: 4000 }])], waiting: new Map([['small', 3]]) }))).toEqual([]);
  });

  it('adds a replica when every slot of the model is in use', () => {
    const fleet = [worker('w1', 81_559, [{ model: 'small', vramMiB: 4000, maxRunning: 2 }]), worker('w2', 81_559)];
    const plan = planPlacement(inputs({ fleet, waiting: new Map([['small', 3]]), inUse: new Map([[slotKey('w1', 'small'), 2]]) }));
    expect(plan).toEqual([{ workerId: 'w2', action: 'load', model: 'small' }]);
  });

  it('counts pending loads against free VRAM: never oversubscribes', () => {
    const fleet = [worker('w1', 81_559)];
    const plan = planPlacement(inputs({ fleet, waiting: new Map([['big', 1]]), pendingLoads: [{ workerId: 'w1', model: 'mid', vramMiB: 20_000 }] }));
    expect(plan).toEqual([]);
  });

  it('evicts idle models, least recently used first, never busy ones', () => {
    const fleet = [
      worker('w1', 81_559, [{ model: 'a', vramMiB: 30_000 }, { model: 'b', vramMiB: 30_000 }, { model: 'c', vramMiB: 20_000, running: 1 }]),
    ];
    const lastActive = new Map([[slotKey('w1', 'a'), 200], [slotKey('w1', 'b'), 100]]);
    const plan = planPlacement(inputs({ fleet, waiting: new Map([['mid', 1]]), lastActive }));
    expect(plan).toEqual([
      { workerId: 'w1', action: 'unload', model: 'b' },
      { workerId: 'w1', action: 'load', model: 'mid' },
    ]);
    // With every model busy, nothing is evicted and nothing loads.
    const busy = [worker('w1', 81_559, [{ model: 'a', vramMiB: 40_000, running: 1 }, { model: 'b', vramMiB: 40_000, running: 2 }])];
    expect(planPlacement(inputs({ fleet: busy, waiting: new Map([['mid', 1]]) }))).toEqual([]);
  });

  it('skips unavailable workers and those whose engine takes no loads (vLLM serves one model)', () => {
    expect(planPlacement(inputs({ fleet: [worker('w1', 143_771, [], false)], waiting: new Map([['small', 1]]) }))).toEqual([]);
    expect(planPlacement(inputs({ fleet: [{ ...worker('vllm', 143_771), placeable: false }], waiting: new Map([['small', 1]]) }))).toEqual([]);
  });
});

describe('unplaceableReason', () => {
  it('names models too large for every available worker, and a fleet taking no work', () => {
    const fleet = [worker('h100', 81_559), worker('h200', 143_771, [], false)];
    expect(unplaceableReason({ ...spec(70_000), model: 'x' }, fleet)).toBeNull();
    expect(unplaceableReason({ ...spec(100_000), model: 'x' }, fleet)).toContain('largest available worker has 81559 MiB');
    // Hosted already (e.g. by a vLLM machine): never unplaceable.
    expect(unplaceableReason({ ...spec(100_000), model: 'x' }, [worker('vllm', 81_559, [{ model: 'x', vramMiB: 0 }])])).toBeNull();
    expect(unplaceableReason({ ...spec(1000), model: 'x' }, [worker('h100', 81_559, [], false)])).toContain('is taking work');
  });
});
