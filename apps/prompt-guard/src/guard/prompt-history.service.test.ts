import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { PromptHistory } from './prompt-history.service.js';

// Against the platform's Redis (infra/), on keys of a tenant made up for this run.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:16379', { lazyConnect: false });
const history = new PromptHistory(redis);
const tenant = `test-${Date.now()}`;

afterAll(async () => {
  const keys = await redis.keys(`guard:${tenant}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('PromptHistory (Redis)', () => {
  it("returns the key's previous prompts, newest first, within the window", async () => {
    expect(await history.record(tenant, 'k1', 'one')).toEqual({ repeats: 1, recent: [] });
    expect(await history.record(tenant, 'k1', 'two')).toEqual({ repeats: 1, recent: ['one'] });
    expect(await history.record(tenant, 'k1', 'three')).toEqual({ repeats: 1, recent: ['two', 'one'] });
    expect((await history.record(tenant, 'k1', 'four'))?.recent).toEqual(['three', 'two']);
    // Another key of the same tenant has its own window.
    expect((await history.record(tenant, 'k2', 'x'))?.recent).toEqual([]);
  });

  it('counts the same prompt in a row, and starts again when it changes', async () => {
    let last = 0;
    for (let i = 0; i < 30; i++) last = (await history.record(tenant, 'k3', 'same'))?.repeats ?? 0;
    expect(last).toBe(30);
    expect((await history.record(tenant, 'k3', 'other'))?.repeats).toBe(1);
    expect((await history.record(tenant, 'k3', 'same'))?.repeats).toBe(1);
  });
});
