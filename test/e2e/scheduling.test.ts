import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';

import { api } from '../support/admin.js';
import { smallestServed } from '../support/models.js';
import { developerKey, eventually, gatewayUrl, infra, readyz } from '../support/platform.js';

// Scheduling seen from outside: replicas, spreading, draining, a scheduler restart under load.
const client = () => new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: developerKey(), maxRetries: 0, timeout: 120_000 });

interface Worker {
  workerId: string;
  up: boolean;
  cordoned: boolean;
  gpus: { vramTotalMiB: number; vramUsedMiB: number }[];
  models: { model: string; state: string; running: number; maxRunning: number }[];
}
const fleet = async () => (await api<{ workers: Worker[] }>('GET', '/admin/v1/fleet')).body.workers;
const hosting = async (model: string) => (await fleet()).filter((w) => w.models.some((m) => m.model === model && m.state === 'ready')).map((w) => w.workerId);

let model: string;

beforeAll(async () => {
  // A model of its own (the second smallest chat model), so other files' traffic does not interfere.
  const smallest = await smallestServed('chat', (m) => !m.reasoning);
  model = await smallestServed('chat', (m) => !m.reasoning && m.id !== smallest);
  await client().chat.completions.create({ model, messages: [{ role: 'user', content: 'warm up' }], max_tokens: 1 });
}, 180_000);

describe('scheduling across the fleet', () => {
  it('spreads requests over every replica of a model in proportion to its batch slots, and never oversubscribes VRAM', async () => {
    const placed = await hosting(model);
    // An operator adds two replicas on the emptiest workers; requests then land on all of them.
    const free = (w: Worker) => w.gpus.reduce((s, g) => s + g.vramTotalMiB - g.vramUsedMiB, 0);
    const others = (await fleet())
      .filter((w) => w.up && !w.cordoned && !placed.includes(w.workerId))
      .sort((a, b) => free(b) - free(a))
      .slice(0, 2);
    for (const w of others) {
      const res = await api('POST', `/admin/v1/fleet/workers/${w.workerId}/models`, { body: { model } });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    const ready = await eventually(() => hosting(model), (ids) => ids.length >= placed.length + others.length, 60_000);
    expect(ready.length).toBeGreaterThanOrEqual(3);
    // Each replica's share of the slots: a replica on a crowded small GPU has few, and gets few.
    const slots = new Map<string, number>();
    for (const w of await fleet()) for (const m of w.models) if (m.model === model && m.state === 'ready') slots.set(w.workerId, m.maxRunning);
    const total = [...slots.values()].reduce((a, b) => a + b, 0);
    const expected = [...slots].filter(([, n]) => n / total >= 0.03).map(([id]) => id);
    const served = new Set<string>();
    await eventually(
      async () => {
        const replies = await Promise.all(
          // Distinct prompts: the guard flags the same prompt 30 times in a row from one key.
          Array.from({ length: 120 }, (_, i) => client().chat.completions.create({ model, messages: [{ role: 'user', content: `spread me ${i} ${Math.random()}` }], max_tokens: 8, stream: false }).withResponse()),
        );
        for (const r of replies) served.add(r.response.headers.get('x-llmaas-worker') ?? '');
        return expected.every((id) => served.has(id));
      },
      Boolean,
      30_000,
      10,
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect([...served].sort()).toEqual(expect.arrayContaining(expected));
    for (const w of await fleet()) for (const g of w.gpus) expect(g.vramUsedMiB).toBeLessThanOrEqual(g.vramTotalMiB);
  }, 180_000);

  it('refuses fleet commands that cannot be carried out, naming why', async () => {
    const [w] = await fleet();
    expect((await api('POST', '/admin/v1/fleet/workers/no-such-worker/cordon')).status).toBe(404);
    const busy = await api<{ error: { code: string } }>('POST', `/admin/v1/fleet/workers/${w!.workerId}/models`, { body: { model: 'no-such-model:1b' } });
    expect(busy.status).toBe(400);
    expect((await api('POST', `/admin/v1/fleet/workers/${w!.workerId}/cordon`, { key: developerKey() })).status).toBe(403);
  });

  it('drains a worker: it finishes its work, takes no new work, and requests move to other replicas', async () => {
    const replicas = await hosting(model);
    const target = replicas[0]!;
    expect((await api('POST', `/admin/v1/fleet/workers/${target}/drain`)).status).toBe(202);
    try {
      await eventually(async () => (await fleet()).find((w) => w.workerId === target)?.cordoned, Boolean, 10_000);
      await new Promise((r) => setTimeout(r, 1000)); // one allocation round after the heartbeat
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client().chat.completions.create({ model, messages: [{ role: 'user', content: `not there ${i}` }], max_tokens: 4 }).withResponse()));
      expect(replies.map((r) => r.response.headers.get('x-llmaas-worker'))).not.toContain(target);
    } finally {
      await api('POST', `/admin/v1/fleet/workers/${target}/uncordon`);
    }
  });

  it('loses no request when the scheduler restarts under load, and leaks no capacity', async () => {
    let stop = false;
    const outcomes: (number | string)[] = [];
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const res = await client()
          .chat.completions.create({ model, messages: [{ role: 'user', content: `keep going ${outcomes.length}` }], max_tokens: 8, stream: true })
          .then(async (stream) => {
            for await (const chunk of stream) void chunk;
            return 200;
          })
          .catch((e: unknown): number | string => (e instanceof OpenAI.APIError ? `${String(e.status)} ${e.message}` : String(e)));
        outcomes.push(res);
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    await infra('infra/services.sh', 'stop', 'scheduler');
    await new Promise((r) => setTimeout(r, 2000));
    await infra('infra/services.sh', 'start', 'scheduler');
    await eventually(() => readyz('scheduler'), (r) => r.status === 200, 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    stop = true;
    await Promise.all(clients);
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => o !== 200)).toEqual([]);
    // Every slot came back: nothing runs on any worker once the clients stopped.
    const idle = await eventually(fleet, (ws) => ws.every((w) => w.models.every((m) => m.running === 0)), 10_000);
    expect(idle.flatMap((w) => w.models.filter((m) => m.running > 0))).toEqual([]);
  });
});
