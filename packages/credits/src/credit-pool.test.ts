import { type CreditGrants } from '@llmaas/contracts';
import { describe, expect, it, vi } from 'vitest';

import { CreditPool, NoCapacityError } from './credit-pool.js';

let seq = 0;
const table = (grants: { workerId: string; model: string; credits: number }[], startedAt = '2026-11-26T00:00:00.000Z'): CreditGrants => ({
  gatewayId: 'g1',
  grants: grants.map((g) => ({ ...g, endpoint: `http://127.0.0.1/${g.workerId}` })),
  unplaceable: [],
  seq: ++seq,
  schedulerStartedAt: startedAt,
  sentAt: new Date().toISOString(),
});

describe('CreditPool', () => {
  it('assigns locally to the worker with the most free credits and frees on release', async () => {
    const pool = new CreditPool(() => undefined);
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 1 }, { workerId: 'w2', model: 'm', credits: 2 }]));
    const a = await pool.acquire('m', 'interactive', 't', 100);
    const b = await pool.acquire('m', 'interactive', 't', 100);
    const c = await pool.acquire('m', 'interactive', 't', 100);
    expect([a.workerId, b.workerId, c.workerId].sort()).toEqual(['w1', 'w2', 'w2']);
    expect(pool.demand('g1').holdings.reduce((s, h) => s + h.inUse, 0)).toBe(3);
    a.release();
    a.release(); // idempotent
    expect(pool.demand('g1').holdings.reduce((s, h) => s + h.inUse, 0)).toBe(2);
  });

  it('spreads in proportion to each replica\'s slots', async () => {
    const pool = new CreditPool(() => undefined);
    pool.apply(table([{ workerId: 'big', model: 'm', credits: 256 }, { workerId: 'small', model: 'm', credits: 64 }]));
    const leases = await Promise.all(Array.from({ length: 40 }, () => pool.acquire('m', 'interactive', 't', 100)));
    const onSmall = leases.filter((l) => l.workerId === 'small').length;
    expect(onSmall).toBe(8);
  });

  it('queues without credit, asks for more, and serves when the scheduler grants', async () => {
    const shortage = vi.fn();
    const pool = new CreditPool(shortage);
    const pending = pool.acquire('m', 'interactive', 't', 1000);
    expect(shortage).toHaveBeenCalledTimes(1);
    expect(pool.demand('g1').waiting).toEqual([{ model: 'm', priority: 'interactive', count: 1 }]);
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 1 }]));
    expect((await pending).workerId).toBe('w1');
  });

  it('fails waiters at once for a model the scheduler cannot place', async () => {
    const pool = new CreditPool(() => undefined);
    const pending = pool.acquire('huge', 'interactive', 't', 60_000);
    pool.apply({ ...table([]), unplaceable: [{ model: 'huge', reason: 'too large' }] });
    await expect(pending).rejects.toMatchObject({ reason: 'too large' });
  });

  it('fails after the wait with NoCapacityError', async () => {
    const pool = new CreditPool(() => undefined);
    await expect(pool.acquire('m', 'interactive', 't', 20)).rejects.toBeInstanceOf(NoCapacityError);
    expect(pool.waiting).toBe(0);
  });

  it('serves interactive before batch, and tenants in turn', async () => {
    const pool = new CreditPool(() => undefined);
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 1 }]));
    const first = await pool.acquire('m', 'interactive', 'a', 1000);
    const order: string[] = [];
    const wait = (priority: 'interactive' | 'batch', tenant: string) => pool.acquire('m', priority, tenant, 1000).then((l) => { order.push(`${priority}:${tenant}`); l.release(); });
    const all = [wait('batch', 'b'), wait('interactive', 'a'), wait('interactive', 'a'), wait('interactive', 'c')];
    first.release();
    await Promise.all(all);
    expect(order).toEqual(['interactive:c', 'interactive:a', 'interactive:a', 'batch:b']);
  });

  it('does not retake slots above its credits after a release (they go to other holders)', async () => {
    const pool = new CreditPool(() => undefined, 'batch');
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 3 }]));
    const leases = await Promise.all([1, 2, 3].map(() => pool.acquire('m', 'batch', 't', 100)));
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 1 }])); // the scheduler shrank the batch holder
    const waiting = pool.acquire('m', 'batch', 't', 1000);
    leases[0]!.release();
    leases[1]!.release();
    expect(pool.demand('b1').holdings).toEqual([{ workerId: 'w1', model: 'm', credits: 1, inUse: 1 }]);
    expect(pool.waiting).toBe(1);
    leases[2]!.release(); // now below its credits: the waiting line takes the slot
    expect((await waiting).workerId).toBe('w1');
    expect(pool.demand('b1')).toMatchObject({ gatewayId: 'b1', holderClass: 'batch', holdings: [{ workerId: 'w1', model: 'm', credits: 1, inUse: 1 }] });
  });

  it('reports its holder class (interactive unless told)', () => {
    expect(new CreditPool(() => undefined).demand('g1').holderClass).toBe('interactive');
  });

  it('keeps slots in use when a grant shrinks or a worker vanishes, and ignores older tables', async () => {
    const pool = new CreditPool(() => undefined);
    pool.apply(table([{ workerId: 'w1', model: 'm', credits: 2 }]));
    const lease = await pool.acquire('m', 'interactive', 't', 100);
    const stale = table([{ workerId: 'w1', model: 'm', credits: 9 }]);
    pool.apply(table([]));
    pool.apply({ ...stale, seq: 0 });
    expect(pool.demand('g1').holdings).toEqual([{ workerId: 'w1', model: 'm', credits: 0, inUse: 1 }]);
    await expect(pool.acquire('m', 'interactive', 't', 10)).rejects.toBeInstanceOf(NoCapacityError);
    lease.release();
    expect(pool.demand('g1').holdings).toEqual([]);
    // A restarted scheduler starts its sequence again: its tables apply.
    pool.apply({ ...table([{ workerId: 'w2', model: 'm', credits: 1 }], '2026-11-26T01:00:00.000Z'), seq: 1 });
    expect((await pool.acquire('m', 'interactive', 't', 10)).workerId).toBe('w2');
  });
});
