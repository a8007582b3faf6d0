import { describe, expect, it } from 'vitest';

import { type GatewayNeeds, type WorkerCapacity } from './capacity-model.js';
import { allocateCredits as allocateWith, batchReserve } from './credit-allocation.js';

const worker = (workerId: string, models: { model: string; maxRunning: number; running?: number; waiting?: number; state?: 'ready' | 'loading' }[], available = true): WorkerCapacity => ({
  workerId,
  endpoint: `http://127.0.0.1:9${workerId.slice(-1)}00`,
  available,
  placeable: true,
  vramTotalMiB: 81559,
  vramUsedMiB: 0,
  models: models.map((m) => ({ model: m.model, state: m.state ?? 'ready', vramMiB: 1000, running: m.running ?? 0, waiting: m.waiting ?? 0, maxRunning: m.maxRunning })),
});
const gateway = (gatewayId: string, holdings: GatewayNeeds['holdings'] = [], waiting: GatewayNeeds['waiting'] = []): GatewayNeeds => ({ gatewayId, holderClass: 'interactive', holdings, waiting });
const batchHolder = (gatewayId: string, holdings: GatewayNeeds['holdings'] = [], waiting: GatewayNeeds['waiting'] = []): GatewayNeeds => ({ gatewayId, holderClass: 'batch', holdings, waiting });
const allocateCredits = (fleet: WorkerCapacity[], holders: GatewayNeeds[], batchReserveFraction = 0.25) => allocateWith(fleet, holders, { batchReserveFraction });
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

describe('batch reserve', () => {
  it('keeps max(1, ceil(slots × fraction)) from batch, leaves batch a slot, and lends a single slot while interactive is idle', () => {
    expect([1, 2, 4, 8, 10].map((n) => batchReserve(n, 0.25, false))).toEqual([0, 1, 1, 2, 3]);
    expect(batchReserve(2, 0.9, true)).toBe(1);
    expect(batchReserve(1, 0.25, true)).toBe(1);
    expect(batchReserve(8, 0, true)).toBe(0);
  });

  it('gives batch alone on an idle fleet slots − reserve, and no headroom', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 8 }]), worker('w2', [{ model: 'm', maxRunning: 4 }]), worker('w3', [{ model: 'm', maxRunning: 1 }])];
    const plan = allocateCredits(fleet, [batchHolder('batch', [], [{ model: 'm', priority: 'batch', count: 1000 }])]);
    expect(plan.get('batch')?.map((g) => [g.workerId, g.credits])).toEqual([['w1', 6], ['w2', 3], ['w3', 1]]);
    // Lines it does not wait for get no credit: idle slots stay with interactive traffic.
    expect(allocateCredits(fleet, [batchHolder('batch', [], [{ model: 'm', priority: 'batch', count: 2 }])]).get('batch')?.reduce((s, g) => s + g.credits, 0)).toBe(2);
  });

  it('leaves the reserve free for interactive headroom while batch saturates all it may', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 8 }])];
    const plan = allocateCredits(fleet, [
      batchHolder('batch', [{ workerId: 'w1', model: 'm', credits: 5, inUse: 5 }], [{ model: 'm', priority: 'batch', count: 500 }]),
      gateway('g1', [{ workerId: 'w1', model: 'm', credits: 3, inUse: 0 }]),
    ]);
    expect(total(plan.get('batch'))).toBe(6);
    expect(total(plan.get('g1'))).toBe(2); // an interactive request starts at once, without a round trip
  });

  it('shrinks batch credits below their slots in use when interactive requests wait with nothing free', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 4 }])];
    // Batch runs on every slot (e.g. the single slot was lent, or a reserve of 0 before).
    const before = allocateCredits(fleet, [
      batchHolder('batch', [{ workerId: 'w1', model: 'm', credits: 4, inUse: 4 }], [{ model: 'm', priority: 'batch', count: 50 }]),
      gateway('g1', [], [{ model: 'm', priority: 'interactive', count: 2 }]),
    ]);
    expect(before.get('batch')).toMatchObject([{ workerId: 'w1', credits: 1 }]); // capped to 3, less the 2 waiting
    expect(total(before.get('g1'))).toBe(0); // nothing free yet: running work is never revoked
    // Two batch lines finished and were not replaced (4 in use ≥ 1 credit): the slots go to interactive.
    const after = allocateCredits(fleet, [
      batchHolder('batch', [{ workerId: 'w1', model: 'm', credits: 1, inUse: 2 }], [{ model: 'm', priority: 'batch', count: 50 }]),
      gateway('g1', [], [{ model: 'm', priority: 'interactive', count: 2 }]),
    ]);
    expect(total(after.get('g1'))).toBe(2);
    expect(total(after.get('batch'))).toBe(2);
  });

  it('serves interactive waiters from free slots before batch lines, and shrinks batch only by the shortfall', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 4 }]), worker('w2', [{ model: 'm', maxRunning: 4 }])];
    const plan = allocateCredits(fleet, [
      batchHolder('batch', [{ workerId: 'w1', model: 'm', credits: 3, inUse: 3 }, { workerId: 'w2', model: 'm', credits: 3, inUse: 3 }], [{ model: 'm', priority: 'batch', count: 50 }]),
      gateway('g1', [], [{ model: 'm', priority: 'interactive', count: 3 }]),
    ]);
    expect(total(plan.get('g1'))).toBe(2); // the two reserved slots
    expect(total(plan.get('batch'))).toBe(5); // the next slot batch frees goes to the third request
  });

  it('lends a single slot to batch while interactive is idle, and takes it back when a request waits', () => {
    const fleet = [worker('w1', [{ model: 'whisper', maxRunning: 1 }])];
    const idle = allocateCredits(fleet, [batchHolder('batch', [], [{ model: 'whisper', priority: 'batch', count: 9 }]), gateway('g1', [{ workerId: 'w1', model: 'whisper', credits: 1, inUse: 0 }])]);
    expect(total(idle.get('batch'))).toBe(1);
    expect(total(idle.get('g1'))).toBe(0);
    const busy = allocateCredits(fleet, [
      batchHolder('batch', [{ workerId: 'w1', model: 'whisper', credits: 1, inUse: 1 }], [{ model: 'whisper', priority: 'batch', count: 8 }]),
      gateway('g1', [], [{ model: 'whisper', priority: 'interactive', count: 1 }]),
    ]);
    expect(total(busy.get('batch'))).toBe(0); // finishes its line, takes no next one
    const freed = allocateCredits(fleet, [batchHolder('batch', [], [{ model: 'whisper', priority: 'batch', count: 8 }]), gateway('g1', [], [{ model: 'whisper', priority: 'interactive', count: 1 }])]);
    expect(total(freed.get('g1'))).toBe(1);
    expect(total(freed.get('batch'))).toBe(0);
  });

  it('with a fraction of 0, batch may fill every slot but still yields to waiting interactive requests', () => {
    const fleet = [worker('w1', [{ model: 'm', maxRunning: 4 }])];
    expect(total(allocateCredits(fleet, [batchHolder('batch', [], [{ model: 'm', priority: 'batch', count: 9 }])], 0).get('batch'))).toBe(4);
    const plan = allocateCredits(fleet, [batchHolder('batch', [{ workerId: 'w1', model: 'm', credits: 4, inUse: 4 }]), gateway('g1', [], [{ model: 'm', priority: 'interactive', count: 1 }])], 0);
    expect(total(plan.get('batch'))).toBe(3);
  });
});
