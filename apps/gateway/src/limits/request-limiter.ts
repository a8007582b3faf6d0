import { type BillingQuota } from '@llmaas/contracts';
import { type Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

import { rateLimitHeaders, type WindowState } from './ratelimit-headers.js';

export type Limits = BillingQuota['limits'];

/** A request let in: what it took, to be settled (tokens) and given back (its concurrency slot). */
export interface Admission {
  tenantId: string;
  limits: Limits;
  estimatedTokens: number;
  slot: string;
  headers: Record<string, string>;
}

export type Refusal = { limit: 'requests' | 'tokens' | 'concurrency'; retryAfterMs: number; headers: Record<string, string> };

/**
 * Requests in flight per tenant, across every gateway: a sorted set of request ids scored by
 * start time. Entries older than `stale` ms are dropped first, so a gateway that died holding
 * slots cannot lock its tenant out for longer than that.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const WINDOW_MS = 60_000;

/**
 * Per-tenant requests per minute, tokens per minute (rate-limiter-flexible on Redis: correct across
 * gateway replicas) and concurrent requests (a Lua-maintained set), checked together in one round
 * trip's time. Tokens are taken at their estimate and settled with the real count afterwards.
 */
export class RequestLimiter {
  private readonly windows = new Map<string, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly staleMs = 15 * 60_000,
  ) {
    redis.defineCommand('llmaasSlot', { numberOfKeys: 1, lua: ACQUIRE });
  }

  private window(kind: 'rpm' | 'tpm', points: number): RateLimiterRedis {
    const key = `${kind}:${points}`;
    let limiter = this.windows.get(key);
    if (!limiter) {
      // One limiter per distinct limit: a tenant's counter lives under its own key either way.
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `rl:${kind}`, points, duration: WINDOW_MS / 1000 });
      this.windows.set(key, limiter);
    }
    return limiter;
  }

  async admit(tenantId: string, limits: Limits, estimatedTokens: number, requestId: string): Promise<{ admitted: Admission } | { refused: Refusal }> {
    const rpm = this.window('rpm', limits.requestsPerMinute);
    const tpm = this.window('tpm', limits.tokensPerMinute);
    const slotKey = `rl:conc:${tenantId}`;
    const now = Date.now();
    const [requests, tokens, slot] = await Promise.all([
      settle(rpm.consume(tenantId, 1)),
      settle(tpm.consume(tenantId, Math.min(estimatedTokens, limits.tokensPerMinute))),
      (this.redis as Redis & { llmaasSlot(key: string, now: number, limit: number, stale: number, id: string): Promise<number> }).llmaasSlot(slotKey, now, limits.concurrentRequests, this.staleMs, requestId),
    ]);
    const state = (res: RateLimiterRes, limit: number): WindowState => ({ limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext });
    const headers = rateLimitHeaders(state(requests.res, limits.requestsPerMinute), state(tokens.res, limits.tokensPerMinute));
    if (requests.ok && tokens.ok && slot === 1) {
      return { admitted: { tenantId, limits, estimatedTokens: Math.min(estimatedTokens, limits.tokensPerMinute), slot: requestId, headers } };
    }
    // Refused: give back what was taken, so a refusal does not eat the next request's room.
    const undo: Promise<unknown>[] = [];
    if (requests.ok) undo.push(rpm.reward(tenantId, 1));
    // The token window counted the estimate even when it refused it.
    undo.push(tpm.reward(tenantId, Math.min(estimatedTokens, limits.tokensPerMinute)));
    if (slot === 1) undo.push(this.redis.zrem(slotKey, requestId));
    await Promise.all(undo);
    if (!requests.ok) return { refused: { limit: 'requests', retryAfterMs: requests.res.msBeforeNext, headers } };
    if (!tokens.ok) return { refused: { limit: 'tokens', retryAfterMs: tokens.res.msBeforeNext, headers } };
    return { refused: { limit: 'concurrency', retryAfterMs: 1000, headers } };
  }

  /** After the request: its slot back, and the tokens it really used instead of the estimate. */
  async settle(admission: Admission, usedTokens: number): Promise<void> {
    const tpm = this.window('tpm', admission.limits.tokensPerMinute);
    const difference = usedTokens - admission.estimatedTokens;
    await Promise.all([
      this.redis.zrem(`rl:conc:${admission.tenantId}`, admission.slot),
      difference < 0 ? tpm.reward(admission.tenantId, -difference) : difference > 0 ? tpm.penalty(admission.tenantId, difference) : null,
    ]);
  }
}

/** rate-limiter-flexible rejects with a RateLimiterRes when over the limit, with an Error when Redis fails. */
async function settle(p: Promise<RateLimiterRes>): Promise<{ ok: boolean; res: RateLimiterRes }> {
  try {
    return { ok: true, res: await p };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { ok: false, res: error };
    throw error;
  }
}
