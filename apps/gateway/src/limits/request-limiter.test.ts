import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { rateLimitHeaders, resetDuration } from './ratelimit-headers.js';
import { RequestLimiter } from './request-limiter.js';
import { estimateTokens, requestedMaxTokens } from './token-estimate.js';

// Against the real Redis of infra/: two limiters on two connections stand for two gateways.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:16379';
const redisA = new Redis(url);
const redisB = new Redis(url);
afterAll(async () => {
  await Promise.all([redisA.quit(), redisB.quit()]);
});
const a = new RequestLimiter(redisA);
const b = new RequestLimiter(redisB, 200);
const limits = { requestsPerMinute: 3, tokensPerMinute: 1000, concurrentRequests: 2 };
const tenant = () => `t-${randomUUID()}`;

describe('RequestLimiter (real Redis, two gateways)', () => {
  it('counts requests per minute across gateways and says when to retry', async () => {
    const t = tenant();
    const outcomes = [await a.admit(t, limits, 10, 'r1'), await b.admit(t, limits, 10, 'r2')];
    for (const o of outcomes) if ('admitted' in o) await a.settle(o.admitted, 10);
    const third = await a.admit(t, limits, 10, 'r3');
    expect('admitted' in third && third.admitted.headers['x-ratelimit-remaining-requests']).toBe('0');
    if ('admitted' in third) await a.settle(third.admitted, 10);
    const fourth = await b.admit(t, limits, 10, 'r4');
    expect(fourth).toMatchObject({ refused: { limit: 'requests' } });
    if ('refused' in fourth) {
      expect(fourth.refused.retryAfterMs).toBeGreaterThan(50_000);
      expect(fourth.refused.headers['x-ratelimit-limit-requests']).toBe('3');
    }
  });

  it('takes tokens at the estimate, settles them with the real count, and gives back a refusal', async () => {
    const t = tenant();
    const first = await a.admit(t, limits, 900, 'r1');
    expect('admitted' in first).toBe(true);
    // 900 estimated, 100 left: a request estimated at 200 is refused, and takes nothing.
    expect(await b.admit(t, limits, 200, 'r2')).toMatchObject({ refused: { limit: 'tokens' } });
    // It used 150 in fact: 750 come back.
    if ('admitted' in first) await a.settle(first.admitted, 150);
    const second = await b.admit(t, limits, 200, 'r3');
    expect('admitted' in second && second.admitted.headers['x-ratelimit-remaining-tokens']).toBe('650');
  });

  it('holds at most the concurrent limit in flight, frees a slot when a request ends, and forgets a dead gateway\'s', async () => {
    const t = tenant();
    const one = await a.admit(t, { ...limits, requestsPerMinute: 100 }, 1, 'c1');
    const two = await b.admit(t, { ...limits, requestsPerMinute: 100 }, 1, 'c2');
    expect('admitted' in one && 'admitted' in two).toBe(true);
    expect(await a.admit(t, { ...limits, requestsPerMinute: 100 }, 1, 'c3')).toMatchObject({ refused: { limit: 'concurrency' } });
    if ('admitted' in one) await a.settle(one.admitted, 1);
    expect('admitted' in (await a.admit(t, { ...limits, requestsPerMinute: 100 }, 1, 'c4'))).toBe(true);
    // Slots older than the stale bound (200 ms for limiter b) are dropped: a crashed gateway's
    // requests cannot lock the tenant out for good.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect('admitted' in (await b.admit(t, { ...limits, requestsPerMinute: 100 }, 1, 'c5'))).toBe(true);
  });

  it('decides in well under a millisecond of work per request (three checks, one round trip each, in parallel)', async () => {
    const t = tenant();
    const big = { requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000, concurrentRequests: 1_000_000 };
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const o = await a.admit(t, big, 100, `p${i}`);
      samples.push(performance.now() - t0);
      if ('admitted' in o) await a.settle(o.admitted, 100);
    }
    samples.sort((x, y) => x - y);
    // Loopback Redis: the median is a fraction of a millisecond (the benchmark reports p99).
    expect(samples[150]).toBeLessThan(5);
  });
});

describe('token estimate and headers', () => {
  it('counts CJK one token a character, other text one per four, plus the completion ceiling', () => {
    expect(estimateTokens(['abcdefgh'], 10, 1024)).toBe(2 + 10);
    expect(estimateTokens(['光合作用'], undefined, 1024)).toBe(4 + 1024);
    expect(requestedMaxTokens({ max_completion_tokens: 50, max_tokens: 10 })).toBe(50);
    expect(requestedMaxTokens({ max_tokens: 0 })).toBeUndefined();
  });

  it('writes reset times the way OpenAI does', () => {
    expect(resetDuration(20)).toBe('20ms');
    expect(resetDuration(1500)).toBe('2s');
    expect(resetDuration(360_000)).toBe('6m0s');
    expect(rateLimitHeaders({ limit: 10, remaining: -1, resetMs: 1000 }, { limit: 5, remaining: 4, resetMs: 61_000 })).toEqual({
      'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '5', 'x-ratelimit-remaining-tokens': '4', 'x-ratelimit-reset-tokens': '1m1s',
    });
  });
});
