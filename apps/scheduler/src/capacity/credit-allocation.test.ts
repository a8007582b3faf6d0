import { describe, expect, it } from 'vitest';

import { type GatewayNeeds, type WorkerCapacity } from './capacity-model.js';
import { allocateCredits } from './credit-allocation.js';

const worker = (workerId: string, models: { model: string; maxRunning: number; running?: number; waiting?: number; state?: 'ready' | 'loading' }[], available = true): WorkerCapacity => ({
  workerId,
  endpoint: `http://127.0.0.1:9${workerId.slice(-1)}00`,
  available,
  placeable: true,
  vramTotalMiB: 81559,
  vramUsedMiB: 0,
  models: models.map((m) => ({ model: m.model, state: m.state ?? 'ready', vramMiB: 1000, running: m.running ?? 0, waiting: m.waiting ?? 0, maxRunning: m.maxRunning })),
});
const gateway = (gatewayId: string, holdings: GatewayNeeds['holdings'] = [], waiting: GatewayNeeds['waiting'] = []): GatewayNeeds => ({ gatewayId, holdings, waiting });
const total = (grants: { credits: number }[] | undefined) => (grants ?? []).reduce((s, g) => s + g.credits, 0);

describe('allocateCredits', () => {
  it('never grants more than the ready slots of a model, across all gateways', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 4 }]), worker('w2', [{ model: 'm', maxRunning: 2 }])];
    const plan = allocateCredits(fleet, [gateway('a', [], [{ model: 'm', priority: 'interactive', count: 10 }]), gateway('b', [], [{ model: 'm', priority: 'interactive', count: 10 }])]);
    expect(total(plan.get('a')) + total(plan.get('b'))).toBe(6);
    expect(total(plan.get('a'))).toBe(3);
    const perWorker = new Map<string, number>();
    for (const g of [...(plan.get('a') ?? []), ...(plan.get('b') ?? [])]) perWorker.set(g.workerId, (perWorker.get(g.workerId) ?? 0) + g.credits);
    expect(perWorker.get('w1')).toBe(4);
    expect(perWorker.get('w2')).toBe(2);
  });

  it('spreads waiting requests over the least loaded workers first', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 8, running: 6 }]), worker('w2', [{ model: 'm', maxRunning: 8 }]), worker('w3', [{ model: 'm', maxRunning: 8 }])];
    // w1 has 8 slots but its engine is busy; the in-use credits pin 6 of them to gateway a.
    const plan = allocateCredits(fleet, [gateway('a', [{ workerId: 'w1', model: 'm', credits: 6, inUse: 6 }], [{ model: 'm', priority: 'interactive', count: 2 }])]);
    const grants = plan.get('a') ?? [];
    expect(grants.find((g) => g.workerId === 'w1')?.credits).toBe(8); // 6 in use + headroom
    expect(total(grants)).toBe(24); // everything, as headroom, to the only user
  });

  it('keeps in-use credits with their gateway and serves interactive before batch', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 3 }])];
    const plan = allocateCredits(fleet, [
      gateway('batchy', [{ workerId: 'w1', model: 'm', credits: 3, inUse: 1 }], [{ model: 'm', priority: 'batch', count: 5 }]),
      gateway('chatty', [], [{ model: 'm', priority: 'interactive', count: 2 }]),
    ]);
    expect(total(plan.get('batchy'))).toBe(1); // its running request only: idle credits went to interactive work
    expect(total(plan.get('chatty'))).toBe(2);
  });

  it('drops credits on workers that are down, cordoned or no longer host the model', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 4 }], false), worker('w2', [{ model: 'm', maxRunning: 4, state: 'loading' }]), worker('w3', [{ model: 'other', maxRunning: 4 }])];
    const plan = allocateCredits(fleet, [gateway('a', [{ workerId: 'w1', model: 'm', credits: 4, inUse: 2 }], [{ model: 'm', priority: 'interactive', count: 1 }])]);
    expect(plan.get('a')).toEqual([]);
  });

  it('splits idle headroom between gateways using a model', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 10 }])];
    const plan = allocateCredits(fleet, [gateway('a', [{ workerId: 'w1', model: 'm', credits: 10, inUse: 0 }]), gateway('b', [], [{ model: 'm', priority: 'interactive', count: 1 }])]);
    expect(total(plan.get('b'))).toBe(5); // 1 waiting + its share of the rest
    expect(total(plan.get('a'))).toBe(5);
  });
});
