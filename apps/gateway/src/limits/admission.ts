import { type BillingQuota } from '@llmaas/contracts';

import { ApiError } from '../http/api-error.js';
import { type Admission, type Limits, type Refusal, type RequestLimiter } from './request-limiter.js';
import { estimateTokens, requestedMaxTokens, requestTexts } from './token-estimate.js';

/** Limits of a tenant billing has not published yet: the `standard` tier's (billing's seed). */
export const DEFAULT_LIMITS: Limits = { requestsPerMinute: 3000, tokensPerMinute: 2_000_000, concurrentRequests: 128 };
/** The completion ceiling assumed for the token estimate when a request names none. */
export const DEFAULT_MAX_TOKENS = 1024;

export interface Admitted {
  /** Null when Redis could not be asked (the limits then fail open; the budget still holds). */
  admission: Admission | null;
  headers: Record<string, string>;
}

interface Log {
  warn(obj: object, msg: string): void;
}

/** Which limit refused a request: `llmaas_rate_limit_rejections_total`'s `limit` label. */
export type RateLimit = Refusal['limit'] | 'budget';

/** Where refusals are counted (the gateway's inference metrics). */
export interface Rejections {
  rejected(tenantId: string, limit: RateLimit): void;
}

/**
 * Whether a request may run: the budget first (a hard cap spent is 429 `insufficient_quota`,
 * not retried), then requests, tokens and concurrency per minute (429 `rate_limit_exceeded` with
 * `retry-after`, which the OpenAI SDKs honour). A Redis outage lets requests through, logged:
 * rate limits protect the fleet, and a minute without them costs less than refusing everyone.
 */
/** A spent hard-capped budget: known from the in-memory quota, refused before any work. */
export function budgetRefusal(quota: BillingQuota | undefined): ApiError | null {
  if (quota?.state === 'exhausted' && quota.hardCap) {
    return new ApiError(
      429,
      'insufficient_quota',
      `You exceeded your current quota: this month's budget of ${quota.budgetEur ?? '?'} € is spent (${quota.spendEur} €). Ask your administrator to raise it, or wait for next month.`,
      'insufficient_quota',
      null,
      { 'x-should-retry': 'false' },
    );
  }
  return null;
}

export async function admissionFor(
  limiter: RequestLimiter,
  quota: BillingQuota | undefined,
  tenantId: string,
  body: Record<string, unknown>,
  prompts: readonly string[],
  requestId: string,
  log: Log,
  rejections: Rejections,
): Promise<Admitted> {
  const spent = budgetRefusal(quota);
  if (spent) {
    rejections.rejected(tenantId, 'budget');
    throw spent;
  }
  const limits = quota?.limits ?? DEFAULT_LIMITS;
  const estimate = estimateTokens(requestTexts(body, prompts), requestedMaxTokens(body), DEFAULT_MAX_TOKENS);
  let outcome;
  try {
    outcome = await limiter.admit(tenantId, limits, estimate, requestId);
  } catch (error) {
    log.warn({ err: error }, 'rate limits unavailable: request let through');
    return { admission: null, headers: {} };
  }
  if ('admitted' in outcome) return { admission: outcome.admitted, headers: outcome.admitted.headers };
  const { limit, retryAfterMs, headers } = outcome.refused;
  rejections.rejected(tenantId, limit);
  const what = limit === 'requests' ? `requests per min (RPM): Limit ${limits.requestsPerMinute}` : limit === 'tokens' ? `tokens per min (TPM): Limit ${limits.tokensPerMinute}, Requested ${estimate}` : `concurrent requests: Limit ${limits.concurrentRequests}`;
  throw new ApiError(429, 'rate_limit_error', `Rate limit reached for ${what}. Please try again in ${Math.ceil(retryAfterMs / 1000)}s.`, 'rate_limit_exceeded', null, {
    ...headers,
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'retry-after-ms': String(Math.max(1, Math.ceil(retryAfterMs))),
  });
}
